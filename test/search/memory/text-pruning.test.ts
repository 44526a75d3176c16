// The pruned text ranking (text-top-k.ts) skips docs that cannot reach the page, and facets over
// most of the directory are counted as what the rest lacks; both must answer exactly as scoring
// every match and counting directly do: same hits in the same order with the same scores, same
// totals, facets and relaxations, for any query over any index (base alone or base + delta).
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FeedEntry } from "../../../src/partner/schema.js";
import {
  buildDirectoryPlan,
  DIRECTORY_SORTS,
  type DirectoryPlan,
  FILTER_FIELDS,
  type FilterField,
  toDirectoryDoc,
} from "../../../src/ranking/directory.js";
import { MemoryBackend } from "../../../src/search/memory/memory-backend.js";
import { catalog, entries, policy } from "../../helpers.js";

const raws: Record<string, unknown>[] = readFileSync(
  new URL("../../../data/sample-partners.ndjson", import.meta.url),
  "utf8",
)
  .split("\n")
  .slice(0, 1500)
  .map((l) => JSON.parse(l));
const all = entries(raws);
const profiles = all.flatMap((e) => (e.kind === "upsert" ? [e.profile] : []));
const docs = profiles.map((p) => toDirectoryDoc(p, catalog, policy));
const vocabulary = [
  ...new Set(docs.flatMap((d) => [...d.text.name, ...d.text.services, ...d.text.description])),
].sort();
const facetValues = Object.fromEntries(
  FILTER_FIELDS.map((f) => [f, [...new Set(docs.flatMap((d) => d.facets[f]))].sort()]),
) as Record<FilterField, string[]>;

/** A word as typed: an indexed term, cut short, with a typo, or doubled up. */
const wordArb = fc
  .record({
    term: fc.constantFrom(...vocabulary),
    how: fc.constantFrom("exact", "exact", "prefix", "typo", "swap"),
    at: fc.nat(),
  })
  .map(({ term, how, at }) => {
    const i = at % term.length;
    if (how === "prefix") return term.slice(0, Math.max(1, i));
    if (how === "typo") return `${term.slice(0, i)}x${term.slice(i + 1)}`;
    if (how === "swap" && i + 1 < term.length)
      return term.slice(0, i) + term[i + 1] + term[i] + term.slice(i + 2);
    return term;
  });

const queryArb = fc.record({
  words: fc.array(wordArb, { maxLength: 4 }),
  filters: fc.array(
    fc.constantFrom(...FILTER_FIELDS).chain((field) =>
      fc
        .subarray(facetValues[field], {
          minLength: 1,
          maxLength: Math.min(3, facetValues[field].length),
        })
        .map((values) => [field, values] as const),
    ),
    { maxLength: 2 },
  ),
  sort: fc.constantFrom(...DIRECTORY_SORTS.filter((s) => s !== "distance"), "relevance"),
  page: fc.integer({ min: 1, max: 4 }),
  pageSize: fc.constantFrom(1, 3, 10, 20),
  facets: fc.boolean(),
});

function planOf(q: QueryCase): DirectoryPlan {
  const p = buildDirectoryPlan(
    {
      q: q.words.join(" "),
      filters: Object.fromEntries(q.filters),
      page: q.page,
      pageSize: q.pageSize,
      sort: q.sort,
    },
    policy,
  );
  return q.facets ? p : { ...p, facets: [] };
}
type QueryCase = typeof queryArb extends fc.Arbitrary<infer T> ? T : never;

function answer(b: MemoryBackend, plan: DirectoryPlan) {
  const r = b.directorySync(plan);
  return {
    total: r.total,
    facets: r.facets,
    relaxed: r.relaxed,
    hits: r.hits.map((h) => [h.profile.id, h.score]),
  };
}

function pair(size: number, delta: readonly FeedEntry[]) {
  const make = (exhaustiveText: boolean) => {
    const b = new MemoryBackend(catalog, policy, { mergeAt: 1e6, maxDelta: 1e6, exhaustiveText });
    b.applySync(all.slice(0, size));
    if (delta.length > 0) b.applySync(delta);
    return b;
  };
  return { pruned: make(false), exhaustive: make(true) };
}

/** Updates of base docs (renamed, unaccredited, unlisted, deleted) and some new docs. */
function delta(): FeedEntry[] {
  const when = "2026-11-01T00:00:00Z";
  return raws.slice(0, 60).flatMap((raw, i) => {
    const o: Record<string, unknown> = { ...structuredClone(raw), updatedAt: when };
    if (i % 4 === 0) o.name = `${o.name} crm ${vocabulary[i * 7] ?? ""}`;
    if (i % 4 === 1) o.accreditations = [];
    if (i % 4 === 2) o.directoryListed = false;
    if (i % 4 === 3) return entries([{ id: o.id, deleted: true, updatedAt: when }]);
    return entries([o]);
  });
}

describe("pruned text ranking", () => {
  it("answers every query as scoring every match does", () => {
    const indexes = [
      pair(1500, []),
      pair(200, []),
      pair(1200, [...delta(), ...all.slice(1200, 1260)]),
    ];
    fc.assert(
      fc.property(fc.nat({ max: indexes.length - 1 }), queryArb, (at, q) => {
        const { pruned, exhaustive } = indexes[at] as (typeof indexes)[number];
        const plan = planOf(q);
        expect(answer(pruned, plan)).toEqual(answer(exhaustive, plan));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 400) },
    );
  });
});
