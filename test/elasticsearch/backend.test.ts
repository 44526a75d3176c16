// The Elasticsearch backend against a real node: versioned writes (stale updates, deletes that
// stay final), get, readiness, directory queries with facets, and candidates.
import type { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDirectoryPlan, type DirectoryQuery } from "../../src/ranking/directory.js";
import type { ElasticsearchBackend } from "../../src/search/elasticsearch/elasticsearch-backend.js";
import {
  catalog,
  dropAlias,
  entriesOf,
  esUrl,
  policy,
  raw,
  testAlias,
  testBackend,
  testClient,
} from "./helpers.js";

const plan = (q: Partial<DirectoryQuery> = {}) =>
  buildDirectoryPlan({ filters: {}, page: 1, pageSize: 20, sort: "relevance", ...q }, policy);

describe.skipIf(!esUrl)("Elasticsearch backend", () => {
  let client: Client;
  let backend: ElasticsearchBackend;
  const alias = testAlias("backend");

  beforeAll(() => {
    client = testClient();
    backend = testBackend(client, alias);
  });
  afterAll(async () => {
    await dropAlias(client, alias);
    await client.close();
  });

  it("is not ready before anything is indexed", async () => {
    const r = await backend.readiness();
    expect(r).toMatchObject({ ready: false, backend: "elasticsearch" });
    expect(r.details).toMatchObject({ alias, indices: [] });
  });

  it("indexes, skips stale updates and replays, and deletes for good", async () => {
    const first = await backend.apply(
      entriesOf([
        raw("a-1", { updatedAt: "2026-10-01T00:00:00Z" }),
        raw("a-2", { updatedAt: "2026-10-01T00:00:00Z" }),
        raw("a-3", { updatedAt: "2026-10-01T00:00:00Z" }),
      ]),
    );
    expect(first).toEqual({ indexed: 3, updated: 0, deleted: 0, stale: 0 });

    const second = await backend.apply(
      entriesOf([
        raw("a-1", { name: "Newer One", updatedAt: "2026-10-02T00:00:00Z" }),
        raw("a-2", { name: "Older Two", updatedAt: "2026-09-01T00:00:00Z" }),
        // A replay of the same version is stale too: replays are idempotent.
        raw("a-3", { name: "Same Three", updatedAt: "2026-10-01T00:00:00Z" }),
      ]),
    );
    expect(second).toEqual({ indexed: 0, updated: 1, deleted: 0, stale: 2 });
    expect((await backend.get("a-1"))?.name).toBe("Newer One");
    expect((await backend.get("a-2"))?.name).toBe("Partner a-2");
    expect((await backend.get("a-3"))?.name).toBe("Partner a-3");

    const deletes = await backend.apply(
      entriesOf([
        { id: "a-1", deleted: true, updatedAt: "2026-10-03T00:00:00Z" },
        // Older than the profile held: the profile stays.
        { id: "a-2", deleted: true, updatedAt: "2026-09-15T00:00:00Z" },
        // Never indexed: nothing to delete, but its version is remembered.
        { id: "a-9", deleted: true, updatedAt: "2026-10-03T00:00:00Z" },
      ]),
    );
    expect(deletes).toEqual({ indexed: 0, updated: 0, deleted: 1, stale: 1 });
    expect(await backend.get("a-1")).toBeUndefined();
    expect(await backend.get("a-2")).toBeDefined();

    // A late update older than the tombstone cannot resurrect the partner; a newer one can.
    const late = await backend.apply(
      entriesOf([
        raw("a-1", { updatedAt: "2026-10-02T12:00:00Z" }),
        raw("a-9", { updatedAt: "2026-10-02T12:00:00Z" }),
      ]),
    );
    expect(late).toEqual({ indexed: 0, updated: 0, deleted: 0, stale: 2 });
    expect(await backend.get("a-1")).toBeUndefined();
    const back = await backend.apply(
      entriesOf([raw("a-1", { updatedAt: "2026-10-04T00:00:00Z" })]),
    );
    expect(back).toEqual({ indexed: 1, updated: 0, deleted: 0, stale: 0 });
  });

  it("returns the whole stored profile, internal data included, without derived fields", async () => {
    const p = await backend.get("a-2");
    expect(p).toMatchObject({
      id: "a-2",
      internal: { retention: 0 },
      locations: [{ city: "Hamburg" }],
    });
    expect(p).not.toHaveProperty("search");
    expect(await backend.get("nope")).toBeUndefined();
  });

  it("reports the cluster, alias and document count when ready", async () => {
    const r = await backend.readiness();
    expect(r.ready).toBe(true);
    expect(r.details).toMatchObject({ alias, docs: 3 });
    expect(["green", "yellow"]).toContain(r.details.cluster);
  });

  describe("directory", () => {
    beforeAll(async () => {
      await backend.apply(
        entriesOf([
          raw("d-1", {
            name: "Nordlicht Digital GmbH",
            tier: "elite",
            accreditations: [{ code: "crm_implementation" }],
            languages: ["de", "en"],
            locations: [{ country: "DE", city: "Hamburg" }],
            markets: ["AT"],
            reviews: { count: 40, average: 4.9 },
          }),
          raw("d-2", {
            name: "Alpen CRM",
            tier: "gold",
            description: "Vertriebsberatung und CRM-Migration",
            services: ["crm_migration", "training"],
            languages: ["de"],
            locations: [{ country: "AT", city: "Wien" }],
            markets: [],
          }),
          raw("d-3", {
            name: "Tokyo Inbound",
            description: "HubSpot導入支援とマーケティング",
            programLevel: "provider",
            tier: "none",
            languages: ["ja"],
            industries: ["software"],
            locations: [{ country: "JP", city: "Tokyo" }],
            markets: ["JP"],
          }),
          raw("d-4", {
            name: "Hidden Partner",
            directoryListed: false,
            locations: [{ country: "DE", city: "Berlin" }],
          }),
        ]),
      );
    });

    const ids = (r: { hits: { profile: { id: string } }[] }) => r.hits.map((h) => h.profile.id);

    it("lists only directory-listed profiles, accredited first", async () => {
      const r = await backend.directory(plan({ filters: { country: ["DE"] } }));
      expect(ids(r)[0]).toBe("d-1");
      expect(ids(r)).not.toContain("d-4");
      expect(r.total).toBe(ids(r).length);
    });

    it("sends a page's profiles without their internal part, text and filter-only alike", async () => {
      for (const q of [{ filters: { country: ["DE"] } }, { q: "CRM" }]) {
        const r = await backend.directory(plan(q));
        expect(r.hits.length).toBeGreaterThan(0);
        for (const h of r.hits) {
          expect(h.profile).not.toHaveProperty("internal");
          expect(h.profile).not.toHaveProperty("search");
          expect(h.profile).toHaveProperty("locations");
        }
      }
    });

    it("matches a country by location or by market served", async () => {
      const r = await backend.directory(plan({ filters: { country: ["AT"] } }));
      expect(ids(r).sort()).toEqual(["d-1", "d-2"]);
    });

    it("ORs within a field and ANDs across fields", async () => {
      const r = await backend.directory(
        plan({ filters: { language: ["ja", "de"], customerSize: ["medium"] } }),
      );
      expect(ids(r).sort()).toEqual(["d-1", "d-2", "d-3"]);
      const and = await backend.directory(plan({ filters: { language: ["de"], tier: ["gold"] } }));
      expect(ids(and)).toEqual(["d-2"]);
    });

    it("counts facets disjunctively: a field's own filter does not narrow its counts", async () => {
      const r = await backend.directory(plan({ filters: { tier: ["gold"], language: ["de"] } }));
      // Tier counts over language=de only; language counts over tier=gold only.
      expect(r.facets.tier).toEqual({ elite: 1, gold: 1 });
      expect(r.facets.language?.de).toBe(1);
      expect(r.facets.accredited).toEqual({ false: 1 });
    });

    it("finds German compound parts and Japanese bigrams through our analyzer", async () => {
      const de = await backend.directory(plan({ q: "Beratung" }));
      expect(ids(de)).toContain("d-2");
      const ja = await backend.directory(plan({ q: "導入支援" }));
      expect(ids(ja)).toEqual(["d-3"]);
      expect(ja.hits[0]?.score).toBeGreaterThan(0);
    });

    it("sorts by name, tier and rating with the id as tie-break, and pages", async () => {
      const byName = await backend.directory(plan({ sort: "name" }));
      expect(byName.hits.map((h) => h.profile.name).slice(0, 2)).toEqual([
        "Alpen CRM",
        "Nordlicht Digital GmbH",
      ]);
      const byTier = await backend.directory(plan({ sort: "tier" }));
      expect(ids(byTier)[0]).toBe("d-1");
      const page2 = await backend.directory(plan({ sort: "name", page: 2, pageSize: 2 }));
      expect(ids(page2)).toEqual(ids(byName).slice(2, 4));
      expect(page2.total).toBe(byName.total);
    });

    it("gives candidates: partners in or serving the country, sharing a language", async () => {
      const { profiles: de, marketSize } = await backend.candidates({
        programLevels: catalog.referralLevels,
        country: "DE",
      });
      // Unlisted partners are candidates too; the provider d-3 is not.
      expect(de.map((p) => p.id).sort()).toEqual(["a-1", "a-2", "a-3", "d-1", "d-4"]);
      expect(de[0]?.internal).toBeDefined();
      expect(marketSize).toBe(5);
      const jp = await backend.candidates({ programLevels: catalog.referralLevels, country: "JP" });
      expect(jp).toEqual({ profiles: [], marketSize: 0, excludedBy: {} });
      const { profiles: at } = await backend.candidates({
        programLevels: catalog.referralLevels,
        country: "AT",
        languages: ["de"],
      });
      expect(at.map((p) => p.id)).toEqual(["d-1", "d-2"]);
    });
  });
});
