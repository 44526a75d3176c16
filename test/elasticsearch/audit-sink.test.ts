// The audit trail in an Elasticsearch data stream: the template is put on first use, records
// are appended and read back newest first, filtered by since and limit.
import { afterAll, describe, expect, it, vi } from "vitest";
import type { AuditEntry } from "../../src/audit/audit-sink.js";
import { ElasticsearchAuditSink } from "../../src/audit/elasticsearch-sink.js";
import { esUrl, testAlias, testClient } from "./helpers.js";

const T0 = Date.parse("2026-12-01T10:00:00Z");
function entry(i: number): AuditEntry {
  return {
    at: new Date(T0 + i * 1000).toISOString(),
    caller: i % 2 ? "crm-sync" : "token-abc123",
    market: i === 3 ? null : "DE",
    request: { customer: { country: "DE", languages: ["de"] }, n: i },
    status: i === 3 ? 400 : 200,
    rankingVersion: i === 3 ? null : "rv-1",
    candidates: i === 3 ? [] : [{ id: `p-${i}`, score: 0.25 * i }],
  };
}

describe.skipIf(!esUrl)("ElasticsearchAuditSink", () => {
  const client = testClient();
  const stream = testAlias("audit");
  afterAll(async () => {
    // The test node has no data-streams module (no data stream APIs): a throwaway node keeps it.
    await client.indices.deleteDataStream({ name: stream }, { ignore: [404, 405] });
    await client.indices.deleteIndexTemplate({ name: stream }, { ignore: [400, 404] });
  });

  it("reads nothing before the first record, then the records newest first", async () => {
    const sink = new ElasticsearchAuditSink(client, stream);
    expect(await sink.recent({ limit: 10 })).toEqual([]);
    for (let i = 1; i <= 5; i++) await sink.record(entry(i));
    const resolved = await client.indices.resolveIndex({ name: stream });
    expect(resolved.data_streams.map((d) => d.name)).toEqual([stream]);
    await client.indices.refresh({ index: stream });
    expect(await sink.recent({ limit: 10 })).toEqual([5, 4, 3, 2, 1].map(entry));
    expect(await sink.recent({ limit: 2 })).toEqual([entry(5), entry(4)]);
    expect(await sink.recent({ limit: 10, since: new Date(T0 + 3000) })).toEqual(
      [5, 4, 3].map(entry),
    );
    expect(sink.describe()).toEqual({ kind: "elasticsearch", dataStream: stream });
  });

  it("a second process reuses the template and appends to the same stream", async () => {
    const other = new ElasticsearchAuditSink(client, stream);
    await other.record(entry(6));
    await client.indices.refresh({ index: stream });
    const [newest] = await other.recent({ limit: 1 });
    expect(newest).toEqual(entry(6));
  });

  it("writes records that arrive together in one bulk, each settling by its own outcome", async () => {
    const sink = new ElasticsearchAuditSink(client, stream);
    const bulk = vi.spyOn(client, "bulk");
    const single = vi.spyOn(client, "index");
    try {
      // A status no `short` holds: the node refuses that record alone.
      const refused = { ...entry(40), status: 100_000 };
      const outcomes = await Promise.allSettled([
        ...Array.from({ length: 30 }, (_, i) => sink.record(entry(10 + i))),
        sink.record(refused),
      ]);
      expect(outcomes.slice(0, 30).every((o) => o.status === "fulfilled")).toBe(true);
      expect(outcomes[30]?.status).toBe("rejected");
      // All arrive within the first one's linger: one bulk.
      expect(bulk.mock.calls.length + single.mock.calls.length).toBe(1);
      await client.indices.refresh({ index: stream });
      const stored = await sink.recent({ limit: 100, since: new Date(T0 + 10_000) });
      expect(stored).toEqual(Array.from({ length: 30 }, (_, i) => entry(39 - i)));
    } finally {
      bulk.mockRestore();
      single.mockRestore();
    }
  });
  it("waits a moment for company: records a few ms apart share one bulk, and close() waits for them", async () => {
    const sink = new ElasticsearchAuditSink(client, stream);
    const bulk = vi.spyOn(client, "bulk");
    try {
      const settled: number[] = [];
      const pending = [50, 51, 52].map(async (i, k) => {
        await new Promise((r) => setTimeout(r, k * 10));
        await sink.record(entry(i));
        settled.push(i);
      });
      await new Promise((r) => setTimeout(r, 25));
      expect(settled).toEqual([]);
      await sink.close();
      expect(settled.sort()).toEqual([50, 51, 52]);
      expect(bulk.mock.calls.length).toBe(1);
      await Promise.all(pending);
    } finally {
      bulk.mockRestore();
    }
  });

  it("without a linger, a lone record goes out at once", async () => {
    const sink = new ElasticsearchAuditSink(client, stream, 0);
    const bulk = vi.spyOn(client, "bulk");
    try {
      await sink.record(entry(60));
      await sink.record(entry(61));
      expect(bulk.mock.calls.length).toBe(2);
    } finally {
      bulk.mockRestore();
    }
  });
});
