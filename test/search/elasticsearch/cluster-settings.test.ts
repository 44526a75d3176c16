// Settings for a cluster of several nodes, without a cluster: ELASTICSEARCH_URL may list every
// node (the client then fails over from a dead one at once, and still fails fast with one URL),
// and ELASTICSEARCH_REPLICAS fixes the replica count of the indices we create (unset: the
// mapping's auto-expansion, kept during a full reindex's bulk load). A fake node on loopback
// answers like Elasticsearch and records what it was asked.
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultCatalog } from "../../../src/catalog/catalog.js";
import { defaultPolicy } from "../../../src/catalog/policy.js";
import { parseConfig } from "../../../src/config.js";
import { createClient, nodeUrls } from "../../../src/search/elasticsearch/client.js";
import { FetchConnection } from "../../../src/search/elasticsearch/fetch-connection.js";
import {
  createVersionedIndex,
  finishBulkLoad,
} from "../../../src/search/elasticsearch/index-lifecycle.js";

const policy = defaultPolicy(defaultCatalog());

interface Seen {
  method: string;
  path: string;
  body: string;
}

let fake: http.Server;
let fakeUrl = "";
let closedUrl = "";
const seen: Seen[] = [];

beforeAll(async () => {
  fake = http.createServer((req, res) => {
    let body = "";
    req.on("data", (b: Buffer) => {
      body += b.toString();
    });
    req.on("end", () => {
      seen.push({ method: req.method ?? "", path: req.url ?? "", body });
      res.writeHead(200, {
        "content-type": "application/json",
        "x-elastic-product": "Elasticsearch",
      });
      const index = (req.url ?? "/").split("?")[0]?.slice(1) ?? "";
      res.end(JSON.stringify({ count: 7, acknowledged: true, index, _shards: {} }));
    });
  });
  await new Promise<void>((r) => fake.listen(0, "127.0.0.1", r));
  fakeUrl = `http://127.0.0.1:${(fake.address() as net.AddressInfo).port}`;
  // A port nobody listens on: a node that is down.
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  closedUrl = `http://127.0.0.1:${(probe.address() as net.AddressInfo).port}`;
  await new Promise((r) => probe.close(r));
});

afterAll(async () => {
  await new Promise((r) => fake.close(r));
});

describe("ELASTICSEARCH_URL with several nodes", () => {
  it("accepts one URL or a comma-separated list, and names the setting when one is bad", () => {
    expect(parseConfig({ ELASTICSEARCH_URL: "http://es:9200" }).ELASTICSEARCH_URL).toBe(
      "http://es:9200",
    );
    const list = " http://a:9200, http://b:9201 ,http://c:9202";
    expect(nodeUrls(parseConfig({ ELASTICSEARCH_URL: list }).ELASTICSEARCH_URL ?? "")).toEqual([
      "http://a:9200",
      "http://b:9201",
      "http://c:9202",
    ]);
    for (const bad of ["http://a:9200,not a url", ",", ""]) {
      expect(() => parseConfig({ ELASTICSEARCH_URL: bad }), bad).toThrow(/ELASTICSEARCH_URL/);
    }
  });

  it.each([
    ["the default connection", undefined],
    ["the fetch connection (Workers)", FetchConnection],
  ])("fails over from a dead node to a live one at once, with %s", async (_, Connection) => {
    const client = createClient({
      url: `${closedUrl},${fakeUrl}`,
      ...(Connection ? { Connection } : {}),
    });
    const before = seen.length;
    const started = Date.now();
    for (let i = 0; i < 6; i++) expect((await client.count({ index: "x" })).count).toBe(7);
    // No backoff: the client waits only once it has tried every node.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(seen.length - before).toBe(6);
    await client.close();
  });

  it("still fails fast, without retries, when the one node given is down", async () => {
    const client = createClient({ url: closedUrl });
    const started = Date.now();
    await expect(client.count({ index: "x" })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(500);
    await client.close();
  });
});

describe("ELASTICSEARCH_REPLICAS", () => {
  it("is optional, a whole number from 0", () => {
    expect(parseConfig({}).ELASTICSEARCH_REPLICAS).toBeUndefined();
    expect(parseConfig({ ELASTICSEARCH_REPLICAS: "2" }).ELASTICSEARCH_REPLICAS).toBe(2);
    expect(() => parseConfig({ ELASTICSEARCH_REPLICAS: "-1" })).toThrow(/ELASTICSEARCH_REPLICAS/);
    expect(() => parseConfig({ ELASTICSEARCH_REPLICAS: "1.5" })).toThrow(/ELASTICSEARCH_REPLICAS/);
  });

  async function createdSettings(opts: { bulkLoad?: boolean; replicas?: number }) {
    const client = createClient({ url: fakeUrl });
    const before = seen.length;
    await createVersionedIndex(client, "p", { directory: policy.data.directory, ...opts });
    const put = seen.slice(before).find((s) => s.method === "PUT");
    await client.close();
    return (JSON.parse(put?.body ?? "{}") as { settings: { index: Record<string, unknown> } })
      .settings.index;
  }

  it("unset: the index auto-expands to one replica, during a bulk load too", async () => {
    for (const bulkLoad of [false, true]) {
      const index = await createdSettings({ bulkLoad });
      expect(index.auto_expand_replicas).toBe("0-1");
      expect(index.number_of_replicas).toBeUndefined();
    }
    expect((await createdSettings({ bulkLoad: true })).refresh_interval).toBe("-1");
  });

  it("set: exactly that many replicas, from creation on", async () => {
    const index = await createdSettings({ bulkLoad: true, replicas: 2 });
    expect(index.auto_expand_replicas).toBe("false");
    expect(index.number_of_replicas).toBe(2);
    expect(index.refresh_interval).toBe("-1");
  });

  it("finishing a bulk load restores refreshes and leaves the replicas as created", async () => {
    const client = createClient({ url: fakeUrl });
    const before = seen.length;
    await finishBulkLoad(client, "p-v1");
    const put = seen.slice(before).find((s) => s.method === "PUT");
    await client.close();
    const index = (JSON.parse(put?.body ?? "{}") as { index: Record<string, unknown> }).index;
    expect(index).toEqual({ refresh_interval: null, translog: { durability: "request" } });
  });
});
