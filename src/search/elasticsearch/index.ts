// Elasticsearch backend entry point: the factory the entry points call when ELASTICSEARCH_URL
// is set, and the pieces the indexer and tests use.
import type { BaseConnection } from "@elastic/elasticsearch";
import type { Catalog } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { createClient, DEFAULT_REQUEST_TIMEOUT_MS } from "./client.js";
import { ElasticsearchBackend, type FinderMode } from "./elasticsearch-backend.js";

export interface ElasticsearchBackendConfig {
  /** One node's URL, or the comma-separated URLs of one cluster's nodes. */
  url: string;
  apiKey?: string;
  /** The alias reads and writes go through; default `partners`. */
  alias?: string;
  catalog: Catalog;
  policy: MarketPolicy;
  /** Per request to the cluster and, in all, per read of the service (see readBudgetMs). */
  requestTimeoutMs?: number;
  /** Replicas of an index the backend creates; default: derived from the cluster's size. */
  replicas?: number;
  /** The finder's read of a market (see ElasticsearchBackendOptions). */
  finderMode?: FinderMode;
  finderK?: number;
  /** How often kept directory answers are checked against the index (see answerCacheMs). */
  answerCacheMs?: number;
  /** A different HTTP connection class, e.g. a fetch-based one for Cloudflare Workers. */
  Connection?: typeof BaseConnection;
}

export const DEFAULT_ALIAS = "partners";

export function createElasticsearchBackend(
  config: ElasticsearchBackendConfig,
): ElasticsearchBackend {
  const client = createClient({
    url: config.url,
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    ...(config.requestTimeoutMs ? { requestTimeoutMs: config.requestTimeoutMs } : {}),
    ...(config.Connection ? { Connection: config.Connection } : {}),
  });
  return new ElasticsearchBackend({
    client,
    alias: config.alias ?? DEFAULT_ALIAS,
    catalog: config.catalog,
    policy: config.policy,
    // One read of the service, however many round trips, answers within the request timeout.
    readBudgetMs: config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    ...(config.replicas !== undefined ? { replicas: config.replicas } : {}),
    ...(config.finderMode ? { finderMode: config.finderMode } : {}),
    ...(config.finderK !== undefined ? { finderK: config.finderK } : {}),
    ...(config.answerCacheMs ? { answerCacheMs: config.answerCacheMs } : {}),
  });
}

export { createClient, toSearchError } from "./client.js";
export { ElasticsearchBackend } from "./elasticsearch-backend.js";
