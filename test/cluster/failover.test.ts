// A three-node cluster losing a node (SIGKILL, as a crash): the service is given every node's URL
// and the index one replica, and
// (a) mixed traffic through the real app (directory searches and staff matches from a few
//     concurrent clients) goes on while the node holding the index's primary (or the elected
//     master, when it holds a copy) dies: errors only inside the failover window (from the kill
//     until the cluster is yellow again without the node and a request started since has
//     succeeded), at most 1% of requests, none after the window;
// (b) a full reindex (a revised feed: newer versions, deletions, stale duplicates) goes on while
//     a node holding the new index (chosen the same way) dies: it completes in one go, and then
//     every profile is there at its newest version, on every copy (count and a checksum over
//     ids and versions against the expected newest-version-wins state).
// The killed node is restarted between the two, so (b) starts from three nodes again.
// CLUSTER_TRAFFIC_SECONDS (default 40), CLUSTER_RATE (requests/s, default 20) and
// CLUSTER_PROFILES (default 3000) size the run.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { clusterOf } from "../../scripts/elasticsearch-node.js";
import { defaultCatalog } from "../../src/catalog/catalog.js";
import { defaultPolicy } from "../../src/catalog/policy.js";
import { start } from "../../src/node.js";
import { createClient } from "../../src/search/elasticsearch/client.js";
import { aliasTargets, listVersions } from "../../src/search/elasticsearch/index-lifecycle.js";
import { type IndexFeedSummary, indexFeed } from "../../src/search/elasticsearch/indexer.js";
import { runTraffic, summarise, type TrafficRun } from "./traffic.js";

const TRAFFIC_SECONDS = Number(process.env.CLUSTER_TRAFFIC_SECONDS ?? 40);
const RATE = Number(process.env.CLUSTER_RATE ?? 20);
const PROFILES = Number(process.env.CLUSTER_PROFILES ?? 3_000);
const CLIENTS = 4;
const ALIAS = "partners";
const TOKEN = "cluster-test-token-0123456789abcdef";

const catalog = defaultCatalog();
const policy = defaultPolicy(catalog);
const { name, baseDir, urls } = inject("elasticsearchCluster");
const log = (l: string) => console.log(`[es] ${l}`);
const cluster = urls.length > 0 ? clusterOf({ name, baseDir, log }) : undefined;

