// The update log on its own: its lines are feed lines that parse back to the same entries, a
// torn last line is reported and cut off, concurrent appends never interleave, and compaction
// keeps the newest line per id without losing anything.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFeedParser, parseFeed } from "../../../src/partner/feed.js";
import {
  openUpdateLog,
  readUpdateLog,
  toFeedLine,
  UpdateLog,
} from "../../../src/search/durable/update-log.js";
import { catalog, rawProfile } from "../../helpers.js";
import { entry, idOf, memoryLogger, raw, tempDir, tombstone } from "./helpers.js";

const parser = createFeedParser(catalog);
const lineOf = (o: Record<string, unknown>) => `${JSON.stringify(o)}\n`;
const fileLines = (path: string) => readFileSync(path, "utf8").split("\n").filter(Boolean);

describe("feed lines of the update log", () => {
  it("parse back to the same entry through the feed parser", () => {
    const sample = readFileSync(new URL("../../../data/sample-partners.ndjson", import.meta.url));
    const fromSample = parseFeed(sample.subarray(0, 200_000).toString("utf8"), catalog).entries;
    expect(fromSample.length).toBeGreaterThan(50);
    const odd = [
      // normalised on the way in: trimmed, case-folded, de-duplicated, defaults filled in
      rawProfile({ name: "  Nordlicht  ", languages: ["DE", "de"], markets: ["at", "AT"] }),
      rawProfile({
        website: undefined,
        description: undefined,
        minProjectBudgetUsd: undefined,
        internal: undefined,
        reviews: undefined,
        locations: [{ country: "jp", city: "東京" }],
        name: '株式会社 ノルドリヒト \u2028 "quoted" \\ back',
      }),
      { ...tombstone(7, 3), name: "ignored by the tombstone schema" },
    ].map(entry);
    for (const e of [...fromSample, ...odd]) {
      const line = toFeedLine(e);
      expect(line).not.toContain("\n");
      expect(parser.parseLine(line, 1)).toEqual({ entry: e, rejects: [] });
    }
    expect(JSON.parse(toFeedLine(odd[2] as never))).toEqual(tombstone(7, 3));
    expect(JSON.parse(toFeedLine(odd[0] as never))).toMatchObject({ deleted: false });
  });
});

describe("reading the log", () => {
  it("keeps the newest entry per id, the first of equal versions", async () => {
    const path = join(tempDir(), "log.ndjson");
    writeFileSync(
      path,
      [raw(1, 5), raw(2, 1), raw(1, 9), raw(1, 2), raw(2, 1, { name: "same version, later" })]
        .map(lineOf)
        .join(""),
    );
    const c = await readUpdateLog(path, catalog);
    expect(c.entries.map((e) => (e.kind === "upsert" ? e.profile.name : ""))).toEqual([
      "Partner 1 v9",
      "Partner 2 v1",
    ]);
    expect(c).toMatchObject({ lines: 5, held: 5, rejects: [] });
    expect(c.torn).toBeUndefined();
  });

  it("reports a torn last line with its number, skips it and cuts it off before appending", async () => {
    const path = join(tempDir(), "log.ndjson");
    const whole = lineOf(raw(1, 1)) + lineOf(raw(2, 1)) + lineOf(tombstone(3, 1));
    const cut = lineOf(raw(4, 1)).slice(0, 200);
    writeFileSync(path, whole + cut);
    const logger = memoryLogger();
    const { log, contents } = await openUpdateLog(path, { catalog, logger });
    expect(contents.entries).toHaveLength(3);
    expect(contents.rejects).toEqual([]);
    expect(contents.torn).toEqual({ line: 4, bytes: 200 });
    expect(logger.logged).toContainEqual(
      expect.objectContaining({ level: "warn", data: expect.objectContaining({ line: 4 }) }),
    );
    expect(readFileSync(path, "utf8")).toBe(whole);
    await log.append([entry(raw(5, 1))]);
    await log.close();
    const again = await readUpdateLog(path, catalog);
    expect(again.torn).toBeUndefined();
    expect(again.rejects).toEqual([]);
    expect(again.entries.map((e) => (e.kind === "upsert" ? e.profile.id : e.tombstone.id))).toEqual(
      [1, 2, 3, 5].map(idOf),
    );
  });

  it("treats a zero-filled tail (a power cut) as torn, and an empty or absent log as empty", async () => {
    const dir = tempDir();
    const path = join(dir, "log.ndjson");
    writeFileSync(path, lineOf(raw(1, 1)));
    appendFileSync(path, Buffer.alloc(4096));
    const c = await readUpdateLog(path, catalog);
    expect(c.entries).toHaveLength(1);
    expect(c.torn).toEqual({ line: 2, bytes: 4096 });
    const absent = await readUpdateLog(join(dir, "none.ndjson"), catalog);
    expect(absent).toMatchObject({ entries: [], lines: 0, completeBytes: 0 });
    writeFileSync(join(dir, "empty.ndjson"), "");
    expect((await readUpdateLog(join(dir, "empty.ndjson"), catalog)).torn).toBeUndefined();
  });
});

