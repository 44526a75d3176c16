// FetchConnection under the official client, on Node against a small local HTTP server that
// answers like Elasticsearch: bodies (gzipped too), auth, and each failure mapped to the same
// SearchUnavailableError as the client's default connection. The real node is exercised from
// workerd in test/worker/elasticsearch.test.ts.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../scripts/elasticsearch-node.js";
import { createClient, toSearchError } from "../../../src/search/elasticsearch/client.js";
import { FetchConnection } from "../../../src/search/elasticsearch/fetch-connection.js";

let server: http.Server;
let url: string;
const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      const headers = { "content-type": "application/json", "x-elastic-product": "Elasticsearch" };
      if (req.url?.startsWith("/slow")) {
        setTimeout(() => res.writeHead(200, headers).end("{}"), 2_000);
      } else if (req.url?.startsWith("/missing")) {
        res.writeHead(404, headers).end(
          JSON.stringify({
            error: { type: "index_not_found_exception", reason: "no such index" },
            status: 404,
          }),
        );
      } else {
        const json = JSON.stringify({ hits: { total: { value: 1 }, hits: [{ _id: "p-1" }] } });
        res.writeHead(200, { ...headers, "content-encoding": "gzip" }).end(gzipSync(json));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("FetchConnection", () => {
  it("sends the request with the API key and reads a gzipped answer", async () => {
    const client = createClient({ url, apiKey: "a2V5OnNlY3JldA==", Connection: FetchConnection });
    const res = await client.search({ index: "partners", query: { match_all: {} }, size: 1 });
    expect(res.hits.hits[0]?._id).toBe("p-1");
    const last = seen.at(-1);
    expect(last).toMatchObject({ method: "POST", auth: "ApiKey a2V5OnNlY3JldA==" });
    expect(last?.url).toMatch(/^\/partners\/_search/);
    expect(JSON.parse(last?.body ?? "{}")).toEqual({ query: { match_all: {} }, size: 1 });
  });

  it("maps a refusal to a non-retryable error naming the engine's reason", async () => {
    const client = createClient({ url, Connection: FetchConnection, maxRetries: 0 });
    const e = await client.indices.get({ index: "missing" }).catch((x: unknown) => x);
    const mapped = toSearchError(e, "get");
    expect(mapped.retryable).toBe(false);
    expect(mapped.message).toMatch(/answered 404 index_not_found_exception/);
  });

  it("maps a timeout and an unreachable node to retryable errors", async () => {
    const slow = createClient({
      url: `${url}/slow`,
      Connection: FetchConnection,
      requestTimeoutMs: 200,
      maxRetries: 0,
    });
    const t = toSearchError(await slow.info().catch((x: unknown) => x), "info");
    expect([t.retryable, t.message]).toEqual([true, "info: Elasticsearch did not answer in time"]);

    const down = createClient({
      url: `http://127.0.0.1:${await freePort()}`,
      Connection: FetchConnection,
      maxRetries: 0,
    });
    const u = toSearchError(await down.info().catch((x: unknown) => x), "info");
    expect(u.retryable).toBe(true);
    expect(u.message).toMatch(/unreachable/);
  });
});
