// The snapshot format and the lazily loading SnapshotBackend, on Node (the same web streams
// and DecompressionStream as workerd): round trip, catalog mismatch, damage, load-once.
import { gzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { buildCatalog } from "../../../src/catalog/catalog.js";
import catalogJson from "../../../src/catalog/data/catalog.json" with { type: "json" };
import { buildDirectoryPlan } from "../../../src/ranking/directory.js";
import { SearchUnavailableError } from "../../../src/search/backend.js";
import {
  decodeSnapshot,
  encodeSnapshot,
  SnapshotError,
} from "../../../src/search/snapshot/format.js";
import { SnapshotBackend } from "../../../src/search/snapshot/snapshot-backend.js";
import { backendOf, catalog, policy, profiles, rawProfile } from "../../helpers.js";

const RAWS = [
  rawProfile({ id: "p-3", name: "Drei AG", industries: ["retail_ecommerce"] }),
  rawProfile({ id: "p-1", name: "Eins GmbH" }),
  rawProfile({ id: "p-2", name: "Zwei KG", accreditations: [], tier: "gold" }),
];
const META = { source: "test", builtAt: new Date("2026-01-01T00:00:00Z") };
const text = encodeSnapshot(profiles(RAWS), catalog, META);

const streamOf = (bytes: Uint8Array | string) =>
  new Response(bytes as BodyInit).body as ReadableStream<Uint8Array>;

describe("snapshot format", () => {
  it("round-trips gzipped or plain, sorted by id, trusting a matching catalog", async () => {
    for (const bytes of [gzipSync(text), text]) {
      const d = await decodeSnapshot(streamOf(bytes), catalog);
      expect(d.catalogMatched).toBe(true);
      expect(d.header).toMatchObject({
        count: 3,
        source: "test",
        builtAt: "2026-01-01T00:00:00.000Z",
      });
      expect(d.profiles.map((p) => p.id)).toEqual(["p-1", "p-2", "p-3"]);
      expect(d.profiles).toEqual(profiles(RAWS).sort((a, b) => a.id.localeCompare(b.id)));
      expect(d.bytes).toBe(typeof bytes === "string" ? bytes.length : bytes.byteLength);
    }
  });

  it("is byte-identical for the same feed", () => {
    expect(encodeSnapshot(profiles([...RAWS].reverse()), catalog, META)).toBe(text);
  });

  it("carries a data version that changes with the data and only with it", async () => {
    const version = async (t: string) =>
      (await decodeSnapshot(streamOf(t), catalog)).header.dataVersion;
    const rebuilt = encodeSnapshot(profiles(RAWS), catalog, { ...META, builtAt: new Date() });
    expect(await version(rebuilt)).toBe(await version(text));
    const changed = RAWS.map((r) => (r.id === "p-2" ? { ...r, name: "Zwei GmbH" } : r));
    const other = encodeSnapshot(profiles(changed), catalog, META);
    expect(await version(other)).not.toBe(await version(text));
  });

  it("re-validates every profile against a different catalog, naming line and path", async () => {
    const other = structuredClone(catalogJson) as { industries: { code: string }[] };
    other.industries = other.industries.filter((i) => i.code !== "retail_ecommerce");
    const d = await decodeSnapshot(streamOf(gzipSync(text)), buildCatalog(other));
    expect(d.catalogMatched).toBe(false);
    expect(d.profiles.map((p) => p.id)).toEqual(["p-1", "p-2"]);
    expect(d.rejects).toEqual([
      expect.objectContaining({ line: 4, id: "p-3", path: "industries[0]" }),
    ]);
  });

  it.each([
    ["an empty file", "", /empty/],
    [
      "a feed, not a snapshot",
      `${JSON.stringify(RAWS[0])}\n`,
      /not a partner-snapshot v2 file.*build:snapshot/,
    ],
    [
      "a truncated file",
      text.split("\n").slice(0, 3).join("\n"),
      /truncated: the header says 3 profiles, found 2/,
    ],
    ["a damaged line", text.replace(/\n\{"id":"p-2"/, '\n{"id":p-2'), /line 3 is not valid JSON/],
  ])("refuses %s", async (_, body, message) => {
    await expect(decodeSnapshot(streamOf(body), catalog)).rejects.toThrow(message);
    await expect(decodeSnapshot(streamOf(body), catalog)).rejects.toBeInstanceOf(SnapshotError);
  });
});

describe("SnapshotBackend", () => {
  const gz = gzipSync(text);

  it("loads on first use only, once for concurrent requests, and answers like MemoryBackend", async () => {
    const fetchSnapshot = vi.fn(async () => new Response(gz));
    const b = new SnapshotBackend({ fetchSnapshot, location: "test", catalog, policy });
    expect(fetchSnapshot).not.toHaveBeenCalled();
    const plan = buildDirectoryPlan(
      { filters: {}, page: 1, pageSize: 10, sort: "relevance" },
      policy,
    );
    const [a] = await Promise.all([b.directory(plan), b.get("p-1"), b.readiness()]);
    expect(fetchSnapshot).toHaveBeenCalledTimes(1);
    expect(a).toEqual(await backendOf(RAWS).directory(plan));
    expect(
      (await b.candidates({ country: "DE", programLevels: catalog.referralLevels })).profiles,
    ).toHaveLength(3);
    expect(b.stats).toMatchObject({
      profiles: 3,
      rejected: 0,
      catalogMatched: true,
      bytes: gz.byteLength,
    });
    expect(fetchSnapshot).toHaveBeenCalledTimes(1);
  });

  it("keeps coordinates and budgets: near, sort=distance and budgetUsd answer like MemoryBackend", async () => {
    const b = new SnapshotBackend({
      fetchSnapshot: async () => new Response(gz),
      location: "test",
      catalog,
      policy,
    });
    const hamburg = { lat: 53.55, lon: 9.99 };
    const plan = (budgetUsd: number) =>
      buildDirectoryPlan(
        {
          filters: {},
          page: 1,
          pageSize: 10,
          sort: "distance",
          near: hamburg,
          radiusKm: 10,
          budgetUsd,
        },
        policy,
      );
    const within = await b.directory(plan(5000));
    expect(within.total).toBe(3);
    expect(within).toEqual(await backendOf(RAWS).directory(plan(5000)));
    expect((await b.directory(plan(4999))).total).toBe(0);
  });

  it("takes the bytes themselves, as the Worker's bundled snapshot gives them", async () => {
    const own = gz.buffer.slice(gz.byteOffset, gz.byteOffset + gz.byteLength) as ArrayBuffer;
    const b = new SnapshotBackend({
      fetchSnapshot: async () => own,
      location: "t",
      catalog,
      policy,
    });
    expect(await b.readiness()).toMatchObject({
      ready: true,
      details: { profiles: 3, bytes: gz.byteLength },
    });
  });

  it("reports a missing snapshot as not retryable, and retries a failed fetch next time", async () => {
    const missing = new SnapshotBackend({
      fetchSnapshot: async () => new Response("not found", { status: 404 }),
      location: "ASSETS/x.gz",
      catalog,
      policy,
    });
    const err = await missing.get("p-1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SearchUnavailableError);
    expect(err).toMatchObject({ retryable: false });
    expect((err as Error).message).toMatch(/ASSETS\/x.gz answered 404.*build:snapshot/);
    expect(await missing.readiness()).toMatchObject({ ready: false, backend: "snapshot" });

    const fetchSnapshot = vi
      .fn<() => Promise<Response>>()
      .mockRejectedValueOnce(new TypeError("network down"))
      .mockResolvedValue(new Response(gz));
    const flaky = new SnapshotBackend({ fetchSnapshot, location: "test", catalog, policy });
    await expect(flaky.get("p-1")).rejects.toMatchObject({ retryable: true });
    expect((await flaky.get("p-1"))?.name).toBe("Eins GmbH");
  });
});
