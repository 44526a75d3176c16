// The Worker on Elasticsearch (ELASTICSEARCH_URL bound): the official client inside workerd,
// speaking through FetchConnection, against the real local node (scripts/elasticsearch-node.ts;
// ELASTICSEARCH_URL reuses a running one). Every answer must equal the Node app's on the same
// alias through the client's default connection. In CI the node must start, never skip.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  freePort,
  NodePrerequisiteError,
  startNode,
  stopNode,
} from "../../scripts/elasticsearch-node.js";
import { type LocalWorker, startLocalWorker } from "../../scripts/lib/local-worker.js";
import { createApp } from "../../src/http/app.js";
import { createClient } from "../../src/search/elasticsearch/client.js";
import { createElasticsearchBackend } from "../../src/search/elasticsearch/index.js";
import { listVersions } from "../../src/search/elasticsearch/index-lifecycle.js";
import { indexFeed } from "../../src/search/elasticsearch/indexer.js";
import { catalog, policy } from "../helpers.js";
import { TEST_ADMIN_TOKEN, TEST_SNAPSHOT, TEST_TOKEN } from "./constants.js";
import { matchRequest, pushRequest } from "./helpers.js";

/** Enough of the sample for every facet and both eligibility kinds, quick to index. */
const PROFILES = 600;
const NODE_NAME = `worker-test-${process.pid}`;
const ALIAS = `worker-edge-${process.pid}`;
const ci = Boolean(process.env.CI) && process.env.CI !== "false";

let esUrl = process.env.ELASTICSEARCH_URL ?? "";
let startedNode = false;
let skip = "";
let edge: LocalWorker | undefined;
let reference: ReturnType<typeof createApp>;
/** The first sample profile, the template of a pushed one. */
let sampleProfile: Record<string, unknown>;

beforeAll(async () => {
  if (!esUrl) {
    try {
      esUrl = (await startNode({ name: NODE_NAME, port: 0, log: (l) => console.log(`[es] ${l}`) }))
        .url;
      startedNode = true;
    } catch (e) {
      if (ci || !(e instanceof NodePrerequisiteError)) throw e;
      skip = e.message;
      console.warn(`SKIPPING the Worker-on-Elasticsearch tests: ${e.message}`);
      return;
    }
  }
  const lines = readFileSync(new URL("../../data/sample-partners.ndjson", import.meta.url), "utf8")
    .split("\n")
    .slice(0, PROFILES);
  sampleProfile = JSON.parse(lines[0] as string) as Record<string, unknown>;
  const client = createClient({ url: esUrl, requestTimeoutMs: 30_000 });
  const summary = await indexFeed({ client, alias: ALIAS, catalog, policy, lines, full: true });
  expect(summary.indexed).toBe(PROFILES);
  await client.close();
  reference = createApp({
    backend: createElasticsearchBackend({ url: esUrl, alias: ALIAS, catalog, policy }),
    catalog,
    policy,
    matchTokens: [TEST_TOKEN],
  });
  edge = await startLocalWorker({
    snapshotFile: TEST_SNAPSHOT,
    vars: {
      ELASTICSEARCH_URL: esUrl,
      ELASTICSEARCH_INDEX: ALIAS,
      MATCH_API_TOKENS: TEST_TOKEN,
      ADMIN_API_TOKENS: TEST_ADMIN_TOKEN,
      LOG_LEVEL: "silent",
    },
  });
});

afterAll(async () => {
  await edge?.dispose();
  if (!esUrl || skip) return;
  const client = createClient({ url: esUrl, requestTimeoutMs: 30_000 });
  const versions = await listVersions(client, ALIAS).catch(() => []);
  if (versions.length > 0) await client.indices.delete({ index: versions }, { ignore: [404] });
  await client.close();
  if (startedNode) await stopNode({ name: NODE_NAME, purge: true, log: () => {} });
});

function on(): LocalWorker {
  if (!edge) throw new Error(`no worker: ${skip}`);
  return edge;
}

// Decided at run time: only starting the node tells whether this machine can run one.
beforeEach((ctx) => {
  if (skip) ctx.skip();
});

