// One million profiles (the speed issue): the sample generator's 1M feed indexed into a local
// Elasticsearch node with a heap sized for it, then the service on it over HTTP (directory and
// finder medians and p99, the service's memory), the embedded engine loading the same feed in
// a child process (load time and RSS, or where it gives up), and the embedded engine started
// the fast way: a binary snapshot of the feed built once, the server on it over HTTP.
// Opt-in: it takes 20-35 min and ~2 GB of disk, so a plain `npm run bench` skips it;
// `npm run bench -- million` runs it.
import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import os from "node:os";
import { promisify } from "node:util";
import { createClient } from "../../src/search/elasticsearch/client.js";
import { directoryRows, finderRows, warmUp } from "./_es-http.js";
import { root } from "./_feeds.js";
import { dropVersions, indexFile, startServer, stopServer, withElasticsearch } from "./_server.js";
import { fmt, table } from "./_stats.js";
import { rssMiB } from "./55-soak.js";

export const optIn = true;

const FEED_1M = `${root}.bench/partners-1m.ndjson`;
const SNAPSHOT_1M = `${root}.bench/partners-1m.index.bin`;
const ALIAS = "bench-million";
/** A quarter of this machine's memory at most: the rest is the OS cache Lucene reads through. */
const ES_HEAP = "4g";
/** The embedded engine gets this long to load 1M before it is reported as not loading. */
const EMBEDDED_LIMIT_MS = 20 * 60_000;
/**
 * Untimed passes before the timed rows. On Elasticsearch ten, as 35-es-http takes them: with
 * one, the node's figures were its first minutes after indexing 1M (its JVM still compiling
 * the search path). The embedded server keeps a directory answer from its second request on
 * and has no setting to turn that off, so it gets one pass: the timed pass then computes every
 * answer (with ten, it timed answers served from memory, 0.8 ms where the engine takes 9).
 */
const WARM = {
  elasticsearch: { passes: 10, finderPasses: 2 },
  embedded: { passes: 1, finderPasses: 1 },
};

const run$ = promisify(execFile);

async function ensure1M(): Promise<string> {
  if (!existsSync(FEED_1M)) {
    await run$(
      "npx",
      ["tsx", "scripts/generate-sample.ts", "--count", "1000000", "--seed", "7", "--out", FEED_1M],
      { cwd: root },
    );
  }
  return FEED_1M;
}

/** VmRSS in whole MiB (55-soak.ts reads it). */
function rssMb(pid: number | undefined): number | undefined {
  const mib = rssMiB(pid);
  return mib === undefined ? undefined : Math.round(mib);
}

/** The directory and finder rows of a backend at 1M, as _es-http.ts measures them. */
function httpTable(
  title: string,
  dir: Awaited<ReturnType<typeof directoryRows>>,
  finder: Awaited<ReturnType<typeof finderRows>>,
): void {
  console.log();
  table(
    [title, "median", "p99"],
    [
      ...dir.rows,
      ["**directory, all kinds**", fmt(dir.all.median), fmt(dir.all.p99)],
      ...finder.rows,
    ],
  );
}

async function onElasticsearch(file: string): Promise<void> {
  const skipped = await withElasticsearch(
    `bench-million-${process.pid}`,
    async (esUrl) => {
      const client = createClient({ url: esUrl, requestTimeoutMs: 300_000 });
      try {
        const indexed = await indexFile(client, ALIAS, file);
        const stats = await client.indices.stats({ index: ALIAS, metric: ["store", "docs"] });
        const store = stats._all.primaries?.store?.size_in_bytes ?? 0;
        const server = await startServer({
          ELASTICSEARCH_URL: esUrl,
          ELASTICSEARCH_INDEX: ALIAS,
          // Every directory figure is the engine's, none an answer kept from an earlier request.
          ELASTICSEARCH_ANSWER_CACHE_MS: "0",
        });
        try {
          const rssBefore = rssMb(server.child.pid);
          await warmUp(server.url, { ...WARM.elasticsearch, label: "Elasticsearch, 1M: " });
          const dir = await directoryRows(server.url);
          const finder = await finderRows(server.url);
          const rssAfter = rssMb(server.child.pid);
          table(
            ["1M profiles on Elasticsearch", "figure"],
            [
              ["feed", `${(statSync(file).size / 2 ** 20).toFixed(0)} MiB NDJSON`],
              ["node heap", ES_HEAP],
              [
                "indexing (new version, count check, alias swap)",
                `${indexed.indexed.toLocaleString("en")} profiles in ${(indexed.elapsedMs / 1000).toFixed(0)} s: ${indexed.docsPerSecond.toLocaleString("en")} /s`,
              ],
              ["index size on disk (primary store)", `${(store / 2 ** 20).toFixed(0)} MiB`],
              ["service RSS after start / after the requests", `${rssBefore} / ${rssAfter} MiB`],
            ],
          );
          httpTable("1M profiles, over HTTP", dir, finder);
        } finally {
          await stopServer(server);
        }
      } finally {
        await dropVersions(client, ALIAS);
        await client.close();
      }
    },
    ES_HEAP,
  );
  if (skipped) console.log(skipped);
}

