// Node entry point: reads configuration from the environment, builds the dependencies with the
// one composition root (deps.ts) and serves createApp. Node's runtime: files are readable, the
// embedded backend loads PARTNERS_FILE (or the bundled sample), or the binary SNAPSHOT_FILE,
// at start.
import { readFileSync } from "node:fs";
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { FileAuditSink } from "./audit/file-sink.js";
import { type Config, parseConfig, updateLogFileOf } from "./config.js";
import { buildDeps, type Runtime } from "./deps.js";
import { createApp } from "./http/app.js";
import { nodeEncoders, nodeSha1Hex } from "./http/node-codecs.js";
import { type BulkCollector, bulkCollector, releaseLoadMemory } from "./lib/release-memory.js";
import { type DurableOptions, openDurable } from "./search/durable/durable-backend.js";
import { openFallback } from "./search/fallback/fallback-backend.js";
import { loadFeedFile } from "./search/memory/load-feed-file.js";
import { MemoryBackend } from "./search/memory/memory-backend.js";
import { memoryFromIndexFile } from "./search/snapshot/index-file.js";

export const SAMPLE_FEED = new URL("../data/sample-partners.ndjson", import.meta.url);

type LiveUpdates = Pick<DurableOptions, "logFile" | "compactAt" | "watch">;

/**
 * How the service runs on Node; `partnersFile` is PARTNERS_FILE (the sample when unset), `live`
 * where the embedded engine's updates are logged and whether the file is watched,
 * `snapshotFile` SNAPSHOT_FILE (loaded instead of a feed).
 */
export function nodeRuntime(
  partnersFile?: string,
  live: LiveUpdates = {},
  snapshotFile?: string,
): Runtime {
  return {
    readFile: (path) => readFileSync(path, "utf8"),
    clientAddress: (c) => getConnInfo(c).remote.address,
    // Its data comes from `npm run index`, not from PARTNERS_FILE at start-up.
    // The client and its HTTP stack (~30 MB of RSS) load only when Elasticsearch is configured.
    elasticsearch: async ({ fallback, ...settings }, { catalog, policy, logger }) => {
      if (live.watch) logger.warn("WATCH_PARTNERS_FILE is ignored with Elasticsearch");
      const { createElasticsearchBackend } = await import("./search/elasticsearch/index.js");
      const backend = createElasticsearchBackend({ ...settings, catalog, policy });
      if (!fallback) return backend;
      // The last-good copy loads in the background; /readyz details.fallback says when it is there.
      return openFallback(backend, { catalog, policy, logger, refreshMs: fallback.refreshMs });
    },
    auditFile: (options) => new FileAuditSink(options),
    auditElasticsearch: async ({ url, apiKey, requestTimeoutMs }, dataStream) => {
      const [{ ElasticsearchAuditSink }, { createClient }] = await Promise.all([
        import("./audit/elasticsearch-sink.js"),
        import("./search/elasticsearch/index.js"),
      ]);
      return new ElasticsearchAuditSink(
        createClient({
          url,
          ...(apiKey ? { apiKey } : {}),
          ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
        }),
        dataStream,
      );
    },
    embedded: async ({ catalog, policy, logger }) => {
      if (snapshotFile) {
        const started = performance.now();
        const { memory, decoded } = memoryFromIndexFile(readFileSync(snapshotFile), {
          catalog,
          policy,
        });
        for (const r of decoded.rejects.slice(0, 20))
          logger.warn("snapshot profile rejected", { ...r });
        logger.info("snapshot loaded", {
          source: snapshotFile,
          dataVersion: decoded.header.dataVersion,
          profiles: memory.size,
          catalogMatched: decoded.catalogMatched,
          policyMatched: decoded.policyMatched,
          ms: Math.round(performance.now() - started),
        });
        return openDurable(memory, { ...live, catalog, logger, ...collect(memory) });
      }
      const backend = new MemoryBackend(catalog, policy);
      const source = partnersFile ?? SAMPLE_FEED;
      const started = performance.now();
      const { summary, rejects } = await loadFeedFile(backend, source, catalog);
      for (const r of rejects.slice(0, 20)) logger.warn("feed line rejected", { ...r });
      logger.info("feed loaded", {
        source: String(source),
        ...summary,
        rejected: rejects.length,
        ms: Math.round(performance.now() - started),
      });
      return openDurable(backend, { ...live, catalog, logger, ...collect(backend) });
    },
  };
}

/**
 * After a watched feed's reload or a large push: once the engine's rebuild in the background is
 * done, the same collections as after the start-up load, or their garbage would stay resident
 * as the load's did (release-memory.ts).
 */
function collect(memory: MemoryBackend): BulkCollector {
  return bulkCollector(() => memory.settled());
}

/** Starts the server; resolves once it listens, with its port and a way to stop it. */
export async function start(env: Record<string, unknown>) {
  const config = parseConfig(env);
  const deps = await buildDeps(
    config,
    nodeRuntime(config.PARTNERS_FILE, liveUpdates(config), config.SNAPSHOT_FILE),
  );
  const { backend, logger } = deps;
  await backend.readiness();
  // Node serves its answers itself, so it compresses them (Workers: the platform does).
  const app = createApp({
    ...deps,
    compress: true,
    encoders: nodeEncoders,
    sha1Hex: nodeSha1Hex,
  });
  let server: ReturnType<typeof serve> | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve(
      {
        fetch: app.fetch,
        port: config.PORT,
        hostname: config.HOST,
        serverOptions: {
          headersTimeout: Math.min(config.HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS),
          requestTimeout: config.REQUEST_TIMEOUT_MS,
          // Node checks the two timeouts this often (30 s by default): often enough to keep them.
          connectionsCheckingInterval: Math.max(50, Math.min(1_000, config.REQUEST_TIMEOUT_MS / 4)),
        },
      },
      (info) => {
        logger.info("listening", { url: `http://localhost:${info.port}`, backend: backend.kind });
        resolve(info.port);
        // After the listen, so that readiness does not wait for it; the start-up load's garbage
        // would otherwise stay in the process's memory (see release-memory.ts).
        void releaseLoadMemory({ unref: true });
      },
    );
  });
  return {
    port,
    stop: async () => {
      await new Promise((r) => server?.close(r));
      // Stops the partners-file watcher, lets applies in flight finish, closes the update log.
      await backend.close?.();
      await deps.audit.close?.();
    },
  };
}

function liveUpdates(config: Config): LiveUpdates {
  const file = config.PARTNERS_FILE;
  return {
    logFile: updateLogFileOf(config),
    compactAt: { lines: config.UPDATE_LOG_COMPACT_LINES, bytes: config.UPDATE_LOG_COMPACT_BYTES },
    watch: config.WATCH_PARTNERS_FILE && file ? { file } : undefined,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  start(process.env).then(
    (running) => {
      const stop = () => void running.stop();
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
