// Facet counts kept per query (src/search/memory/facet-cache.ts): another page, sort or page
// size of a query reuses them, and they always equal what the exhaustive reference counts,
// before and after the data changes.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parseFeed } from "../../../src/partner/feed.js";
import { buildDirectoryPlan, type DirectoryQuery } from "../../../src/ranking/directory.js";
import { MemoryBackend } from "../../../src/search/memory/memory-backend.js";
import { catalog, entries, policy, rawProfile } from "../../helpers.js";

const plan = (q: Partial<DirectoryQuery>) =>
  buildDirectoryPlan({ filters: {}, page: 1, pageSize: 20, sort: "relevance", ...q }, policy);

const QUERIES: Partial<DirectoryQuery>[] = [
  {},
  { q: "crm implementation" },
  { filters: { country: ["DE"] } },
  { q: "agency", filters: { language: ["en"], tier: ["gold", "elite"] } },
  { q: "seo", budgetUsd: 20_000 },
];
const VARIANTS: Partial<DirectoryQuery>[] = [
  { page: 1 },
  { page: 3, pageSize: 15 },
  { sort: "rating" },
  { sort: "name", page: 2 },
];

describe("facet counts kept per query", () => {
  let kept: MemoryBackend;
  let reference: MemoryBackend;

  beforeAll(() => {
    const text = readFileSync(
      new URL("../../../data/sample-partners.ndjson", import.meta.url),
      "utf8",
    );
    const feed = parseFeed(text, catalog).entries;
    kept = new MemoryBackend(catalog, policy);
    // The exhaustive mode keeps nothing and counts every facet the plain way.
    reference = new MemoryBackend(catalog, policy, {
      mergeAt: 256,
      maxDelta: 2048,
      exhaustiveText: true,
    });
    kept.applySync(feed);
    reference.applySync(feed);
  });

  const compare = (q: Partial<DirectoryQuery>) => {
    const results = VARIANTS.map((v) => kept.directorySync(plan({ ...q, ...v })));
    const expected = reference.directorySync(plan(q));
    for (const r of results) {
      expect(r.total).toBe(expected.total);
      expect(r.facets).toEqual(expected.facets);
    }
    return results;
  };

  it("are shared by every page, sort and size of a query, and equal the exhaustive counts", () => {
    for (const q of QUERIES) {
      const [first, ...rest] = compare(q);
      for (const r of rest) expect(r.facets).toBe(first?.facets);
      expect(Object.isFrozen(first?.facets)).toBe(true);
    }
  });

  it("are counted anew once the data changes, in the base and in a pending delta", () => {
    const de = plan({ filters: { country: ["DE"], tier: ["gold"] } });
    const before = kept.directorySync(de);
    // One partner of the base moves from gold to elite (its base doc is hidden, a delta doc
    // replaces it), and a new one arrives.
    const moved = before.hits[0]?.profile;
    expect(moved?.tier).toBe("gold");
    const changed = entries([
      { ...moved, tier: "elite", updatedAt: "2030-01-01T00:00:00Z" },
      rawProfile({
        id: "facet-cache-new",
        name: "Brandneu Agentur",
        tier: "elite",
        locations: [{ country: "DE", city: "Köln" }],
        updatedAt: "2030-01-01T00:00:00Z",
      }),
    ]);
    kept.applySync(changed);
    reference.applySync(changed);
    for (const q of [...QUERIES, { filters: { country: ["DE"], tier: ["gold"] } }]) compare(q);
    const after = kept.directorySync(de);
    expect(after.total).toBe(before.total - 1);
    expect(after.facets.tier?.elite).toBe((before.facets.tier?.elite ?? 0) + 2);
  });
});
