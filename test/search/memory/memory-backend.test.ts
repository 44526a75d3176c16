import { describe, expect, it } from "vitest";
import { buildDirectoryPlan, type DirectoryQuery } from "../../../src/ranking/directory.js";
import { MemoryBackend } from "../../../src/search/memory/memory-backend.js";
import { backendOf, catalog, entries, policy, rawProfile } from "../../helpers.js";

const loc = (country: string, city = "City") => [{ country, city }];

function plan(q: Partial<DirectoryQuery> = {}) {
  return buildDirectoryPlan(
    { filters: {}, page: 1, pageSize: 20, sort: "relevance", ...q },
    policy,
  );
}

const feed = [
  rawProfile({
    id: "de-acc",
    name: "Nordlicht Digital",
    tier: "gold",
    locations: loc("DE", "Hamburg"),
    markets: [],
  }),
  rawProfile({
    id: "de-plain-elite",
    name: "Elbe Marketingagentur",
    description: "Marketingagentur für den Mittelstand",
    tier: "elite",
    accreditations: [],
    locations: loc("DE", "Berlin"),
    markets: ["AT"],
    reviews: { count: 90, average: 4.9 },
  }),
  rawProfile({
    id: "at-plain",
    name: "Wiener Beratung",
    description: "CRM-Beratung",
    tier: "none",
    accreditations: [],
    industries: ["healthcare"],
    locations: loc("AT", "Wien"),
    markets: [],
  }),
  rawProfile({
    id: "jp-1",
    name: "株式会社サクラデジタル",
    description: "HubSpotの導入支援",
    tier: "platinum",
    accreditations: [],
    languages: ["ja"],
    locations: loc("JP", "東京"),
    markets: [],
  }),
  rawProfile({
    id: "hidden",
    name: "Hidden Partner",
    directoryListed: false,
    locations: loc("DE"),
  }),
];

describe("memory backend: directory", () => {
  const b = backendOf(feed);

  it("lists only directory-listed profiles", () => {
    const r = b.directorySync(plan());
    expect(r.total).toBe(4);
    expect(r.hits.map((h) => h.profile.id)).not.toContain("hidden");
  });

  it("puts accredited partners first, then tier and reviews", () => {
    const ids = b.directorySync(plan()).hits.map((h) => h.profile.id);
    expect(ids[0]).toBe("de-acc");
    expect(ids.indexOf("de-plain-elite")).toBeLessThan(ids.indexOf("at-plain"));
  });

  it("matches a country where the partner is located or that it serves", () => {
    const ids = b
      .directorySync(plan({ filters: { country: ["AT"] } }))
      .hits.map((h) => h.profile.id);
    expect(ids.sort()).toEqual(["at-plain", "de-plain-elite"]);
  });

  it("ORs values within a field and ANDs across fields", () => {
    const r = b.directorySync(
      plan({ filters: { country: ["DE", "JP"], tier: ["gold", "platinum"] } }),
    );
    expect(r.hits.map((h) => h.profile.id).sort()).toEqual(["de-acc", "jp-1"]);
  });

  it("counts facets disjunctively: a field's own selection does not narrow its counts", () => {
    const r = b.directorySync(plan({ filters: { tier: ["gold"], country: ["DE"] } }));
    expect(r.total).toBe(1);
    // tier counts ignore the tier filter but respect the country filter.
    expect(r.facets.tier).toEqual({ elite: 1, gold: 1 });
    // country counts ignore the country filter but respect the tier filter.
    expect(r.facets.country).toEqual({ DE: 1 });
    const all = b.directorySync(plan({ filters: { country: ["JP"] } }));
    expect(all.facets.country).toEqual({ DE: 2, AT: 2, JP: 1 });
    expect(r.facets.accredited).toEqual({ true: 1 });
  });

  it("finds German compounds by their parts and Japanese by bigrams", () => {
    expect(b.directorySync(plan({ q: "agentur" })).hits.map((h) => h.profile.id)).toEqual([
      "de-plain-elite",
    ]);
    expect(b.directorySync(plan({ q: "beratung" })).hits.map((h) => h.profile.id)).toEqual([
      "at-plain",
    ]);
    expect(b.directorySync(plan({ q: "導入支援" })).hits.map((h) => h.profile.id)).toEqual([
      "jp-1",
    ]);
    expect(b.directorySync(plan({ q: "サクラ" })).hits.map((h) => h.profile.id)).toEqual(["jp-1"]);
  });

  it("ranks a name match above a description-only match inside the same group", () => {
    const r = b.directorySync(plan({ q: "marketingagentur elbe" }));
    expect(r.hits[0]?.profile.id).toBe("de-plain-elite");
  });

  it("sorts by tier, rating and name, and pages without overlap", () => {
    const byTier = b.directorySync(plan({ sort: "tier" })).hits.map((h) => h.profile.tier);
    expect(byTier).toEqual(["elite", "platinum", "gold", "none"]);
    const byName = b.directorySync(plan({ sort: "name" })).hits.map((h) => h.profile.name);
    expect(byName).toEqual([...byName].sort());
    const p1 = b.directorySync(plan({ pageSize: 2 })).hits.map((h) => h.profile.id);
    const p2 = b.directorySync(plan({ pageSize: 2, page: 2 })).hits.map((h) => h.profile.id);
    expect(new Set([...p1, ...p2]).size).toBe(4);
    expect([...p1, ...p2]).toEqual(b.directorySync(plan()).hits.map((h) => h.profile.id));
  });
});

