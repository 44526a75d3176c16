// The audit sinks on their own: the NDJSON file with size rotation and read-back across the
// rotated files, the memory ring, and the label:token parsing of MATCH_API_TOKENS.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type AuditEntry, MemoryAuditSink } from "../../src/audit/audit-sink.js";
import { defaultCallerLabel, parseCallerToken } from "../../src/audit/caller.js";
import { FileAuditSink } from "../../src/audit/file-sink.js";
import { ConfigError, parseConfig } from "../../src/config.js";

const T0 = Date.parse("2026-12-01T10:00:00Z");
function entry(i: number): AuditEntry {
  return {
    at: new Date(T0 + i * 1000).toISOString(),
    caller: "crm",
    market: "DE",
    request: { customer: { country: "DE" }, n: i },
    status: 200,
    rankingVersion: "v1",
    candidates: [{ id: `p-${i}`, score: 0.5 }],
  };
}
const ids = (es: AuditEntry[]) => es.map((e) => (e.request as { n: number }).n);

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp() {
  const d = mkdtempSync(join(tmpdir(), "audit-"));
  dirs.push(d);
  return d;
}

describe("FileAuditSink", () => {
  it("appends in order without waiting, rotates by size and reads back newest first across files", async () => {
    const dir = tmp();
    const file = join(dir, "audit.ndjson");
    const lineBytes = `${JSON.stringify(entry(10))}\n`.length;
    const sink = new FileAuditSink({ file, maxBytes: lineBytes * 4, keep: 2 });
    // Not awaited one by one: the writer keeps the order.
    await Promise.all(Array.from({ length: 11 }, (_, i) => sink.record(entry(i + 10))));
    expect(readdirSync(dir).sort()).toEqual(["audit.ndjson", "audit.ndjson.1", "audit.ndjson.2"]);
    for (const f of readdirSync(dir)) {
      const size = readFileSync(join(dir, f)).length;
      expect(size).toBeLessThanOrEqual(lineBytes * 4);
    }
    // 11 records, 4 a file, 2 rotated kept: all 11 still there (4 + 4 + 3).
    expect(ids(await sink.recent({ limit: 100 }))).toEqual([
      20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10,
    ]);
    expect(ids(await sink.recent({ limit: 5 }))).toEqual([20, 19, 18, 17, 16]);
    const since = new Date(T0 + 13_000);
    expect(ids(await sink.recent({ limit: 100, since }))).toEqual([20, 19, 18, 17, 16, 15, 14, 13]);
    // Four more: the oldest file is dropped.
    for (let i = 21; i <= 24; i++) void sink.record(entry(i));
    const all = ids(await sink.recent({ limit: 100 }));
    expect(all[0]).toBe(24);
    expect(all.at(-1)).toBe(14);
    await sink.close();
  });

  it("continues an existing file after a restart, and reads what a restart left", async () => {
    const file = join(tmp(), "audit.ndjson");
    const first = new FileAuditSink({ file, maxBytes: 1 << 20, keep: 3 });
    await first.record(entry(1));
    await first.close();
    const second = new FileAuditSink({ file, maxBytes: 1 << 20, keep: 3 });
    void second.record(entry(2));
    expect(ids(await second.recent({ limit: 10 }))).toEqual([2, 1]);
    expect(second.describe()).toEqual({ kind: "file", file, maxBytes: 1 << 20, keep: 3 });
  });

  it("reads a large file back from its end across chunk boundaries, multi-byte text intact", async () => {
    const file = join(tmp(), "audit.ndjson");
    const sink = new FileAuditSink({ file, maxBytes: 1 << 30, keep: 1 });
    const big = (i: number): AuditEntry => ({
      ...entry(i),
      request: { n: i, note: `Zürich – 東京 ${"ü".repeat(i % 97)}` },
    });
    for (let i = 0; i < 3000; i++) void sink.record(big(i));
    const all = await sink.recent({ limit: 5000 });
    expect(all).toHaveLength(3000);
    expect(all.map((e) => (e.request as { n: number }).n)).toEqual(
      Array.from({ length: 3000 }, (_, i) => 2999 - i),
    );
    expect(all[1234]).toEqual(big(2999 - 1234));
    expect(await sink.recent({ limit: 3 })).toEqual([big(2999), big(2998), big(2997)]);
  });

  it("rejects a write it could not make, and writes the next ones", async () => {
    const dir = tmp();
    const sink = new FileAuditSink({
      file: join(dir, "missing", "audit.ndjson"),
      maxBytes: 1 << 20,
      keep: 1,
    });
    await expect(sink.record(entry(1))).rejects.toThrow(/ENOENT/);
    expect(await sink.recent({ limit: 10 })).toEqual([]);
  });
});

describe("MemoryAuditSink", () => {
  it("keeps the newest records, newest first, filtered by since and limit", async () => {
    const sink = new MemoryAuditSink(3);
    for (let i = 1; i <= 5; i++) await sink.record(entry(i));
    expect(ids(await sink.recent({ limit: 10 }))).toEqual([5, 4, 3]);
    expect(ids(await sink.recent({ limit: 2 }))).toEqual([5, 4]);
    expect(ids(await sink.recent({ limit: 10, since: new Date(T0 + 4000) }))).toEqual([5, 4]);
    expect(sink.describe()).toMatchObject({
      kind: "memory",
      note: expect.stringMatching(/memory/),
    });
  });
});

describe("MATCH_API_TOKENS labels", () => {
  it("reads label:token and bare tokens; a bare token's label never contains it", () => {
    const bare = "bare-token-0123456789";
    const config = parseConfig({ MATCH_API_TOKENS: `crm-sync:crm-token-0123456789, ${bare}` });
    expect(config.MATCH_API_TOKENS).toEqual([
      { label: "crm-sync", token: "crm-token-0123456789" },
      { label: defaultCallerLabel(bare), token: bare },
    ]);
    expect(defaultCallerLabel(bare)).toMatch(/^token-[0-9a-f]{6}$/);
    expect(defaultCallerLabel(bare)).toBe(defaultCallerLabel(bare));
    expect(parseCallerToken("a:b:0123456789abcdef")).toEqual({
      label: "a",
      token: "b:0123456789abcdef",
    });
  });

  it("refuses a short token or a bad label, naming the setting and never the token", () => {
    for (const value of ["crm:short-token", "bad label:0123456789abcdef", ":0123456789abcdef0"]) {
      let error: unknown;
      try {
        parseConfig({ MATCH_API_TOKENS: value });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/MATCH_API_TOKENS/);
      expect(message).not.toContain(value.split(":").at(-1));
    }
  });
});
