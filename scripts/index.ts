// `npm run index -- --file feed.ndjson ...`: feeds an NDJSON partner feed into one of two targets.
//   --url URL            a running service: the lines are streamed to its POST /v1/admin/partners
//                        (token from --token or ADMIN_API_TOKEN), in pushes of --lines-per-push
//                        lines (10,000 by default), reject lines renumbered to the file's lines;
//   --elasticsearch URL  (or ELASTICSEARCH_URL, one URL or a cluster's nodes comma-separated;
//                        optional ELASTICSEARCH_API_KEY, ELASTICSEARCH_INDEX alias default
//                        `partners`, ELASTICSEARCH_REPLICAS) the cluster directly, with
//                        --full (a new versioned index and an alias swap) and --rollback.
// A progress bar on a TTY, plain lines otherwise; the same summary for both targets; rejects to
// stderr and to a rejects file. Exit status: 0 done, 1 the service, cluster or a check failed,
// 2 bad usage, 3 rejects were found and --strict was given.
import { createWriteStream, existsSync } from "node:fs";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { defaultCatalog } from "../src/catalog/catalog.js";
import { defaultPolicy } from "../src/catalog/policy.js";
import { MAX_LISTED_REJECTS } from "../src/http/routes/admin.js";
import type { FeedReject } from "../src/partner/feed.js";
import { createClient } from "../src/search/elasticsearch/client.js";
import { DEFAULT_ALIAS } from "../src/search/elasticsearch/index.js";
import { rollback } from "../src/search/elasticsearch/index-lifecycle.js";
import { type IndexProgress, indexFeed } from "../src/search/elasticsearch/indexer.js";
import { DEFAULT_LINES_PER_PUSH, PushError, pushFeed } from "./lib/push-feed.js";
import { countLines, readFileLines } from "./lib/read-lines.js";

const USAGE = [
  "usage: npm run index -- --file feed.ndjson --url http://service:8787 [--token T] [--lines-per-push 10000] [--strict] [--rejects rejects.ndjson]",
  "       npm run index -- --file feed.ndjson [--elasticsearch URL] [--full] [--strict] [--rejects rejects.ndjson] [--allow-shrink] [--alias partners] [--concurrency 3]",
  "       npm run index -- --rollback [--elasticsearch URL] [--alias partners]",
  "--url pushes to a running service (token: --token or ADMIN_API_TOKEN); without it the feed goes",
  "to Elasticsearch at --elasticsearch or ELASTICSEARCH_URL.",
].join("\n");

function formatReject(r: FeedReject): string {
  return `line ${r.line}${r.id ? ` (${r.id})` : ""}: ${r.path}: ${r.reason}`;
}

const OPTIONS = {
  file: { type: "string" },
  strict: { type: "boolean", default: false },
  rejects: { type: "string", default: "rejects.ndjson" },
  url: { type: "string" },
  token: { type: "string" },
  "lines-per-push": { type: "string" },
  elasticsearch: { type: "string" },
  full: { type: "boolean" },
  "allow-shrink": { type: "boolean" },
  alias: { type: "string" },
  concurrency: { type: "string" },
  rollback: { type: "boolean" },
  help: { type: "boolean", default: false },
} as const;

type Args = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>["values"];

class UsageError extends Error {}

/** Options that only mean something for the other target. */
const ELASTICSEARCH_ONLY = ["full", "allow-shrink", "alias", "concurrency", "rollback"] as const;
const SERVICE_ONLY = ["token", "lines-per-push"] as const;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

function feedFile(o: Args): string {
  if (!o.file) throw new UsageError("--file is required");
  if (!existsSync(o.file)) throw new UsageError(`no such file: ${o.file}`);
  return o.file;
}