describe("memory backend: updates", () => {
  it("never lets an older update overwrite a newer one, and deletes are final", async () => {
    const b = backendOf([
      rawProfile({ id: "x", name: "Newer", updatedAt: "2026-10-02T00:00:00Z" }),
    ]);
    const older = entries([
      rawProfile({ id: "x", name: "Older", updatedAt: "2026-10-01T00:00:00Z" }),
    ]);
    expect(await b.apply(older)).toEqual({ indexed: 0, updated: 0, deleted: 0, stale: 1 });
    expect((await b.get("x"))?.name).toBe("Newer");
    const del = entries([{ id: "x", updatedAt: "2026-10-03T00:00:00Z", deleted: true }]);
    expect(await b.apply(del)).toMatchObject({ deleted: 1 });
    expect(await b.get("x")).toBeUndefined();
    const resurrect = entries([
      rawProfile({ id: "x", name: "Stale", updatedAt: "2026-10-02T12:00:00Z" }),
    ]);
    expect(await b.apply(resurrect)).toMatchObject({ stale: 1 });
    expect(b.directorySync(plan()).total).toBe(0);
  });

  it("loads a feed out of id order, an id replaced on the way, as the same feed in order", () => {
    const p = (id: string, name: string, updatedAt = "2026-10-02T00:00:00Z") =>
      rawProfile({ id, name, updatedAt });
    const loaded = new MemoryBackend(catalog, policy);
    loaded.applySync(entries([p("c", "Gamma"), p("a", "Alpha")]));
    loaded.applySync(entries([p("b", "Beta")]));
    expect(loaded.applySync(entries([p("a", "Alpha 2", "2026-10-03T00:00:00Z")]))).toMatchObject({
      updated: 1,
    });
    const inOrder = backendOf([
      p("a", "Alpha 2", "2026-10-03T00:00:00Z"),
      p("b", "Beta"),
      p("c", "Gamma"),
    ]);
    for (const q of [plan({ sort: "name" }), plan({ q: "alpha" })]) {
      expect(loaded.directorySync(q)).toEqual(inOrder.directorySync(q));
    }
    expect(loaded.size).toBe(3);
  });

  it("judges updates of profiles it holds only as base columns by their stored version", async () => {
    const b = new MemoryBackend(catalog, policy, { mergeAt: 2, maxDelta: 8 });
    b.applySync(
      entries(["a", "b", "c"].map((id) => rawProfile({ id, updatedAt: "2026-10-02T00:00:00Z" }))),
    );
    expect(b.size).toBe(3); // builds the base: the profiles now live in its columns only
    const at = (id: string, name: string, updatedAt: string) =>
      entries([rawProfile({ id, name, updatedAt })]);
    expect(await b.apply(at("a", "Older", "2026-10-01T00:00:00Z"))).toMatchObject({ stale: 1 });
    expect(await b.apply(at("a", "Newer", "2026-10-03T00:00:00Z"))).toMatchObject({ updated: 1 });
    const del = entries([{ id: "b", updatedAt: "2026-10-03T00:00:00Z", deleted: true }]);
    expect(await b.apply(del)).toMatchObject({ deleted: 1 });
    // Two changes reach mergeAt: the rebuilt base holds "a" and the delta is empty again.
    await b.settled();
    expect((await b.readiness()).details).toMatchObject({ profiles: 2, pendingUpdates: 0 });
    expect(await b.apply(at("a", "Between", "2026-10-02T12:00:00Z"))).toMatchObject({ stale: 1 });
    expect(await b.apply(at("b", "Back", "2026-10-02T12:00:00Z"))).toMatchObject({ stale: 1 });
    expect((await b.get("a"))?.name).toBe("Newer");
    expect(await b.get("b")).toBeUndefined();
    expect(await b.apply(at("c", "Renamed", "2026-10-04T00:00:00Z"))).toMatchObject({
      updated: 1,
    });
    expect((await b.get("c"))?.name).toBe("Renamed");
  });

  it("returns partners serving a country as match candidates, providers excluded", async () => {
    const b = backendOf([
      rawProfile({ id: "p", locations: loc("US"), markets: [] }),
      rawProfile({
        id: "prov",
        programLevel: "provider",
        tier: "none",
        locations: loc("US"),
        markets: [],
      }),
      rawProfile({ id: "serves", locations: loc("CA"), markets: ["US"], languages: ["fr"] }),
    ]);
    expect(
      (await b.candidates({ programLevels: catalog.referralLevels, country: "US" })).profiles
        .map((p) => p.id)
        .sort(),
    ).toEqual(["p", "serves"]);
    expect(
      (
        await b.candidates({
          programLevels: catalog.referralLevels,
          country: "US",
          languages: ["fr"],
        })
      ).profiles.map((p) => p.id),
    ).toEqual(["serves"]);
  });
});
