// The bulk writer's retries, with faults injected in front of a real node: a proxy answers the
// first bulk requests with 429 and 503, then passes everything through. The writer must back
// off, retry, and end with every document written exactly once.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SearchUnavailableError } from "../../src/search/backend.js";
import { bulkItem, writeBulk } from "../../src/search/elasticsearch/bulk-writer.js";
import { createClient } from "../../src/search/elasticsearch/client.js";
import { bulkLinesOf } from "../../src/search/elasticsearch/documents.js";
import {
  countDocs,
  createVersionedIndex,
  refresh,
} from "../../src/search/elasticsearch/index-lifecycle.js";
import {
  catalog,
  dropAlias,
  entriesOf,
  esUrl,
  policy,
  raw,
  testAlias,
  testClient,
} from "./helpers.js";

describe.skipIf(!esUrl)("bulk writer retries", () => {
  const alias = testAlias("retry");
  const direct = testClient();
  let proxy: http.Server;
  let proxyUrl = "";
  /** Statuses to answer the next bulk requests with, instead of forwarding them. */
  const faults: number[] = [];
  let bulkRequests = 0;

  beforeAll(async () => {
    proxy = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (req.url?.includes("_bulk")) {
        bulkRequests++;
        const status = faults.shift();
        if (status) {
          res.writeHead(status, {
            "content-type": "application/json",
            "x-elastic-product": "Elasticsearch",
          });
          res.end(JSON.stringify({ error: { type: "injected_fault" }, status }));
          return;
        }
      }
      const upstream = await fetch(`${esUrl}${req.url}`, {
        method: req.method ?? "GET",
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => !["host", "content-length"].includes(k)),
        ) as Record<string, string>,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      const headers: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (!["content-encoding", "content-length", "transfer-encoding"].includes(k))
          headers[k] = v;
      });
      res.writeHead(upstream.status, headers);
      res.end(Buffer.from(await upstream.arrayBuffer()));
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => proxy.close(r));
    await dropAlias(direct, alias);
    await direct.close();
  });

  it("backs off exponentially on 429 and 503 and writes every document once", async () => {
    const client = createClient({ url: proxyUrl, requestTimeoutMs: 30_000 });
    const index = await createVersionedIndex(direct, alias, { directory: policy.data.directory });
    const entries = entriesOf(Array.from({ length: 30 }, (_, i) => raw(`b-${i}`)));
    const items = entries.map((e, i) => bulkItem(bulkLinesOf(e, index, catalog, policy), i));
    faults.push(429, 503, 503);
    bulkRequests = 0;
    const delays: number[] = [];
    const outcome = await writeBulk(client, items, {
      batchDocs: 10,
      concurrency: 1,
      baseDelayMs: 100,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect(outcome).toMatchObject({ created: 30, updated: 0, stale: 0, failures: [] });
    expect(bulkRequests).toBe(3 + 3);
    // The first batch failed three times: waits drawn from [50,100], [100,200], [200,400].
    expect(delays).toHaveLength(3);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[2]).toBeGreaterThanOrEqual(200);
    await refresh(direct, index);
    expect(await countDocs(direct, index)).toBe(30);
    await client.close();
  });

  it("gives up after the last attempt with a retryable SearchUnavailableError", async () => {
    const client = createClient({ url: proxyUrl, requestTimeoutMs: 30_000 });
    const entries = entriesOf([raw("b-x")]);
    const items = entries.map((e) => bulkItem(bulkLinesOf(e, alias, catalog, policy), 0));
    faults.push(503, 503, 503);
    const run = writeBulk(client, items, { maxAttempts: 3, sleep: async () => undefined });
    await expect(run).rejects.toBeInstanceOf(SearchUnavailableError);
    await expect(run).rejects.toMatchObject({ retryable: true });
    expect(faults).toEqual([]);
    await client.close();
  });
});
