// The embedded engine fed a hostile feed (test/feed-faults.ts) in random batches, each parsed
// and applied the ways the service does: parseFeed then apply (a push), parseFeed then applySync,
// and loadFeedFile over a file (the start-up load, streaming). Small merge thresholds make
// deltas and background rebuilds happen between batches. The final state must be exactly the
// newest valid version of every id, deleted ids absent, and each batch's rejects exactly the
// model's, line by line.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { type FeedReject, parseFeed } from "../../../src/partner/feed.js";
import { buildDirectoryPlan } from "../../../src/ranking/directory.js";
import type { ApplySummary } from "../../../src/search/backend.js";
import { loadFeedFile } from "../../../src/search/memory/load-feed-file.js";
import { MemoryBackend } from "../../../src/search/memory/memory-backend.js";
import {
  batchText,
  expectedRejects,
  expectedState,
  type FaultyFeed,
  faultCounts,
  faultyFeed,
  seededRng,
} from "../../feed-faults.js";
import { catalog, policy } from "../../helpers.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "feed-faults-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Mode = "push" | "pushSync" | "file";

async function applyBatch(
  b: MemoryBackend,
  text: string,
  mode: Mode,
  n: number,
): Promise<{ rejects: FeedReject[]; summary: ApplySummary }> {
  if (mode === "file") {
    const file = path.join(dir, `batch-${n}.ndjson`);
    writeFileSync(file, text);
    return loadFeedFile(b, file, catalog);
  }
  const parsed = parseFeed(text, catalog);
  const summary = mode === "push" ? await b.apply(parsed.entries) : b.applySync(parsed.entries);
  return { rejects: parsed.rejects, summary };
}

/** Every listed id, read page by page in name order. */
function listedIds(b: MemoryBackend): { total: number; ids: string[] } {
  const ids: string[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const plan = buildDirectoryPlan({ filters: {}, page, pageSize: 50, sort: "name" }, policy);
    const r = b.directorySync(plan);
    total = r.total;
    ids.push(...r.hits.map((h) => h.profile.id));
    if (r.hits.length < 50) return { total, ids };
  }
}

async function runFeed(feed: FaultyFeed) {
  const r = seededRng(feed.seed ^ 0x5eed);
  const b = new MemoryBackend(catalog, policy, { mergeAt: 8, maxDelta: 32 });
  let net = 0;
  for (let i = 0; i < feed.batches.length; i++) {
    const mode: Mode = (["push", "pushSync", "file"] as const)[Math.floor(r() * 3)] as Mode;
    const { rejects, summary } = await applyBatch(b, batchText(feed, i), mode, i);
    net += summary.indexed - summary.deleted;
    const where = `seed ${feed.seed}, batch ${i} (${mode})`;
    expect(
      rejects.map((x) => ({ line: x.line, path: x.path, ...(x.id ? { id: x.id } : {}) })),
      where,
    ).toEqual(expectedRejects(feed.batches[i] ?? []));
    // Each reject says why: the unknown code by name, a duplicate as such.
    for (const x of rejects) {
      const l = feed.batches[i]?.[x.line - 1];
      if (l?.kind === "unknownCode") expect(x.reason, where).toContain(l.code);
      if (l?.kind === "malformed") {
        expect(x.reason, where).toMatch(/^(malformed JSON|a line must be one JSON object)/);
      }
      if (x.path === "id") expect(x.reason, where).toMatch(/^duplicate id/);
    }
    // A read between batches brings the lazy view up to date mid-feed.
    if (r() < 0.3) listedIds(b);
  }
  await b.settled();

  const want = expectedState(feed);
  for (const id of feed.ids) {
    expect(await b.get(id), `seed ${feed.seed}: ${id}`).toEqual(want.live.get(id));
  }
  expect(b.size).toBe(want.live.size);
  expect(net).toBe(want.live.size);
  const listed = listedIds(b);
  expect(listed.total).toBe(want.listed.size);
  expect(new Set(listed.ids)).toEqual(want.listed);
  expect(listed.ids).toHaveLength(want.listed.size);
}

describe("feed faults, embedded engine", () => {
  it("the generator's feeds hold every kind of fault", () => {
    const total = (k: keyof ReturnType<typeof faultCounts>) =>
      [1, 2, 3, 4, 5].map((s) => faultCounts(faultyFeed(s))[k]).reduce((a, b) => a + b, 0);
    for (const k of [
      "upserts",
      "deletes",
      "malformed",
      "unknownCodes",
      "blanks",
      "deletesOfUnknownIds",
      "deletesOlderThanUpsert",
      "duplicatesInBatch",
      "olderAfterNewer",
    ] as const) {
      expect(total(k), k).toBeGreaterThan(0);
    }
    const sizes = [1, 2, 3, 4, 5].map((s) => faultCounts(faultyFeed(s)).lines);
    for (const n of sizes) expect(n).toBeGreaterThanOrEqual(60);
    for (const n of sizes) expect(n).toBeLessThanOrEqual(400);
  });

  it("ends in exactly the newest valid version of every id, whatever the batches and faults", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        await runFeed(faultyFeed(seed));
      }),
      { numRuns: 20, seed: 20_261_201 },
    );
  });
});
