// The binary snapshot (partner-index): an index decoded from it answers directory and finder
// queries exactly as one built from the same profiles, and a damaged file, another version,
// another catalog or another policy is refused or re-indexed, naming what differed.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCatalog } from "../../../src/catalog/catalog.js";
import catalogJson from "../../../src/catalog/data/catalog.json" with { type: "json" };
import policyJson from "../../../src/catalog/data/market-policy.json" with { type: "json" };
import { buildPolicy } from "../../../src/catalog/policy.js";
import { parseFeed } from "../../../src/partner/feed.js";
import type { Profile } from "../../../src/partner/schema.js";
import { buildDirectoryPlan, type DirectoryQuery } from "../../../src/ranking/directory.js";
import { MemoryBackend } from "../../../src/search/memory/memory-backend.js";
import { SnapshotError } from "../../../src/search/snapshot/format.js";
import {
  decodeIndexFile,
  encodeIndexFile,
  INDEX_VERSION,
} from "../../../src/search/snapshot/index-file.js";
import { SnapshotBackend } from "../../../src/search/snapshot/snapshot-backend.js";
import { catalog, policy } from "../../helpers.js";

const SAMPLE = new URL("../../../data/sample-partners.ndjson", import.meta.url);
// 1,500 of the sample's profiles: every facet, language and sort has material, and the test
// stays quick on a shared machine.
const feed = readFileSync(SAMPLE, "utf8").split("\n").slice(0, 1500).join("\n");
const sample = (): Profile[] =>
  parseFeed(feed, catalog).entries.flatMap((e) => (e.kind === "upsert" ? [e.profile] : []));
const META = { source: "test", builtAt: new Date("2026-01-01T00:00:00Z") };
const file = encodeIndexFile(sample(), catalog, policy, META);

function built(): MemoryBackend {
  const m = new MemoryBackend(catalog, policy);
  m.applySync(sample().map((profile) => ({ kind: "upsert" as const, profile })));
  return m;
}

function decoded(): MemoryBackend {
  const d = decodeIndexFile(file, { catalog, policy });
  if (!d.index) throw new Error("expected the stored index");
  return MemoryBackend.fromIndex(d.index, catalog, policy);
}

const first = sample()[0] as Profile;
const city = first.locations.find((l) => l.lat !== undefined) as { lat: number; lon: number };
const QUERIES: Partial<DirectoryQuery>[] = [
  {},
  { sort: "tier", pageSize: 50, page: 2 },
  { sort: "rating", filters: { country: ["DE"] } },
  { sort: "name", filters: { language: ["de", "fr"], accredited: ["true"] } },
  { q: "crm", filters: { industry: [first.industries[0] as string] } },
  { q: "hubspot onboarding", sort: "rating" },
  { q: "marketng agentur" }, // a typo: the loose (one-edit) match
  { q: "migra" }, // a prefix
  { q: "zzzz crm qqqq" }, // no partner has every word: relaxed
  { near: { lat: city.lat, lon: city.lon }, radiusKm: 200, sort: "distance" },
  { near: { lat: city.lat, lon: city.lon }, radiusKm: 500, budgetUsd: 10_000 },
  { filters: { tier: ["gold"], customerSize: ["enterprise"] }, sort: "tier" },
];

describe("binary snapshot round trip", () => {
  const a = built();
  const lazy = decoded();

  it.each(QUERIES.map((q) => [JSON.stringify(q), q] as const))(
    "answers the directory query %s identically",
    async (_, q) => {
      const plan = buildDirectoryPlan(
        { filters: {}, page: 1, pageSize: 20, sort: "relevance", ...q },
        policy,
      );
      const want = await a.directory(plan);
      expect(want.total).toBeGreaterThanOrEqual(0);
      expect(await lazy.directory(plan)).toEqual(want);
    },
  );

  it("answers finder candidate queries and lookups identically", async () => {
    const levels = catalog.referralLevels;
    for (const query of [
      { country: "US", programLevels: levels },
      { country: "DE", programLevels: levels, languages: ["de"], withCapacity: true },
      {
        country: "GB",
        programLevels: levels,
        countLanguages: ["en"],
        eligibleIf: { accreditationsAny: [], qualified: { minRetention: 0.5 } },
      },
    ]) {
      const want = await a.candidates(query);
      expect(want.profiles.length).toBeGreaterThan(0);
      expect(await lazy.candidates(query)).toEqual(want);
    }
    expect(await lazy.get(first.id)).toEqual(first);
    expect(await lazy.get("no-such-id")).toBeUndefined();
    expect(lazy.size).toBe(a.size);
  });

  it("takes updates after a snapshot start like a backend built from profiles", async () => {
    const update = { ...first, name: "Renamed GmbH", updatedAt: "2030-01-01T00:00:00Z" };
    const x = built();
    const y = decoded();
    for (const m of [x, y]) {
      m.applySync([{ kind: "upsert", profile: structuredClone(update) }]);
      m.applySync([
        {
          kind: "delete",
          tombstone: {
            id: (sample()[1] as Profile).id,
            updatedAt: "2030-01-01T00:00:00Z",
            deleted: true,
          },
        },
      ]);
    }
    const plan = buildDirectoryPlan({ filters: {}, page: 1, pageSize: 30, sort: "name" }, policy);
    expect(await y.directory(plan)).toEqual(await x.directory(plan));
    expect((await y.get(first.id))?.name).toBe("Renamed GmbH");
    expect(y.size).toBe(x.size);
  });

  it("is byte-identical for the same feed and build time", () => {
    const again = encodeIndexFile(sample().reverse(), catalog, policy, META);
    // Buffer.equals: a deep toEqual over megabytes takes a minute.
    expect(Buffer.from(again).equals(Buffer.from(file))).toBe(true);
  });
});

