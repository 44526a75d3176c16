// Everything the Worker builds once per isolate from its bindings: catalog and policy (bundled or
// replaced inline), the backend (Elasticsearch when ELASTICSEARCH_URL is bound, else the
// embedded snapshot) and the one createApp. Any bad binding ends here as a problem naming it.
import { buildCatalog, type Catalog, defaultCatalog } from "../catalog/catalog.js";
import { buildPolicy, defaultPolicy, type MarketPolicy } from "../catalog/policy.js";
import { type App, createApp } from "../http/app.js";
import { consoleLogger, type Logger, silentLogger } from "../lib/logger.js";
import type { SearchBackend } from "../search/backend.js";
import { SnapshotBackend } from "../search/snapshot/snapshot-backend.js";
import { type BindingProblem, parseBindings, type WorkerBindings } from "./bindings.js";

export type EdgeApp =
  | { ok: true; app: App; backend: SearchBackend; logger: Logger }
  | { ok: false; problems: BindingProblem[] };

/** Asset requests need an absolute URL; the host is ignored by the assets binding. */
const ASSET_ORIGIN = "https://assets.invalid";

export async function buildEdgeApp(env: unknown): Promise<EdgeApp> {
  const parsed = parseBindings(env);
  if (!parsed.ok) return parsed;
  const b = parsed.bindings;
  const logger = b.LOG_LEVEL === "silent" ? silentLogger : consoleLogger;

  let catalog: Catalog;
  let policy: MarketPolicy;
  try {
    catalog = b.CATALOG_JSON === undefined ? defaultCatalog() : buildCatalog(b.CATALOG_JSON);
  } catch (e) {
    return { ok: false, problems: [{ name: "CATALOG_JSON", reason: (e as Error).message }] };
  }
  try {
    policy =
      b.MARKET_POLICY_JSON === undefined
        ? defaultPolicy(catalog)
        : buildPolicy(b.MARKET_POLICY_JSON, catalog);
  } catch (e) {
    return { ok: false, problems: [{ name: "MARKET_POLICY_JSON", reason: (e as Error).message }] };
  }

  const backend = b.ELASTICSEARCH_URL
    ? await elasticsearchBackend(b, b.ELASTICSEARCH_URL, catalog, policy)
    : snapshotBackend(b, catalog, policy, logger);
  const app = createApp({ backend, catalog, policy, matchTokens: b.MATCH_API_TOKENS, logger });
  logger.info("worker configured", { backend: backend.kind });
  return { ok: true, app, backend, logger };
}

function snapshotBackend(
  b: WorkerBindings,
  catalog: Catalog,
  policy: MarketPolicy,
  logger: Logger,
): SearchBackend {
  const assets = b.ASSETS;
  if (!assets) throw new Error("unreachable: the bindings schema requires ASSETS here");
  return new SnapshotBackend({
    fetchSnapshot: () => assets.fetch(new Request(ASSET_ORIGIN + b.SNAPSHOT_PATH)),
    location: `ASSETS${b.SNAPSHOT_PATH}`,
    catalog,
    policy,
    logger,
  });
}

async function elasticsearchBackend(
  b: WorkerBindings,
  url: string,
  catalog: Catalog,
  policy: MarketPolicy,
): Promise<SearchBackend> {
  // Imported on demand so isolates on the embedded backend never evaluate the client.
  const { createEdgeElasticsearchBackend } = await import("./edge-elasticsearch.js");
  return createEdgeElasticsearchBackend({
    url,
    ...(b.ELASTICSEARCH_API_KEY ? { apiKey: b.ELASTICSEARCH_API_KEY } : {}),
    alias: b.ELASTICSEARCH_INDEX,
    ...(b.ELASTICSEARCH_REQUEST_TIMEOUT_MS
      ? { requestTimeoutMs: b.ELASTICSEARCH_REQUEST_TIMEOUT_MS }
      : {}),
    catalog,
    policy,
  });
}