const sample = readFileSync(new URL("../../data/sample-partners.ndjson", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .slice(0, PROFILES);

/** The member of the cluster by node name. */
function member(node: string): number {
  const m = cluster?.members.find((x) => x.name === node);
  if (!m) throw new Error(`no member named ${node}`);
  return m.index;
}

/**
 * The node to kill for `index`: the elected master when it holds a copy of the index (both
 * failovers at once), else the node holding the primary. Undefined until the primary started.
 */
async function victimOf(client: Client, index: string) {
  const rows = await client.cat.shards({ index, format: "json", h: "prirep,state,node" });
  const primary = rows.find((r) => r.prirep === "p" && r.state === "STARTED")?.node;
  if (!primary) return undefined;
  const master = (await client.cat.master({ format: "json" }))[0]?.node;
  const holders = rows.filter((r) => r.state === "STARTED").map((r) => r.node);
  const node = master && holders.includes(master) ? master : primary;
  const roles = [
    node === primary ? "the primary" : "a replica",
    ...(node === master ? ["the elected master"] : []),
  ];
  return {
    node,
    what: `${roles.join(" and ")} of ${index}${node === master ? "" : `; master ${master}`}`,
  };
}

async function waitForStatus(client: Client, status: "green" | "yellow", nodes: number) {
  const h = await client.cluster.health(
    { wait_for_status: status, wait_for_nodes: String(nodes), timeout: "120s" },
    { requestTimeout: 130_000 },
  );
  expect(h.timed_out, `cluster ${status} with ${nodes} nodes: ${JSON.stringify(h)}`).toBe(false);
}

/** Every (id, version) behind the index, as one copy answers (`_only_nodes:<name>`) or any. */
async function snapshot(client: Client, index: string, node?: string) {
  const pairs: string[] = [];
  let after: estypesSortResults | undefined;
  for (;;) {
    const res = await client.search({
      index,
      size: 1_000,
      version: true,
      _source: false,
      sort: [{ id: "asc" }],
      ...(after ? { search_after: after } : {}),
      ...(node ? { preference: `_only_nodes:${node}` } : {}),
    });
    for (const h of res.hits.hits) pairs.push(`${h._id}:${h._version}`);
    if (res.hits.hits.length < 1_000) break;
    after = res.hits.hits.at(-1)?.sort;
  }
  return { count: pairs.length, checksum: checksum(pairs), pairs };
}
type estypesSortResults = NonNullable<
  Awaited<ReturnType<Client["search"]>>["hits"]["hits"][number]["sort"]
>;

function checksum(pairs: string[]): string {
  return createHash("sha256").update(pairs.join("\n")).digest("hex").slice(0, 16);
}

describe.skipIf(!cluster)("a three-node cluster losing a node", () => {
  let client: Client;
  let server: Awaited<ReturnType<typeof start>>;
  let killedInA: number | undefined;

  beforeAll(async () => {
    client = createClient({ url: urls.join(","), requestTimeoutMs: 60_000 });
    const s = await indexFeed({ client, alias: ALIAS, catalog, policy, lines: sample, full: true });
    expect(s.rejected).toBe(0);
    await waitForStatus(client, "green", 3);
    const [index] = await aliasTargets(client, ALIAS);
    const settings = await client.indices.getSettings({ index: index as string });
    expect(Object.values(settings)[0]?.settings?.index?.number_of_replicas).toBe("1");
    server = await start({
      PORT: "0",
      HOST: "127.0.0.1",
      ELASTICSEARCH_URL: urls.join(","),
      ELASTICSEARCH_INDEX: ALIAS,
      MATCH_API_TOKENS: TOKEN,
      LOG_LEVEL: "silent",
      RATE_LIMIT_PER_MINUTE: "0",
      STAFF_RATE_LIMIT_PER_MINUTE: "0",
    });
    // Warm-up (the app's JIT, the nodes' caches), so that the measured run starts at its pace.
    await runTraffic({ ...traffic(), seconds: 8 });
  });

  const traffic = () => ({
    baseUrl: `http://127.0.0.1:${server.port}`,
    token: TOKEN,
    seconds: TRAFFIC_SECONDS,
    rate: RATE,
    clients: CLIENTS,
  });

  afterAll(async () => {
    await server?.stop();
    await client?.close();
  });

  it("(a) serves mixed traffic through a node's crash: errors only in the failover window", async () => {
    const c = cluster as NonNullable<typeof cluster>;
    const [index] = await aliasTargets(client, ALIAS);
    const target = await victimOf(client, index as string);
    if (!target) throw new Error(`no started primary of ${index}`);
    const victim = member(target.node);
    let killAt = 0;
    let recoveredAt = 0;
    const run: TrafficRun = await runTraffic({
      ...traffic(),
      during: async (now) => {
        await new Promise((r) => setTimeout(r, (TRAFFIC_SECONDS * 1000) / 3));
        killAt = now();
        await c.kill(victim);
        killedInA = victim;
        // The cluster as a surviving node sees it: the dead node gone, every primary assigned.
        const live = createClient({ url: c.urls.filter((_, i) => i !== victim).join(",") });
        for (;;) {
          const h = await live.cluster.health({ timeout: "1s" }).catch(() => undefined);
          if (h && h.number_of_nodes === 2 && h.status !== "red") break;
          await new Promise((r) => setTimeout(r, 100));
        }
        recoveredAt = now();
        await live.close();
      },
    });
    const r = summarise(run, killAt, recoveredAt);
    console.log(
      [
        `(a) killed ${target.node} (${target.what}) at ${(killAt / 1000).toFixed(1)} s`,
        `    ${r.total} requests (${r.matches} matches) at ${RATE}/s from ${CLIENTS} clients over ${TRAFFIC_SECONDS} s; p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms, slowest ${r.max.toFixed(0)} ms; clients at most ${(r.maxLagMs / 1000).toFixed(1)} s behind their pace`,
        `    cluster yellow without the node after ${(recoveredAt - killAt).toFixed(0)} ms; failover window ${r.windowMs.toFixed(0)} ms`,
        `    errors: ${r.errors} (${((100 * r.errors) / r.total).toFixed(2)}%): ${r.beforeKill} before the kill, ${r.inWindow} in the window, ${r.afterWindow} after; statuses ${JSON.stringify(r.statuses)}`,
        `    per second (ok/errors): ${r.perSecond.map((s, i) => `${i}:${s.ok}/${s.errors}`).join(" ")}`,
      ].join("\n"),
    );
    expect(r.beforeKill).toBe(0);
    expect(r.afterWindow).toBe(0);
    expect(r.errors / r.total).toBeLessThanOrEqual(0.01);
    // The clients kept (nearly) their pace: nothing hung for long.
    expect(r.maxLagMs).toBeLessThan(10_000);
  });

  it("(b) a full reindex survives a node's crash: every profile at its newest version", async () => {
    const c = cluster as NonNullable<typeof cluster>;
    if (killedInA !== undefined) {
      const t = Date.now();
      await c.restart(killedInA);
      await waitForStatus(client, "green", 3);
      console.log(
        `(b) ${c.members[killedInA]?.name} restarted, cluster green in ${Date.now() - t} ms`,
      );
    }
    const { lines, expected } = revisedFeed(sample);
    const before = (await aliasTargets(client, ALIAS))[0] as string;

    let settled = 0;
    let killed: { node: string; what: string; at: number; settled: number } | undefined;
    const started = Date.now();
    const load = indexFeed({
      client,
      alias: ALIAS,
      catalog,
      policy,
      lines,
      full: true,
      // Small batches: the load lasts long enough to lose a node in the middle of it.
      bulk: { batchDocs: 100, concurrency: 2 },
      onProgress: (p) => {
        settled = p.settled;
      },
    });
    const killer = (async () => {
      // The new version, once it exists, and the node holding its primary.
      let target: string | undefined;
      while (!target) {
        target = (await listVersions(client, ALIAS)).find((v) => v > before);
        if (!target) await new Promise((r) => setTimeout(r, 50));
      }
      let victim: Awaited<ReturnType<typeof victimOf>>;
      while (!victim) victim = await victimOf(client, target).catch(() => undefined);
      while (settled < lines.length * 0.3) await new Promise((r) => setTimeout(r, 20));
      killed = { ...victim, at: Date.now() - started, settled };
      await c.kill(member(victim.node));
      // Rebuild the lost replica on the other survivor now rather than after the default
      // minute: only so that both copies can be compared below.
      await client.indices
        .putSettings({
          index: target,
          settings: { "index.unassigned.node_left.delayed_timeout": "0" },
        })
        .catch(() => undefined);
    })();

    // Completes in one go: the new index keeps its replica during the load, the writer retries
    // what the dead node left unanswered, and the count check is not fooled by those retries.
    const summary: IndexFeedSummary = await load;
    await killer;
    const elapsed = Date.now() - started;
    expect(killed, "the node died during the load").toBeDefined();
    const k = killed as NonNullable<typeof killed>;
    expect(k.settled).toBeLessThan(lines.length);

    await waitForStatus(client, "green", 2);
    const want = [...expected.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([id, v]) => `${id}:${v}`);
    const got = await snapshot(client, ALIAS);
    const copies = await client.cat.shards({ index: summary.index, format: "json", h: "node" });
    const perCopy = await Promise.all(
      copies.map(async (row) => ({
        node: row.node,
        ...(await snapshot(client, ALIAS, row.node ?? "")),
      })),
    );
    console.log(
      [
        `(b) killed ${k.node} (${k.what}) at ${(k.at / 1000).toFixed(1)} s, ${k.settled} of ${lines.length} lines written`,
        `    reindex completed in ${(elapsed / 1000).toFixed(1)} s: ${summary.indexed} indexed, ${summary.updated} updated, ${summary.deleted} deleted, ${summary.stale} stale, ${summary.rejected} rejected; alias on ${summary.index}`,
        `    expected ${want.length} profiles, checksum ${checksum(want)}; alias ${got.count}, ${got.checksum}; ${perCopy.map((p) => `${p.node}: ${p.count}, ${p.checksum}`).join("; ")}`,
      ].join("\n"),
    );
    expect((await aliasTargets(client, ALIAS))[0]).toBe(summary.index);
    expect((await client.count({ index: ALIAS })).count).toBe(want.length);
    expect(got.pairs.filter((p, i) => p !== want[i]).slice(0, 5)).toEqual([]);
    expect(got.checksum).toBe(checksum(want));
    expect(perCopy.length).toBe(2);
    for (const p of perCopy) expect(p.checksum, `copy on ${p.node}`).toBe(checksum(want));
  });
});

/**
 * The sample slice revised: every third profile one day newer (and its description changed),
 * every 97th deleted by a newer tombstone, and every 50th repeated at the end at its old version
 * (a stale duplicate the feed rejects). `expected`: the newest version of each live id.
 */
function revisedFeed(slice: string[]) {
  const lines: string[] = [];
  const stale: string[] = [];
  const expected = new Map<string, number>();
  const day = 86_400_000;
  slice.forEach((line, i) => {
    const p = JSON.parse(line) as { id: string; updatedAt: string; description: string };
    const v = Date.parse(p.updatedAt);
    if (i % 97 === 5) {
      lines.push(
        JSON.stringify({ id: p.id, updatedAt: new Date(v + 2 * day).toISOString(), deleted: true }),
      );
      return;
    }
    if (i % 3 === 0) {
      const newer = {
        ...p,
        updatedAt: new Date(v + day).toISOString(),
        description: `${p.description} Revised.`,
      };
      lines.push(JSON.stringify(newer));
      expected.set(p.id, v + day);
    } else {
      lines.push(line);
      expected.set(p.id, v);
    }
    if (i % 50 === 7) stale.push(line);
  });
  return { lines: [...lines, ...stale], expected };
}
