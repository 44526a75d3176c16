// The last-good copy in front of an engine that can go away: answers come from the engine while
// it answers and from the copy, marked stale per answer, when it cannot; writes never land in
// the copy alone; the copy is reloaded whole (deletes included) and keeps the pushes made
// while it was being read.
import { afterEach, describe, expect, it } from "vitest";
import { buildDirectoryPlan } from "../../../src/ranking/directory.js";
import { type CandidateQuery, SearchUnavailableError } from "../../../src/search/backend.js";
import {
  type FallbackBackend,
  openFallback,
} from "../../../src/search/fallback/fallback-backend.js";
import { catalog, entries, policy } from "../../helpers.js";
import { FakeEngine, raw, unreachable } from "./fake-engine.js";

const plan = (country: string, page = 1) =>
  buildDirectoryPlan(
    { filters: { country: [country] }, page, pageSize: 5, sort: "relevance" },
    policy,
  );
const query: CandidateQuery = { country: "DE", programLevels: catalog.referralLevels };
const clock = () => new Date("2026-12-01T10:00:00.000Z");
const AS_OF = "2026-12-01T10:00:00.000Z";

const opened: FallbackBackend[] = [];
async function open(engine: FakeEngine, refreshMs = 3_600_000) {
  const b = openFallback(engine, { catalog, policy, refreshMs, clock });
  opened.push(b);
  await b.start();
  return b;
}
afterEach(async () => {
  for (const b of opened.splice(0)) await b.close();
});

describe("FallbackBackend", () => {
  it("answers from the engine while it answers, from the copy (marked stale) when it cannot", async () => {
    const engine = new FakeEngine(entries(Array.from({ length: 40 }, (_, i) => raw(i))));
    const b = await open(engine);
    const live = {
      directory: await b.directory(plan("DE")),
      candidates: await b.candidates(query),
      lookup: await b.lookup("p-004"),
    };
    expect(live.directory.stale).toBeUndefined();
    expect(live.candidates.stale).toBeUndefined();
    expect(live.lookup).toEqual({ profile: expect.objectContaining({ id: "p-004" }) });

    engine.fault = unreachable;
    const stale = { asOf: AS_OF };
    expect(await b.directory(plan("DE"))).toEqual({ ...live.directory, stale });
    expect(await b.candidates(query)).toEqual({ ...live.candidates, stale });
    expect(await b.lookup("p-004")).toEqual({ ...live.lookup, stale });
    expect(await b.lookup("p-999")).toEqual({ profile: undefined, stale });
    expect((await b.get("p-004"))?.name).toBe("Partner 4");
    const ready = await b.readiness();
    expect(ready).toMatchObject({
      ready: true,
      degraded: `serving the last-good copy from ${AS_OF}`,
      details: { fallback: { asOf: AS_OF, profiles: 40 } },
    });

    engine.fault = undefined;
    expect((await b.directory(plan("DE"))).stale).toBeUndefined();
    expect((await b.readiness()).degraded).toBeUndefined();
  });

  it("marks each answer on its own: concurrent reads, one served by the copy, one not", async () => {
    const engine = new FakeEngine(entries(Array.from({ length: 40 }, (_, i) => raw(i))));
    const b = await open(engine);
    // The engine fails page 2 only.
    const directory = engine.directory.bind(engine);
    engine.directory = async (p) => {
      if (p.from > 0) throw unreachable();
      return directory(p);
    };
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => b.directory(plan("US", (i % 2) + 1))),
    );
    answers.forEach((a, i) => {
      expect(a.stale, `request ${i}`).toEqual(i % 2 === 1 ? { asOf: AS_OF } : undefined);
    });
  });

  it("does not paper over a refusal, nor answer without a copy", async () => {
    const engine = new FakeEngine(entries([raw(1)]));
    const b = await open(engine);
    engine.fault = () => new SearchUnavailableError("engine: no such index", false);
    await expect(b.directory(plan("DE"))).rejects.toMatchObject({ retryable: false });

    const down = new FakeEngine(entries([raw(1)]));
    down.fault = unreachable;
    const none = await open(down);
    await expect(none.directory(plan("DE"))).rejects.toMatchObject({ retryable: true });
    expect(await none.readiness()).toMatchObject({
      ready: false,
      details: { fallback: { asOf: null, error: "engine: unreachable" } },
    });
  });

  it("refuses writes while the engine is away and mirrors the ones it took", async () => {
    const engine = new FakeEngine(entries([raw(1), raw(2)]));
    const b = await open(engine);
    await b.apply(entries([raw(1, { name: "Renamed", updatedAt: "2026-11-01T00:00:00Z" })]));
    engine.fault = unreachable;
    await expect(
      b.apply(entries([raw(2, { name: "Lost", updatedAt: "2026-11-01T00:00:00Z" })])),
    ).rejects.toBeInstanceOf(SearchUnavailableError);
    expect((await b.get("p-001"))?.name).toBe("Renamed");
    expect((await b.get("p-002"))?.name).toBe("Partner 2");
    expect(b.maxApplyBatch).toBe(5_000);
  });

  it("reloads the copy whole, deletes included, keeping the pushes made while it was read", async () => {
    const engine = new FakeEngine(entries(Array.from({ length: 30 }, (_, i) => raw(i))));
    const b = await open(engine);
    // Deleted in the engine by another writer (say, a full reindex without it).
    await engine.apply(
      entries([{ id: "p-003", deleted: true, updatedAt: "2026-11-01T00:00:00Z" }]),
    );
    let release = () => {};
    engine.gate = new Promise<void>((r) => {
      release = r;
    });
    const reloading = b.reload();
    await new Promise((r) => setTimeout(r, 10));
    // Pushed through the service while the engine is being read.
    await b.apply(entries([raw(29, { name: "Pushed", updatedAt: "2026-11-02T00:00:00Z" })]));
    release();
    expect(await reloading).toBe(true);
    engine.fault = unreachable;
    expect(await b.lookup("p-003")).toEqual({ profile: undefined, stale: { asOf: AS_OF } });
    expect((await b.get("p-029"))?.name).toBe("Pushed");
    expect((await b.readiness()).details.fallback).toMatchObject({ profiles: 29 });
  });

  it("keeps the old copy when a reload fails, and reloads on schedule until closed", async () => {
    const engine = new FakeEngine(entries([raw(1)]));
    const b = await open(engine, 30);
    await new Promise((r) => setTimeout(r, 200));
    expect(engine.reads).toBeGreaterThan(2);
    engine.fault = unreachable;
    expect(await b.reload()).toBe(false);
    expect(b.copyAsOf).toBe(AS_OF);
    expect((await b.lookup("p-001")).stale).toEqual({ asOf: AS_OF });
    await b.close();
    const reads = engine.reads;
    await new Promise((r) => setTimeout(r, 150));
    expect(engine.reads).toBe(reads);
  });
});