describe("Worker on Elasticsearch in workerd", () => {
  it("reports the cluster and the alias in /readyz", async () => {
    const res = await on().fetch("/readyz");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { backend: string; details: Record<string, unknown> };
    expect(body.backend).toBe("elasticsearch");
    expect(body.details).toMatchObject({ alias: ALIAS, docs: PROFILES });
  });

  it.each([
    "/v1/directory/partners?pageSize=10",
    "/v1/directory/partners?country=DE&language=de&language=en",
    "/v1/directory/partners?q=crm%20migration&sort=relevance",
    "/v1/directory/partners?accredited=true&sort=tier&page=2&pageSize=5",
    "/v1/directory/partners?industry=nonexistent",
  ])("%s equals the Node app's answer from the same index", async (path) => {
    const [w, n] = await Promise.all([on().fetch(path), reference.request(path)]);
    expect(w.status).toBe(n.status);
    expect(await w.text()).toBe(await n.text());
    if (w.status === 200) expect(w.headers.get("etag")).toBe(n.headers.get("etag"));
  });

  it("serves a profile, a 404 and a match like the Node app", async () => {
    const one = await on().fetch("/v1/directory/partners/p-000001");
    expect(one.status).toBe(200);
    expect(await one.text()).toBe(
      await (await reference.request("/v1/directory/partners/p-000001")).text(),
    );
    expect((await on().fetch("/v1/directory/partners/p-missing")).status).toBe(404);

    const body = { customer: { country: "DE", languages: ["de"], products: ["sales_hub"] } };
    const w = await on().fetch("/v1/match", matchRequest(body));
    expect(w.status).toBe(200);
    expect(await w.json()).toEqual(
      await (await reference.request("/v1/match", matchRequest(body))).json(),
    );
  });

  // After the comparisons with the Node app: it adds a partner to the alias they read.
  it("applies a pushed update to the cluster and serves it at once", async () => {
    // An id and a query no request has used, so the edge cache holds no answer for them (a
    // cached directory answer may hide a change for up to its max-age of 60 s).
    const id = "p-edge-push-1";
    const pushed = {
      ...sampleProfile,
      id,
      name: "Edgepush Kontor GmbH",
      directoryListed: true,
      updatedAt: "2030-01-01T00:00:00Z",
    };
    const staff = await on().fetch("/v1/admin/partners", pushRequest([pushed], TEST_TOKEN));
    expect(staff.status).toBe(401);
    const res = await on().fetch("/v1/admin/partners", pushRequest([pushed, { id: "x" }]));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toMatchObject({
      lines: 2,
      indexed: 1,
      updated: 0,
      stale: 0,
      rejected: expect.any(Number),
      rejects: expect.arrayContaining([expect.objectContaining({ line: 2, id: "x" })]),
    });

    const one = await on().fetch(`/v1/directory/partners/${id}`);
    expect(one.status).toBe(200);
    expect(one.headers.get("x-edge-cache")).toBe("miss");
    expect(((await one.json()) as { name: string }).name).toBe("Edgepush Kontor GmbH");
    const search = await on().fetch("/v1/directory/partners?q=edgepush");
    const found = (await search.json()) as { results: { id: string }[] };
    expect(found.results.map((r) => r.id)).toEqual([id]);

    const replay = await on().fetch("/v1/admin/partners", pushRequest([pushed]));
    expect(await replay.json()).toMatchObject({ indexed: 0, stale: 1 });
  });

  it("turns an unreachable cluster into 503 search_unavailable, retryable", async () => {
    const port = await freePort();
    const down = await startLocalWorker({
      snapshotFile: TEST_SNAPSHOT,
      logLevel: "none",
      vars: {
        ELASTICSEARCH_URL: `http://127.0.0.1:${port}`,
        ELASTICSEARCH_REQUEST_TIMEOUT_MS: "1000",
        LOG_LEVEL: "silent",
      },
    });
    try {
      const res = await down.fetch("/v1/directory/partners");
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(await res.json()).toMatchObject({ code: "search_unavailable", retryable: true });
    } finally {
      await down.dispose();
    }
  });
});
