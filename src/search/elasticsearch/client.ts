// The Elasticsearch client as this service configures it (short timeouts, few retries, API key)
// and the one translation of engine failures into SearchUnavailableError. The HTTP connection
// class is injectable so that the Workers build can pass a fetch-based one.
import { type BaseConnection, Client, errors } from "@elastic/elasticsearch";
import { SearchUnavailableError } from "../backend.js";
import { nodeUrls } from "./node-urls.js";

export interface ClientConfig {
  /** One node's URL, or the comma-separated URLs of one cluster's nodes. */
  url: string;
  apiKey?: string;
  /** Per request; a slow cluster must turn into a 503 quickly, never a hung request. */
  requestTimeoutMs?: number;
  maxRetries?: number;
  /** Replaces the default undici connection (e.g. a fetch-based one on Workers). */
  Connection?: typeof BaseConnection;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 2_500;

export { nodeUrls };

export function createClient(config: ClientConfig): Client {
  const nodes = nodeUrls(config.url);
  return new Client({
    nodes,
    ...(config.apiKey ? { auth: { apiKey: config.apiKey } } : {}),
    requestTimeout: config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    // No transport retries on the query path against one node: the client backs off 1-2 s
    // before retrying a connection error, which would turn a fast 503 (with Retry-After) into a
    // slow one. Against several nodes, a request whose node is down (refused, reset, 502-504)
    // is retried once on each other node, at once (the client backs off only once it has tried
    // every node) and that node is then avoided. Timeouts are never retried. Writes retry in
    // bulk-writer.ts and admin calls per request.
    maxRetries: config.maxRetries ?? nodes.length - 1,
    ...(config.Connection ? { Connection: config.Connection } : {}),
  });
}

/** Status of an engine answer, when there was one. */
export function statusOf(e: unknown): number | undefined {
  return e instanceof errors.ResponseError ? e.statusCode : undefined;
}

/**
 * Any client failure as the service's one engine error. Retryable: the cluster did not answer
 * (connection, timeout), was overloaded (429) or failed (5xx). Not retryable: it refused the
 * request itself (4xx), which a retry would not change.
 */
export function toSearchError(e: unknown, what: string): SearchUnavailableError {
  if (e instanceof SearchUnavailableError) return e;
  if (e instanceof errors.ResponseError) {
    const status = e.statusCode ?? 0;
    const body = e.body as { error?: { type?: string; reason?: string } } | undefined;
    const type = body?.error?.type ?? "error";
    return new SearchUnavailableError(
      `${what}: Elasticsearch answered ${status} ${type}${body?.error?.reason ? ` (${body.error.reason})` : ""}`,
      status === 429 || status >= 500,
      { cause: e },
    );
  }
  if (e instanceof errors.TimeoutError) {
    return new SearchUnavailableError(`${what}: Elasticsearch did not answer in time`, true, {
      cause: e,
    });
  }
  if (e instanceof errors.ConnectionError || e instanceof errors.NoLivingConnectionsError) {
    return new SearchUnavailableError(
      `${what}: Elasticsearch is unreachable (${e.message})`,
      true,
      {
        cause: e,
      },
    );
  }
  if (e instanceof errors.ProductNotSupportedError) {
    return new SearchUnavailableError(`${what}: the server is not Elasticsearch`, false, {
      cause: e,
    });
  }
  const message = e instanceof Error ? e.message : String(e);
  return new SearchUnavailableError(`${what}: ${message}`, false, { cause: e });
}

/** Runs one client call, translating its failure. */
export async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toSearchError(e, what);
  }
}
