// Several searches in one round trip (`_msearch`), which the cluster runs side by side. An
// answer that failed on its own (the envelope is a 200) fails the whole read as the engine
// error a single search would have raised: retryable when the cluster was overloaded or failed.
import type { Client, estypes, TransportRequestOptions } from "@elastic/elasticsearch";
import { SearchUnavailableError } from "../backend.js";

export async function searchAll<T = unknown>(
  client: Client,
  requests: readonly estypes.SearchRequest[],
  options: TransportRequestOptions = {},
): Promise<estypes.SearchResponse<T>[]> {
  if (requests.length === 1) return [await client.search<T>(requests[0], options)];
  const searches = requests.flatMap(({ index, ...body }) => [
    index === undefined ? {} : { index },
    body as estypes.MsearchMultisearchBody,
  ]);
  const res = await client.msearch<T>({ searches }, options);
  if (res.responses.length !== requests.length) {
    throw new SearchUnavailableError(
      `_msearch answered ${res.responses.length} of ${requests.length} searches`,
      false,
    );
  }
  return res.responses.map((r, i) => {
    if ("error" in r) {
      const status = r.status ?? 0;
      throw new SearchUnavailableError(
        `search ${i + 1} of ${requests.length}: Elasticsearch answered ${status} ${r.error.type}${r.error.reason ? ` (${r.error.reason})` : ""}`,
        status === 429 || status >= 500,
      );
    }
    return r as estypes.SearchResponse<T>;
  });
}
