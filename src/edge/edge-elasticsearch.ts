// The Elasticsearch backend as the Worker builds it: the same factory as on Node, with the
// official client speaking through fetch (FetchConnection) because workerd gives undici no
// sockets. Kept in its own module, imported on demand, so embedded-only isolates never
// evaluate the client.
import type { SearchBackend } from "../search/backend.js";
import { FetchConnection } from "../search/elasticsearch/fetch-connection.js";
import {
  createElasticsearchBackend,
  type ElasticsearchBackendConfig,
} from "../search/elasticsearch/index.js";

export function createEdgeElasticsearchBackend(
  config: Omit<ElasticsearchBackendConfig, "Connection">,
): SearchBackend {
  return createElasticsearchBackend({ ...config, Connection: FetchConnection });
}
