// Node entry point: reads configuration from the environment, loads the feed into the chosen
// backend and serves createApp. Everything else lives behind createApp.
import { readFileSync } from "node:fs";
import { serve } from "@hono/node-server";
import { buildCatalog, defaultCatalog } from "./catalog/catalog.js";
import { buildPolicy, defaultPolicy } from "./catalog/policy.js";
import { type Config, parseConfig } from "./config.js";
import { createApp } from "./http/app.js";
import { consoleLogger, silentLogger } from "./lib/logger.js";
import type { SearchBackend } from "./search/backend.js";
import { createElasticsearchBackend } from "./search/elasticsearch/index.js";
import { loadFeedFile } from "./search/memory/load-feed-file.js";
import { MemoryBackend } from "./search/memory/memory-backend.js";

export const SAMPLE_FEED = new URL("../data/sample-partners.ndjson", import.meta.url);

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, "utf8"));

export async function createBackend(
  config: Config,
  catalog: ReturnType<typeof defaultCatalog>,
  policy: ReturnType<typeof defaultPolicy>,
  logger = consoleLogger,
): Promise<SearchBackend> {
  // Elasticsearch backend: wired here when ELASTICSEARCH_URL is set. Its data comes from
  // `npm run index`, not from PARTNERS_FILE at start-up.
  if (config.ELASTICSEARCH_URL) {
    const { ELASTICSEARCH_URL: url, ELASTICSEARCH_API_KEY: apiKey } = config;
    logger.info("search backend", { backend: "elasticsearch", alias: config.ELASTICSEARCH_INDEX });
    return createElasticsearchBackend({
      url,
      apiKey,
      alias: config.ELASTICSEARCH_INDEX,
      catalog,
      policy,
    });
  }
  const backend = new MemoryBackend(catalog, policy);
  const source = config.PARTNERS_FILE ?? SAMPLE_FEED;
  const started = performance.now();
  const { summary, rejects } = await loadFeedFile(backend, source, catalog);
  for (const r of rejects.slice(0, 20)) logger.warn("feed line rejected", { ...r });
  logger.info("feed loaded", {
    source: String(source),
    ...summary,
    rejected: rejects.length,
    ms: Math.round(performance.now() - started),
  });
  return backend;
}

async function main() {
  const config = parseConfig(process.env);
  const logger = config.LOG_LEVEL === "silent" ? silentLogger : consoleLogger;
  const catalog = config.CATALOG_FILE
    ? buildCatalog(readJson(config.CATALOG_FILE))
    : defaultCatalog();
  const policy = config.MARKET_POLICY_FILE
    ? buildPolicy(readJson(config.MARKET_POLICY_FILE), catalog)
    : defaultPolicy(catalog);
  const backend = await createBackend(config, catalog, policy, logger);
  await backend.readiness();
  const app = createApp({ backend, catalog, policy, matchTokens: config.MATCH_API_TOKENS, logger });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info("listening", { url: `http://localhost:${info.port}`, backend: backend.kind });
  });
  const stop = () => {
    server.close();
    void backend.close?.();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
