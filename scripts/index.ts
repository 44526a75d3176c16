// `npm run index -- --file feed.ndjson [--full] [--strict] [--rejects path] [--allow-shrink]`:
// feeds an NDJSON partner feed into the Elasticsearch alias (ELASTICSEARCH_URL, optional
// ELASTICSEARCH_API_KEY, ELASTICSEARCH_INDEX alias default `partners`). A progress bar on a TTY,
// plain lines otherwise; rejects to stderr and to a rejects file. Exit status: 0 done, 1 the
// cluster or a check failed, 2 bad usage, 3 rejects were found and --strict was given.
// `npm run index -- --rollback` points the alias back at the version the last full reindex
// replaced.
import { createWriteStream, existsSync } from "node:fs";
import { parseArgs } from "node:util";
import cliProgress from "cli-progress";
import { defaultCatalog } from "../src/catalog/catalog.js";
import { defaultPolicy } from "../src/catalog/policy.js";
import type { FeedReject } from "../src/partner/feed.js";
import { createClient } from "../src/search/elasticsearch/client.js";
import { DEFAULT_ALIAS } from "../src/search/elasticsearch/index.js";
import { rollback } from "../src/search/elasticsearch/index-lifecycle.js";
import { type IndexProgress, indexFeed } from "../src/search/elasticsearch/indexer.js";
import { countLines, readFileLines } from "./lib/read-lines.js";

const USAGE =
  "usage: npm run index -- --file feed.ndjson [--full] [--strict] [--rejects rejects.ndjson] [--allow-shrink] [--url URL] [--alias partners] [--concurrency 3]\n       npm run index -- --rollback [--alias partners]";

function formatReject(r: FeedReject): string {
  return `line ${r.line}${r.id ? ` (${r.id})` : ""}: ${r.path}: ${r.reason}`;
}

const OPTIONS = {
  file: { type: "string" },
  full: { type: "boolean", default: false },
  strict: { type: "boolean", default: false },
  rejects: { type: "string", default: "rejects.ndjson" },
  "allow-shrink": { type: "boolean", default: false },
  url: { type: "string" },
  alias: { type: "string" },
  concurrency: { type: "string", default: "3" },
  rollback: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

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

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; strict: true }>>;
  try {
    args = parseArgs({ options: OPTIONS, strict: true });
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const o = args.values;
  if (o.help) {
    console.log(USAGE);
    return 0;
  }
  const url = o.url ?? process.env.ELASTICSEARCH_URL;
  if (!url) {
    console.error(`ELASTICSEARCH_URL (or --url) is required\n${USAGE}`);
    return 2;
  }
  const alias = o.alias ?? process.env.ELASTICSEARCH_INDEX ?? DEFAULT_ALIAS;
  const apiKey = process.env.ELASTICSEARCH_API_KEY;
  if (o.rollback) return rollbackAlias(url, apiKey, alias);
  if (!o.file) {
    console.error(`--file is required\n${USAGE}`);
    return 2;
  }
  if (!existsSync(o.file)) {
    console.error(`no such file: ${o.file}`);
    return 2;
  }
  const concurrency = Number(o.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    console.error(`--concurrency must be a positive integer\n${USAGE}`);
    return 2;
  }
  const catalog = defaultCatalog();
  const policy = defaultPolicy(catalog);
  const client = createClient({ url, ...(apiKey ? { apiKey } : {}), requestTimeoutMs: 30_000 });

  const total = await countLines(o.file);
  const rejectsOut = createWriteStream(o.rejects);
  const tty = Boolean(process.stderr.isTTY);
  // A MultiBar (of one) because it can print reject lines above the bar without tearing it.
  const bars = tty
    ? new cliProgress.MultiBar(
        {
          format:
            "indexing [{bar}] {percentage}% | {value}/{total} lines | {rate} docs/s | ETA {eta_formatted} | rejected {rejected}",
          stream: process.stderr,
          hideCursor: true,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const bar = bars?.create(total, 0, { rate: 0, rejected: 0 });
  let lastLog = 0;
  const onProgress = (p: IndexProgress) => {
    const rate = p.elapsedMs > 0 ? Math.round((p.settled * 1000) / p.elapsedMs) : 0;
    if (bar) {
      bar.update(Math.min(total, p.settled + p.rejected), { rate, rejected: p.rejected });
    } else if (Date.now() - lastLog >= 2_000) {
      lastLog = Date.now();
      console.error(
        `indexing: ${p.settled} written, ${p.rejected} rejected, ${p.lines}/${total} lines read, ${rate} docs/s`,
      );
    }
  };
  const onReject = (r: FeedReject) => {
    rejectsOut.write(`${JSON.stringify(r)}\n`);
    if (bars) bars.log(`reject: ${formatReject(r)}\n`);
    else console.error(`reject: ${formatReject(r)}`);
  };

  console.error(
    `${o.full ? "full reindex" : "incremental update"} of ${o.file} (${total} lines) into ${alias} at ${url}`,
  );
  try {
    const lines = readFileLines(o.file);
    const s = await indexFeed({
      client,
      alias,
      catalog,
      policy,
      lines,
      full: o.full,
      minShareOfPrevious: o["allow-shrink"] ? 0 : 0.5,
      bulk: { concurrency },
      onProgress,
      onReject,
    });
    bar?.update(total);
    bars?.stop();
    console.log(
      [
        `${s.mode} ${s.mode === "full" ? `into ${s.index}, alias ${alias} moved${s.previous.length ? ` from ${s.previous.join(", ")} (kept for rollback)` : ""}` : `into ${alias} (${s.index})`}`,
        `  lines     ${s.lines}`,
        `  indexed   ${s.indexed}`,
        `  updated   ${s.updated}`,
        `  deleted   ${s.deleted}`,
        `  stale     ${s.stale}`,
        `  rejected  ${s.rejected}${s.rejected > 0 ? ` (see ${o.rejects})` : ""}`,
        `  time      ${(s.elapsedMs / 1000).toFixed(1)} s, ${s.docsPerSecond} docs/s`,
        ...(s.pruned.length > 0 ? [`  deleted old versions: ${s.pruned.join(", ")}`] : []),
      ].join("\n"),
    );
    return o.strict && s.rejected > 0 ? 3 : 0;
  } catch (e) {
    bars?.stop();
    console.error(`indexing failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await new Promise<void>((r) => rejectsOut.end(r));
    await client.close();
  }
}

process.exitCode = await main();