/** Progress bar (or log lines), reject printing and the rejects file, shared by both targets. */
function reporting(total: number, rejectsPath: string, verb: string) {
  const rejectsOut = createWriteStream(rejectsPath);
  const tty = Boolean(process.stderr.isTTY);
  // A MultiBar (of one) because it can print reject lines above the bar without tearing it.
  const bars = tty
    ? new cliProgress.MultiBar(
        {
          format: `${verb} [{bar}] {percentage}% | {value}/{total} lines | {rate} docs/s | ETA {eta_formatted} | rejected {rejected}`,
          stream: process.stderr,
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const bar = bars?.create(total, 0, { rate: 0, rejected: 0 });
  let lastLog = 0;
  return {
    onProgress: (p: IndexProgress) => {
      const rate = p.elapsedMs > 0 ? Math.round((p.settled * 1000) / p.elapsedMs) : 0;
      if (bar) {
        bar.update(Math.min(total, p.settled + p.rejected), { rate, rejected: p.rejected });
      } else if (Date.now() - lastLog >= 2_000) {
        lastLog = Date.now();
        console.error(
          `${verb}: ${p.settled} written, ${p.rejected} rejected, ${p.lines}/${total} lines read, ${rate} docs/s`,
        );
      }
    },
    onReject: (r: FeedReject) => {
      rejectsOut.write(`${JSON.stringify(r)}\n`);
      if (bars) bars.log(`reject: ${formatReject(r)}\n`);
      else console.error(`reject: ${formatReject(r)}`);
    },
    done: () => {
      bar?.update(total);
      bars?.stop();
    },
    close: async () => {
      bars?.stop();
      await new Promise<void>((r) => rejectsOut.end(r));
    },
  };
}

interface Counts {
  lines: number;
  indexed: number;
  updated: number;
  deleted: number;
  stale: number;
  rejected: number;
  elapsedMs: number;
  docsPerSecond: number;
}

/** The summary both targets print (stdout), after a heading line. */
function printSummary(heading: string, s: Counts, rejectsPath: string, extra: string[] = []) {
  console.log(
    [
      heading,
      `  lines     ${s.lines}`,
      `  indexed   ${s.indexed}`,
      `  updated   ${s.updated}`,
      `  deleted   ${s.deleted}`,
      `  stale     ${s.stale}`,
      `  rejected  ${s.rejected}${s.rejected > 0 ? ` (see ${rejectsPath})` : ""}`,
      `  time      ${(s.elapsedMs / 1000).toFixed(1)} s, ${s.docsPerSecond} docs/s`,
      ...extra,
    ].join("\n"),
  );
}

/** `--url`: streams the file to a running service's admin endpoint. */
async function toService(o: Args, url: string): Promise<number> {
  if (o.elasticsearch !== undefined) {
    throw new UsageError(
      "--url (a service) and --elasticsearch (a cluster) are two targets: give one",
    );
  }
  const misplaced = ELASTICSEARCH_ONLY.filter((k) => o[k] !== undefined);
  if (misplaced.length > 0) {
    throw new UsageError(
      `${misplaced.map((k) => `--${k}`).join(", ")} only apply to Elasticsearch, not with --url`,
    );
  }
  const token = o.token ?? process.env.ADMIN_API_TOKEN;
  if (!token) throw new UsageError("--url needs an admin token: --token or ADMIN_API_TOKEN");
  const linesPerPush = positiveInt("lines-per-push", o["lines-per-push"], DEFAULT_LINES_PER_PUSH);
  try {
    new URL(url);
  } catch {
    throw new UsageError(`--url is not a URL: ${url}`);
  }
  const file = feedFile(o);
  const total = await countLines(file);
  const report = reporting(total, o.rejects, "pushing");
  console.error(`pushing ${file} (${total} lines) to ${url}, ${linesPerPush} lines a push`);
  try {
    const s = await pushFeed({
      url,
      token,
      lines: readFileLines(file),
      linesPerPush,
      onReject: report.onReject,
      onProgress: report.onProgress,
    });
    report.done();
    printSummary(
      `pushed to ${s.endpoint} in ${s.pushes} push(es)`,
      s,
      o.rejects,
      unlisted(s.unlisted),
    );
    return o.strict && s.rejected > 0 ? 3 : 0;
  } catch (e) {
    if (!(e instanceof PushError)) throw e;
    report.done();
    console.error(`pushing failed: ${e.message}`);
    const a = e.applied;
    if (a.pushes > 0) {
      printSummary(
        `applied before the failure: ${a.pushes} push(es), lines 1-${a.lines}`,
        a,
        o.rejects,
        [
          ...unlisted(a.unlisted),
          "  re-running the whole file is safe: lines already applied count as stale",
        ],
      );
    }
    return 1;
  } finally {
    await report.close();
  }
}

function unlisted(n: number): string[] {
  return n > 0
    ? [
        `  (${n} rejects counted but not listed by the service, which lists the first ${MAX_LISTED_REJECTS} of each push; use a smaller --lines-per-push to see them all)`,
      ]
    : [];
}

/** Points the alias back at the version a full reindex replaced (kept for this). */
async function rollbackAlias(url: string, apiKey: string | undefined, alias: string) {
  const client = createClient({ url, ...(apiKey ? { apiKey } : {}), requestTimeoutMs: 30_000 });
  try {
    const { from, to } = await rollback(client, alias);
    console.log(`alias ${alias} moved back from ${from} to ${to}`);
    return 0;
  } catch (e) {
    console.error(`rollback failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await client.close();
  }
}

/** `--elasticsearch` / ELASTICSEARCH_URL: the indexer, straight into the cluster. */
async function toElasticsearch(o: Args): Promise<number> {
  const misplaced = SERVICE_ONLY.filter((k) => o[k] !== undefined);
  if (misplaced.length > 0) {
    throw new UsageError(`${misplaced.map((k) => `--${k}`).join(", ")} only apply with --url`);
  }
  const url = o.elasticsearch ?? process.env.ELASTICSEARCH_URL;
  if (!url) {
    throw new UsageError(
      "give --url of a running service, or Elasticsearch with --elasticsearch or ELASTICSEARCH_URL",
    );
  }
  const alias = o.alias ?? process.env.ELASTICSEARCH_INDEX ?? DEFAULT_ALIAS;
  const apiKey = process.env.ELASTICSEARCH_API_KEY;
  if (o.rollback) return rollbackAlias(url, apiKey, alias);
  const file = feedFile(o);
  const concurrency = positiveInt("concurrency", o.concurrency, 3);
  const full = o.full ?? false;
  const catalog = defaultCatalog();
  const policy = defaultPolicy(catalog);
  const replicasSetting = process.env.ELASTICSEARCH_REPLICAS;
  const replicas =
    replicasSetting === undefined || replicasSetting === "" ? undefined : Number(replicasSetting);
  if (replicas !== undefined && !(Number.isInteger(replicas) && replicas >= 0)) {
    throw new UsageError("ELASTICSEARCH_REPLICAS must be a whole number, 0 or more");
  }
  const client = createClient({ url, ...(apiKey ? { apiKey } : {}), requestTimeoutMs: 30_000 });

  const total = await countLines(file);
  const report = reporting(total, o.rejects, "indexing");
  console.error(
    `${full ? "full reindex" : "incremental update"} of ${file} (${total} lines) into ${alias} at ${url}`,
  );
  try {
    const s = await indexFeed({
      client,
      alias,
      catalog,
      policy,
      lines: readFileLines(file),
      full,
      minShareOfPrevious: o["allow-shrink"] ? 0 : 0.5,
      ...(replicas !== undefined ? { replicas } : {}),
      bulk: { concurrency },
      onProgress: report.onProgress,
      onReject: report.onReject,
    });
    report.done();
    printSummary(
      `${s.mode} ${s.mode === "full" ? `into ${s.index}, alias ${alias} moved${s.previous.length ? ` from ${s.previous.join(", ")} (kept for rollback)` : ""}` : `into ${alias} (${s.index})`}`,
      s,
      o.rejects,
      s.pruned.length > 0 ? [`  deleted old versions: ${s.pruned.join(", ")}`] : [],
    );
    return o.strict && s.rejected > 0 ? 3 : 0;
  } catch (e) {
    report.done();
    console.error(`indexing failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await report.close();
    await client.close();
  }
}

async function main(): Promise<number> {
  let o: Args;
  try {
    o = parseArgs({ options: OPTIONS, strict: true }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    return o.url !== undefined ? await toService(o, o.url) : await toElasticsearch(o);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n${USAGE}`);
    return 2;
  }
}

process.exitCode = await main();
