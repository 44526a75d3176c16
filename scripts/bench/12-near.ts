// "Near me" on the 10k sample: the embedded engine's whole directory query with `near`, and the
// circle alone through the grid cell index beside a scan that measures every profile's
// locations (what the index replaces).
import { buildDirectoryPlan, type DirectoryQuery } from "../../src/ranking/directory.js";
import { nearestKm } from "../../src/ranking/geo.js";
import { GeoBuilder, pointsWithin } from "../../src/search/memory/geo-index.js";
import { loadBackend, loadProfiles, policy, SAMPLE_10K } from "./_feeds.js";
import { fmt, summarise, table } from "./_stats.js";

const CASES: [string, Partial<DirectoryQuery>][] = [
  ["Berlin 100 km", { near: { lat: 52.52, lon: 13.405 } }],
  [
    "London 25 km, by distance",
    { near: { lat: 51.5074, lon: -0.1278 }, radiusKm: 25, sort: "distance" },
  ],
  [
    "New York 1000 km, by distance",
    { near: { lat: 40.7128, lon: -74.006 }, radiusKm: 1000, sort: "distance" },
  ],
  [
    "Munich 300 km + budget + country",
    {
      near: { lat: 48.137, lon: 11.575 },
      radiusKm: 300,
      budgetUsd: 10_000,
      filters: { country: ["DE"] },
    },
  ],
];

function time(fn: () => unknown, rounds = 300): { median: number; p99: number } {
  for (let i = 0; i < 20; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return summarise(samples);
}

export default async function run(): Promise<void> {
  const backend = await loadBackend(SAMPLE_10K);
  const profiles = loadProfiles(SAMPLE_10K).filter((p) => p.directoryListed);
  const geo = new GeoBuilder();
  profiles.forEach((p, d) => {
    geo.add(d, p.locations);
  });
  const grid = geo.build();
  const rows: (string | number)[][] = [];
  for (const [name, q] of CASES) {
    const plan = buildDirectoryPlan(
      { filters: {}, page: 1, pageSize: 20, sort: "relevance", ...q },
      policy,
    );
    const near = plan.near as NonNullable<typeof plan.near>;
    const query = time(() => backend.directorySync({ ...plan, facets: [] }));
    const faceted = time(() => backend.directorySync(plan));
    let inside = 0;
    const cells = time(() => {
      const seen = new Set<number>();
      pointsWithin(grid, near.lat, near.lon, near.radiusKm, (d) => seen.add(d));
      inside = seen.size;
    });
    const scan = time(() => {
      let n = 0;
      for (const p of profiles) {
        const km = nearestKm(p.locations, near.lat, near.lon);
        if (km !== undefined && km <= near.radiusKm) n++;
      }
      return n;
    });
    rows.push([
      name,
      inside,
      `${fmt(query.median)} (${fmt(query.p99)})`,
      `${fmt(faceted.median)} (${fmt(faceted.p99)})`,
      fmt(cells.median),
      fmt(scan.median),
    ]);
  }
  table(
    [
      "query (10k sample)",
      "partners inside",
      "whole query, median (p99)",
      "with facets",
      "circle via grid cells",
      "circle via scan of every profile",
    ],
    rows,
  );
}
