// Our engine only, on the directory mix, pruned and exhaustive in one process: the quick check
// of a change to the text scoring (the full section also builds the competitors' indexes).
import { buildDirectoryPlan, type DirectoryQuery } from "../../src/ranking/directory.js";
import { ensure100k, loadBackend, policy, SAMPLE_10K } from "./_feeds.js";
import { fmt, summarise, table } from "./_stats.js";

const MIX: { kind: string; query: Partial<DirectoryQuery>; facets: boolean }[] = [
  { kind: "filter-only", query: { filters: { country: ["US"] } }, facets: false },
  {
    kind: "filter-only",
    query: { filters: { industry: ["manufacturing"], tier: ["gold", "platinum"] } },
    facets: false,
  },
  {
    kind: "filter-only",
    query: { filters: { country: ["DE", "AT"], accredited: ["true"] } },
    facets: false,
  },
  { kind: "text-only", query: { q: "crm implementation" }, facets: false },
  { kind: "text-only", query: { q: "marketing agentur" }, facets: false },
  { kind: "text-only", query: { q: "導入支援" }, facets: false },
  {
    kind: "text+2 filters",
    query: { q: "crm", filters: { country: ["US"], industry: ["software"] } },
    facets: false,
  },
  {
    kind: "text+2 filters",
    query: { q: "hubspot onboarding", filters: { language: ["en"], customerSize: ["large"] } },
    facets: false,
  },
  { kind: "facets on", query: { filters: { country: ["GB"] } }, facets: true },
  { kind: "facets on", query: { q: "seo", filters: { tier: ["gold"] } }, facets: true },
  { kind: "facets on", query: {}, facets: true },
];

const only = process.argv.slice(2);
for (const [label, path, iterations] of [
  ["10k", SAMPLE_10K, 300],
  ["100k", ensure100k(), 100],
] as const) {
  if (only.length > 0 && !only.includes(label)) continue;
  const backend = await loadBackend(path);
  const plans = MIX.map((m) => {
    const p = buildDirectoryPlan(
      { filters: {}, page: 1, pageSize: 20, sort: "relevance", ...m.query },
      policy,
    );
    return m.facets ? p : { ...p, facets: [] };
  });
  const rows: string[][] = [];
  const byKind = new Map<string, number[]>();
  const all: number[] = [];
  for (const p of plans) backend.directorySync(p);
  for (let r = 0; r < iterations; r++) {
    plans.forEach((p, i) => {
      const t = performance.now();
      backend.directorySync(p);
      const dt = performance.now() - t;
      const k = MIX[i]?.kind as string;
      byKind.set(k, [...(byKind.get(k) ?? []), dt]);
      all.push(dt);
    });
  }
  for (const [k, s] of byKind) {
    const r = summarise(s);
    rows.push([label, k, fmt(r.median), fmt(r.p99)]);
  }
  const r = summarise(all);
  rows.push([label, "mix", fmt(r.median), fmt(r.p99)]);
  table(["profiles", "kind", "median", "p99"], rows);
}