describe("appending", () => {
  it("writes each call's lines together, even when calls overlap", async () => {
    const path = join(tempDir(), "new-dir-entry.ndjson");
    const log = await UpdateLog.open(path);
    const calls = Array.from({ length: 40 }, (_, c) =>
      Array.from({ length: 1 + (c % 4) }, (_, k) => entry(raw(c * 10 + k + 1, c))),
    );
    await Promise.all(calls.map((batch) => log.append(batch)));
    expect(log.lines).toBe(calls.flat().length);
    await log.close();
    const ids = fileLines(path).map((l) => (JSON.parse(l) as { id: string }).id);
    for (const batch of calls) {
      const want = batch.map((e) => (e.kind === "upsert" ? e.profile.id : ""));
      const first = ids.indexOf(want[0] as string);
      expect(ids.slice(first, first + want.length)).toEqual(want);
    }
    await expect(log.append([entry(raw(1, 1))])).rejects.toThrow(/closed/);
  });
});

describe("compaction at start", () => {
  it("keeps the newest line per id, swaps the file whole and keeps lines it cannot judge", async () => {
    const dir = tempDir();
    const path = join(dir, "log.ndjson");
    const lines: string[] = [];
    for (let v = 1; v <= 3; v++) for (let i = 1; i <= 10; i++) lines.push(lineOf(raw(i, v)));
    lines.push(lineOf(tombstone(4, 10)));
    // valid JSON the catalog refuses (an operator may bring the code back): kept verbatim
    lines.push(lineOf(raw(11, 1, { industries: ["space_travel"] })));
    // not JSON: only an interrupted, never acknowledged write leaves this; dropped
    lines.push('{"id":"p-000012","na\n');
    writeFileSync(path, lines.join(""));
    const logger = memoryLogger();
    const { log, contents, compacted } = await openUpdateLog(path, {
      catalog,
      logger,
      compactAt: { lines: 20, bytes: 1 << 30 },
    });
    expect(contents.rejects.map((r) => r.line)).toEqual([32, 33]);
    expect(compacted).toEqual({ before: 33, after: 11 });
    expect(existsSync(`${path}.compacting`)).toBe(false);
    const after = await readUpdateLog(path, catalog);
    expect(after.entries).toEqual(contents.entries);
    expect(after.entries).toHaveLength(10);
    expect(after.rejects).toHaveLength(1);
    expect(after.entries.find((e) => e.kind === "delete")).toBeDefined();
    for (const e of after.entries) {
      if (e.kind === "upsert") expect(e.profile.name).toMatch(/ v3$/);
    }
    // the log goes on where the compacted one ends
    expect(log.lines).toBe(11);
    await log.append([entry(raw(1, 4))]);
    await log.close();
    expect(fileLines(path)).toHaveLength(12);
  });

  it("leaves a log alone below the thresholds, or when nothing would be dropped", async () => {
    const path = join(tempDir(), "log.ndjson");
    writeFileSync(path, [1, 2, 3].map((i) => lineOf(raw(i, 1))).join(""));
    const before = readFileSync(path, "utf8");
    for (const compactAt of [
      { lines: 10, bytes: 1 << 30 },
      { lines: 1, bytes: 1 },
    ]) {
      const { log, compacted } = await openUpdateLog(path, {
        catalog,
        logger: memoryLogger(),
        compactAt,
      });
      await log.close();
      expect(compacted).toBeUndefined();
    }
    expect(readFileSync(path, "utf8")).toBe(before);
  });
});
