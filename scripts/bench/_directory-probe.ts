// Our engine only, on the directory mix, pruned and exhaustive (`exhaustiveText`: every text
// match scored, facets counted directly) interleaved in one process: the quick check of a
// change to the text scoring (the full section also builds the competitors' indexes).
// `npx tsx scripts/bench/_directory-probe.ts [10k] [100k]`
import { buildDirectoryPlan } from "../../src/ranking/directory.js";
import { loadFeedFile } from "../../src/search/memory/load-feed-file.js";
import { MemoryBackend } from "../../src/search/memory/memory-backend.js";
import { catalog, ensure100k, loadBackend, policy, SAMPLE_10K } from "./_feeds.js";
import { fmt, summarise, table } from "./_stats.js";
import { MIX } from "./10-directory.js";

const only = process.argv.slice(2);
for (const [label, path, iterations] of [
  ["10k", SAMPLE_10K, 300],
  ["100k", ensure100k(), 100],
] as const) {
  if (only.length > 0 && !only.includes(label)) continue;
  const pruned = await loadBackend(path);
  const exhaustive = new MemoryBackend(catalog, policy, {
    mergeAt: 256,
    maxDelta: 2048,
    exhaustiveText: true,
  });
  await loadFeedFile(exhaustive, path, catalog);
  const plans = MIX.map((m) => {
    const p = buildDirectoryPlan(
      { filters: {}, page: 1, pageSize: 20, sort: "relevance", ...m.query },
      policy,
    );
    return m.facets ? p : { ...p, facets: [] };
  });
  const sides = [
    { name: "pruned", b: pruned, byKind: new Map<string, number[]>() },
    { name: "exhaustive", b: exhaustive, byKind: new Map<string, number[]>() },
  ];
  for (const s of sides) for (const p of plans) s.b.directorySync(p);
  for (let r = 0; r < iterations; r++) {
    plans.forEach((p, i) => {
      for (const s of r % 2 === 0 ? sides : [...sides].reverse()) {
        const t = performance.now();
        s.b.directorySync(p);
        const dt = performance.now() - t;
        for (const k of [MIX[i]?.kind as string, "mix"]) {
          s.byKind.set(k, [...(s.byKind.get(k) ?? []), dt]);
        }
      }
    });
  }
  const rows: string[][] = [];
  for (const k of sides[0]?.byKind.keys() ?? []) {
    const [a, b] = sides.map((s) => summarise(s.byKind.get(k) ?? []));
    rows.push([
      label,
      k,
      fmt(a?.median ?? 0),
      fmt(a?.p99 ?? 0),
      fmt(b?.median ?? 0),
      fmt(b?.p99 ?? 0),
    ]);
  }
  table(
    ["profiles", "kind", "pruned median", "pruned p99", "exhaustive median", "exhaustive p99"],
    rows,
  );
}