/** The file with its header changed (re-padded so the body stays 8-aligned). */
function withHeader(bytes: Uint8Array, change: (h: Record<string, unknown>) => void): Uint8Array {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  change(header);
  let text = JSON.stringify(header);
  text += " ".repeat((8 - ((8 + text.length) % 8)) % 8);
  const h = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + h.length + bytes.length - 8 - length);
  out.set(bytes.subarray(0, 4));
  new DataView(out.buffer).setUint32(4, h.length, true);
  out.set(h, 8);
  out.set(bytes.subarray(8 + length), 8 + h.length);
  return out;
}

describe("binary snapshot refusals", () => {
  const open = (bytes: Uint8Array) => () => decodeIndexFile(bytes, { catalog, policy });

  it("refuses another version, naming both", () => {
    const other = withHeader(file, (h) => {
      h.version = INDEX_VERSION + 1;
    });
    expect(open(other)).toThrow(SnapshotError);
    expect(open(other)).toThrow(
      `partner-index version ${INDEX_VERSION + 1}, this build reads version ${INDEX_VERSION}`,
    );
  });

  it("refuses a version 1 file (profiles as JSON text), naming both versions", () => {
    const v1 = withHeader(file, (h) => {
      h.version = 1;
    });
    expect(open(v1)).toThrow(SnapshotError);
    expect(open(v1)).toThrow(
      `partner-index version 1, this build reads version ${INDEX_VERSION}; rebuild it with npm run build:snapshot`,
    );
  });

  it("refuses a damaged body by its checksum, and a truncated one by its length", () => {
    const damaged = file.slice();
    damaged[damaged.length - 100] = (damaged[damaged.length - 100] as number) ^ 1;
    expect(open(damaged)).toThrow(/checksum mismatch.*damaged/);
    expect(open(file.slice(0, file.length - 64))).toThrow(
      /truncated: the header says \d+ body bytes/,
    );
  });

  it("refuses a file that is not a binary snapshot", () => {
    expect(open(new TextEncoder().encode('{"id":"p-1"}\n'))).toThrow(/not a partner-index file/);
    expect(open(withHeader(file, (h) => void delete h.checksum))).toThrow(
      /not a partner-index header.*checksum/,
    );
  });

  it("re-validates the profiles against another catalog instead of trusting the index", () => {
    const other = structuredClone(catalogJson) as { industries: { code: string }[] };
    const dropped = first.industries[0] as string;
    other.industries = other.industries.filter((i) => i.code !== dropped);
    const otherCatalog = buildCatalog(other);
    const d = decodeIndexFile(file, {
      catalog: otherCatalog,
      policy: buildPolicy(policyJson, otherCatalog),
    });
    expect(d.catalogMatched).toBe(false);
    expect(d.index).toBeUndefined();
    expect(d.rejects.length).toBeGreaterThan(0);
    expect(d.rejects[0]).toMatchObject({ path: expect.stringMatching(/^industries/) });
    expect((d.profiles?.length ?? 0) + new Set(d.rejects.map((r) => r.line)).size).toBe(
      sample().length,
    );
  });

  it("re-indexes under another market policy: the stored scores follow the old one", async () => {
    const changed = structuredClone(policyJson) as {
      directory: { text: { bm25: { k1: number } } };
    };
    changed.directory.text.bm25.k1 += 0.3;
    const otherPolicy = buildPolicy(changed, catalog);
    const d = decodeIndexFile(file, { catalog, policy: otherPolicy });
    expect(d).toMatchObject({ catalogMatched: true, policyMatched: false });
    expect(d.index).toBeUndefined();
    expect(d.profiles).toHaveLength(sample().length);

    const b = new SnapshotBackend({
      fetchSnapshot: async () => new Response(file as Uint8Array<ArrayBuffer>),
      location: "test",
      catalog,
      policy: otherPolicy,
    });
    const plan = buildDirectoryPlan(
      { filters: {}, page: 1, pageSize: 10, sort: "relevance", q: "crm" },
      otherPolicy,
    );
    const m = new MemoryBackend(catalog, otherPolicy);
    m.applySync(sample().map((profile) => ({ kind: "upsert" as const, profile })));
    expect(await b.directory(plan)).toEqual(await m.directory(plan));
    expect(b.stats).toMatchObject({ format: "partner-index", policyMatched: false });
  });
});
