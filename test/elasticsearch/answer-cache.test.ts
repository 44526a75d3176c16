// Directory answers kept on Elasticsearch (ELASTICSEARCH_ANSWER_CACHE_MS): a repeated query is
// answered without a search while the index is unchanged, and a change made by another client
// (a write, its refresh, an alias moved to a new index) is answered from the engine again once
// the statistics show it. Refreshes are off on the test index so each step is the test's own.
import type { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { createClient } from "../../src/search/elasticsearch/client.js";
import { bulkLinesOf } from "../../src/search/elasticsearch/documents.js";
import { ElasticsearchBackend } from "../../src/search/elasticsearch/elasticsearch-backend.js";
import { aliasTargets } from "../../src/search/elasticsearch/index-lifecycle.js";
import { startFaultProxy } from "./fault-proxy.js";
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

const CHECK_MS = 100;
const QUERY = "/v1/directory/partners?q=zeppelin";

describe.skipIf(!esUrl)("directory answers kept on Elasticsearch", () => {
  let client: Client;
  let index: string;
  const alias = testAlias("answers");

  /** Searches the node has run on the test's indices so far (query phases). */
  const searches = async () => {
    const s = await client.indices.stats({ index: `${alias}*`, metric: "search" });
    return s._all.total?.search?.query_total ?? 0;
  };
  /** Another client's write, as the indexer or another instance would make it. */
  const writeOutside = async (target: string, id: string, description: string) => {
    const [entry] = entriesOf([raw(id, { description, updatedAt: new Date().toISOString() })]);
    if (!entry) throw new Error("fixture");
    await client.bulk({ operations: bulkLinesOf(entry, target, catalog, policy) });
  };
  const appWith = (answerCacheMs: number) =>
    createApp({
      backend: new ElasticsearchBackend({ client, alias, catalog, policy, answerCacheMs }),
      catalog,
      policy,
      matchTokens: [],
    });
  const ids = async (app: ReturnType<typeof appWith>) => {
    const r = await app.request(QUERY);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { results: { id: string }[] };
    return body.results.map((p) => p.id).sort();
  };
  const afterCheck = () => new Promise((r) => setTimeout(r, CHECK_MS + 20));

  beforeAll(async () => {
    client = testClient();
    const first = new ElasticsearchBackend({ client, alias, catalog, policy });
    await first.apply(entriesOf([raw("zep-1", { description: "Zeppelin CRM builders." })]));
    const [target] = await aliasTargets(client, alias);
    if (!target) throw new Error("no index behind the alias");
    index = target;
    await client.indices.putSettings({ index: `${alias}*`, settings: { refresh_interval: -1 } });
  });
  afterAll(async () => {
    await dropAlias(client, alias);
    await client.close();
  });

  it("answers a repeat without searching, and a write, its refresh and an alias move anew", async () => {
    const app = appWith(CHECK_MS);
    // Asked twice, the answer is kept (answer-cache.ts keeps a key from its second request on).
    expect(await ids(app)).toEqual(["zep-1"]);
    expect(await ids(app)).toEqual(["zep-1"]);
    const before = await searches();
    expect(await ids(app)).toEqual(["zep-1"]);
    expect(await searches()).toBe(before);

    // Written but not yet refreshed: the next answer is searched again, and still without it.
    await writeOutside(index, "zep-2", "Zeppelin onboarding.");
    await afterCheck();
    expect(await ids(app)).toEqual(["zep-1"]);
    expect(await searches()).toBeGreaterThan(before);

    await client.indices.refresh({ index: alias });
    await afterCheck();
    expect(await ids(app)).toEqual(["zep-1", "zep-2"]);

    // A full reindex moves the alias to a new index: answered from that index.
    const next = `${alias}-v999`;
    await client.indices.create({ index: next, mappings: await mappingOf(index) });
    await writeOutside(next, "zep-3", "Zeppelin only here.");
    await client.indices.refresh({ index: next });
    await client.indices.updateAliases({
      actions: [{ remove: { index: `${alias}*`, alias } }, { add: { index: next, alias } }],
    });
    await afterCheck();
    expect(await ids(app)).toEqual(["zep-3"]);
  });

  it("shows a push through the service at once, and keeps nothing with the setting at 0", async () => {
    const app = appWith(60_000);
    await ids(app);
    const kept = await ids(app);
    await writeOutside(alias, "zep-4", "Zeppelin late.");
    await client.indices.refresh({ index: alias });
    // Within the check interval a change by another client is not seen yet: the answer is kept.
    expect(await ids(app)).toEqual(kept);
    expect(await ids(appWith(0))).toEqual([...kept, "zep-4"].sort());

    const backend = new ElasticsearchBackend({
      client,
      alias,
      catalog,
      policy,
      answerCacheMs: 60_000,
    });
    const pushed = createApp({ backend, catalog, policy, matchTokens: [] });
    const first = await pushed.request(QUERY);
    expect(first.status).toBe(200);
    await backend.apply(entriesOf([raw("zep-5", { description: "Zeppelin pushed." })]));
    const after = (await (await pushed.request(QUERY)).json()) as { results: { id: string }[] };
    expect(after.results.map((p) => p.id)).toContain("zep-5");

    const before = await searches();
    await ids(appWith(0));
    await ids(appWith(0));
    expect(await searches()).toBeGreaterThanOrEqual(before + 2);
  });

  it("answers nothing from the cache once the node cannot be asked", async () => {
    const proxy = await startFaultProxy(esUrl);
    const viaProxy = createClient({ url: proxy.url, requestTimeoutMs: 1_000 });
    try {
      const backend = new ElasticsearchBackend({
        client: viaProxy,
        alias,
        catalog,
        policy,
        answerCacheMs: CHECK_MS,
        readBudgetMs: 1_000,
      });
      const app = createApp({ backend, catalog, policy, matchTokens: [] });
      expect((await app.request(QUERY)).status).toBe(200);
      for (const mode of [{ kind: "refuse" }, { kind: "delay", ms: 3_000 }] as const) {
        await proxy.set(mode);
        await afterCheck();
        const started = performance.now();
        expect((await app.request(QUERY)).status, mode.kind).toBe(503);
        // The check waits a short while only; the search then has its own budget.
        expect(performance.now() - started, mode.kind).toBeLessThan(1_000 + 500);
        await proxy.set({ kind: "pass" });
        await afterCheck();
        expect((await app.request(QUERY)).status, mode.kind).toBe(200);
      }
    } finally {
      await viaProxy.close();
      await proxy.close();
    }
  });

  async function mappingOf(name: string) {
    const m = await client.indices.getMapping({ index: name });
    return m[name]?.mappings;
  }
});
