// The Elasticsearch backend as the Worker builds it: the same factory as on Node, with the
// official client speaking through fetch (FetchConnection) because workerd gives undici no
// sockets. Kept in its own module, imported on demand, so embedded-only isolates never
// evaluate the client.
import type { AuditSink } from "../audit/audit-sink.js";
import { ElasticsearchAuditSink } from "../audit/elasticsearch-sink.js";
import type { ElasticsearchSettings } from "../deps.js";
import type { SearchBackend } from "../search/backend.js";
import { FetchConnection } from "../search/elasticsearch/fetch-connection.js";
import {
  createClient,
  createElasticsearchBackend,
  type ElasticsearchBackendConfig,
} from "../search/elasticsearch/index.js";

export function createEdgeElasticsearchBackend(
  config: Omit<ElasticsearchBackendConfig, "Connection">,
): SearchBackend {
  return createElasticsearchBackend({ ...config, Connection: FetchConnection });
}

/** The audit trail's data stream, through the same fetch-based connection. */
export function createEdgeAuditSink(
  { url, apiKey, requestTimeoutMs }: ElasticsearchSettings,
  dataStream: string,
): AuditSink {
  const client = createClient({
    url,
    ...(apiKey ? { apiKey } : {}),
    ...(requestTimeoutMs ? { requestTimeoutMs } : {}),
    Connection: FetchConnection,
  });
  return new ElasticsearchAuditSink(client, dataStream);
}