async function embedded(file: string): Promise<void> {
  // The heap limit is raised so the figure is the engine's need, not V8's default cap.
  const started = performance.now();
  try {
    const { stdout } = await run$(
      process.execPath,
      [
        "--expose-gc",
        "--max-old-space-size=16384",
        "--import",
        "tsx",
        "scripts/bench/_memory-probe.ts",
        file,
      ],
      { cwd: root, timeout: EMBEDDED_LIMIT_MS, maxBuffer: 1 << 20 },
    );
    const m = JSON.parse(stdout) as { profiles: number; loadMs: number; rssMb: number };
    console.log();
    table(
      ["embedded engine, 1M", "figure"],
      [
        ["profiles loaded", m.profiles.toLocaleString("en")],
        ["load time", `${(m.loadMs / 1000).toFixed(0)} s`],
        ["RSS settled", `${m.rssMb.toLocaleString("en")} MB`],
      ],
    );
  } catch (e) {
    const s = ((performance.now() - started) / 1000).toFixed(0);
    console.log(`\nembedded engine, 1M: did not load (${s} s): ${String(e).slice(0, 300)}`);
  }
}

/**
 * The server as `npm start` runs it on a 1M snapshot (`SNAPSHOT_FILE`): the build (in a child
 * process with a raised heap, as `embedded` loads the feed), the file, the time to ready, the
 * same requests as on Elasticsearch, and RSS after them and settled (15 s on).
 */
export async function embeddedSnapshot(file: string): Promise<void> {
  const out = SNAPSHOT_1M;
  const started = performance.now();
  try {
    await run$(
      process.execPath,
      [
        "--max-old-space-size=16384",
        "--import",
        "tsx",
        "scripts/build-snapshot.ts",
        "--feed",
        file,
        "--out",
        out,
      ],
      { cwd: root, timeout: EMBEDDED_LIMIT_MS, maxBuffer: 1 << 20 },
    );
  } catch (e) {
    const s = ((performance.now() - started) / 1000).toFixed(0);
    console.log(`\nembedded engine, 1M snapshot: not built (${s} s): ${String(e).slice(0, 300)}`);
    return;
  }
  const buildMs = performance.now() - started;
  const t = performance.now();
  const server = await startServer({ SNAPSHOT_FILE: out });
  const readyMs = performance.now() - t;
  try {
    await warmUp(server.url, { ...WARM.embedded, label: "embedded, 1M snapshot: " });
    const dir = await directoryRows(server.url);
    const finder = await finderRows(server.url);
    const busy = rssMb(server.child.pid);
    await new Promise((r) => setTimeout(r, 15_000));
    const settled = rssMb(server.child.pid);
    console.log();
    table(
      ["embedded engine on a 1M snapshot (SNAPSHOT_FILE)", "figure"],
      [
        [
          "build:snapshot (read the feed, validate, index, write)",
          `${(buildMs / 1000).toFixed(0)} s`,
        ],
        ["snapshot size", `${(statSync(out).size / 2 ** 20).toFixed(0)} MiB`],
        ["server ready (npm start's build)", fmt(readyMs)],
        ["RSS after the requests / settled (15 s on)", `${busy} / ${settled} MiB`],
      ],
    );
    httpTable("1M profiles, embedded, over HTTP", dir, finder);
  } finally {
    await stopServer(server);
  }
}

export default async function run(): Promise<void> {
  const file = await ensure1M();
  console.log(`load average before: ${os.loadavg()[0]?.toFixed(1)}\n`);
  await onElasticsearch(file);
  await embedded(file);
  await embeddedSnapshot(file);
}
