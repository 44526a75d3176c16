// The split of a text page at the accredited partners, and the rest's search sent ahead when an
// earlier answer told how many accredited partners match: the guess is used only when the first
// answer shows it is the search the rest needs.
import type { estypes } from "@elastic/elasticsearch";
import { describe, expect, it, vi } from "vitest";
import { defaultCatalog } from "../../../src/catalog/catalog.js";
import { defaultPolicy } from "../../../src/catalog/policy.js";
import { buildDirectoryPlan, type DirectoryQuery } from "../../../src/ranking/directory.js";
import {
  AccreditedCounts,
  accreditedFirst,
} from "../../../src/search/elasticsearch/accredited-first.js";
import { directorySearches, facetSizes } from "../../../src/search/elasticsearch/queries.js";

const catalog = defaultCatalog();
const policy = defaultPolicy(catalog);
const plan = (q: Partial<DirectoryQuery>) =>
  buildDirectoryPlan(
    { filters: {}, page: 1, pageSize: 10, sort: "relevance", q: "crm implementation", ...q },
    policy,
  );
const split = (q: Partial<DirectoryQuery>, accredited?: number) => {
  const p = plan(q);
  const page = directorySearches(p, "partners", facetSizes(catalog), policy.data.directory).hits;
  if (!page) throw new Error("no page search");
  return accreditedFirst(p, page, { get: () => accredited });
};

/** A first part's answer: `n` hits, and the total as counted up to the page's end. */
function answer(n: number, total: estypes.SearchTotalHits): estypes.SearchResponse<unknown> {
  return {
    took: 1,
    timed_out: false,
    _shards: { total: 1, successful: 1, failed: 0 },
    hits: { total, hits: Array.from({ length: n }, (_, i) => ({ _index: "p", _id: `a${i}` })) },
  };
}
const eq = (value: number) => ({ value, relation: "eq" as const });

describe("accreditedFirst", () => {
  it("reads the rest from where the accredited matches end, in a second search", () => {
    const s = split({ page: 3 });
    expect(s?.guess).toBeUndefined();
    // 25 accredited: page 3 (from 20) holds 5 of them, then the others from 0.
    const rest = s?.rest(answer(5, eq(25)));
    expect(rest).toMatchObject({ from: 0, size: 5, track_total_hits: false });
    expect(rest?.query).toMatchObject({
      bool: { filter: [{ term: { "search.accredited": false } }] },
    });
    // 12 accredited: page 3 holds none, and the others start at 20 - 12.
    expect(s?.rest(answer(0, eq(12)))).toMatchObject({ from: 8, size: 10 });
    // A first part filling the page needs no rest.
    expect(s?.rest(answer(10, { value: 30, relation: "gte" }))).toBeUndefined();
  });

  it("sends the rest ahead when the known count says the first part cannot fill the page", () => {
    const s = split({ page: 3 }, 25);
    expect(s?.guess).toMatchObject({ from: 0, size: 5 });
    expect(s?.rest(answer(5, eq(25)))).toBe(s?.guess);
    // Beyond the accredited ones: the first part is empty and the guess starts inside the rest.
    const beyond = split({ page: 3 }, 12);
    expect(beyond?.guess).toMatchObject({ from: 8, size: 10 });
    expect(beyond?.rest(answer(0, eq(12)))).toBe(beyond?.guess);
  });

  it("never uses a guess the first answer contradicts", () => {
    const s = split({ page: 3 }, 25);
    // The index changed: 27 accredited now, the page holds 7 of them.
    const rest = s?.rest(answer(7, eq(27)));
    expect(rest).not.toBe(s?.guess);
    expect(rest).toMatchObject({ from: 0, size: 3 });
    // 23 now: the page holds 3, so the same size would be wrong too.
    expect(s?.rest(answer(3, eq(23)))).toMatchObject({ from: 0, size: 7 });
    expect(s?.rest(answer(3, eq(23)))).not.toBe(s?.guess);
    // Enough accredited ones now to fill the page: no rest at all.
    expect(s?.rest(answer(10, { value: 30, relation: "gte" }))).toBeUndefined();
  });

  it("sends nothing ahead for a page the known count fills", () => {
    expect(split({ page: 2 }, 20)?.guess).toBeUndefined();
    expect(split({ page: 2 }, 19)?.guess).toMatchObject({ from: 0, size: 1 });
  });

  it("does not split without text, or with one side filtered out", () => {
    // Nor asks for a count (a key to compute) where it does not split.
    const p = plan({ q: undefined });
    const page = directorySearches(p, "partners", facetSizes(catalog), policy.data.directory).hits;
    const get = vi.fn(() => 3);
    expect(page && accreditedFirst(p, page, { get })).toBeUndefined();
    expect(get).not.toHaveBeenCalled();
    expect(split({ filters: { accredited: ["true"] } }, 3)).toBeUndefined();
    expect(split({ filters: { accredited: ["true", "false"] } }, 3)?.guess).toBeDefined();
  });
});

describe("AccreditedCounts", () => {
  it("learns from the accredited facet, over any page, order or page size of the query", () => {
    const counts = new AccreditedCounts();
    counts.learn(plan({}), answer(10, { value: 10, relation: "gte" }), {
      accredited: { true: 14, false: 90 },
    });
    expect(counts.get(plan({ page: 4, pageSize: 20, sort: "rating" }))).toBe(14);
    expect(counts.get(plan({ q: "crm" }))).toBeUndefined();
    expect(counts.get(plan({ filters: { country: ["DE"] } }))).toBeUndefined();
  });

  it("counts no bucket as none, and without the facet takes an exact first total only", () => {
    const counts = new AccreditedCounts();
    counts.learn(plan({}), answer(0, eq(0)), { accredited: { false: 3 } });
    expect(counts.get(plan({}))).toBe(0);
    const noFacet = { ...plan({ q: "seo" }), facets: [] };
    counts.learn(noFacet, answer(10, { value: 10, relation: "gte" }), {});
    expect(counts.get(noFacet)).toBeUndefined();
    counts.learn(noFacet, answer(4, eq(4)), {});
    expect(counts.get(noFacet)).toBe(4);
  });

  it("keeps the most recently used queries only", () => {
    const counts = new AccreditedCounts(2);
    const a = plan({ q: "a" });
    const b = plan({ q: "b" });
    const c = plan({ q: "c" });
    counts.learn(a, answer(1, eq(1)), { accredited: { true: 1 } });
    counts.learn(b, answer(2, eq(2)), { accredited: { true: 2 } });
    counts.get(a);
    counts.learn(c, answer(3, eq(3)), { accredited: { true: 3 } });
    expect([counts.get(a), counts.get(b), counts.get(c)]).toEqual([1, undefined, 3]);
  });

  it("keys each plan by its own query when requests interleave", () => {
    const counts = new AccreditedCounts();
    const a = plan({ q: "a" });
    const b = plan({ q: "b" });
    // A split page of `a` asks, then one of `b` asks and `a`'s answer is learned.
    expect(counts.get(a)).toBeUndefined();
    expect(counts.get(b)).toBeUndefined();
    counts.learn(a, answer(1, eq(1)), { accredited: { true: 7 } });
    expect([counts.get(plan({ q: "a", page: 2 })), counts.get(b)]).toEqual([7, undefined]);
  });
});
