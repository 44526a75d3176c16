// The relevance page of a text search, read accredited partners first. SORT_ORDERS puts
// accredited partners ahead of every other by relevance, so Elasticsearch scored every match
// (the function_score cannot skip) to place a page that, for any broad query, holds accredited
// partners only (about one partner in eight). Here the page search reads the accredited
// matches alone, by the rest of the order; only a page reaching past them reads the others in a
// second search, from where the accredited ones end. The two parts concatenated are the page
// of the whole order. Pure functions: the backend sends the searches.
import type { estypes } from "@elastic/elasticsearch";
import { type DirectoryPlan, SORT_ORDERS } from "../../ranking/directory.js";
import { SORT_FIELDS } from "./queries.js";

type Answer<T> = estypes.SearchResponse<T>;

export interface AccreditedFirst {
  /** The page's accredited part: the page search within the accredited matches. */
  first: estypes.SearchRequest;
  /** The search for the rest of the page once `first` is answered; none when it filled it. */
  rest<T>(first: Answer<T>): estypes.SearchRequest | undefined;
  /** The page search's answer: the two parts' hits in order. */
  merge<T>(first: Answer<T>, rest: Answer<T> | undefined): Answer<T>;
}

/**
 * The split of `page` (the plan's page search, as directorySearches builds it), or undefined
 * where it does not pay or apply: without text (a filter-only page sorts on doc values and skips
 * on its own), when the order does not start with accredited, or when a filter leaves one side.
 */
export function accreditedFirst(
  plan: DirectoryPlan,
  page: estypes.SearchRequest,
): AccreditedFirst | undefined {
  const [head] = SORT_ORDERS[plan.sort];
  if (!plan.text || head?.field !== "accredited" || head.order !== "desc") return undefined;
  const filter = plan.filters.find((f) => f.field === "accredited");
  if (filter && new Set(filter.values).size === 1) return undefined;
  const from = page.from ?? 0;
  const size = page.size ?? 10;
  // sortClauses keeps the order's keys in place: the first clause is the accredited one.
  const sort = (page.sort as estypes.SortCombinations[]).slice(1);
  const part = (accredited: boolean, at: number, n: number): estypes.SearchRequest => ({
    ...page,
    query: {
      bool: {
        ...(page.query ? { must: [page.query] } : {}),
        filter: [{ term: { [SORT_FIELDS.accredited]: accredited } }],
      },
    },
    sort,
    from: at,
    size: n,
  });
  return {
    // Counted up to the page's end: a first part short of the page then has its exact total.
    first: { ...part(true, from, size), track_total_hits: from + size },
    rest(first) {
      const got = first.hits.hits.length;
      if (got >= size) return undefined;
      const total = first.hits.total;
      const accredited = typeof total === "number" ? total : (total?.value ?? 0);
      return {
        ...part(false, Math.max(0, from - accredited), size - got),
        track_total_hits: false,
      };
    },
    merge(first, rest) {
      if (!rest) return first;
      return { ...first, hits: { ...first.hits, hits: [...first.hits.hits, ...rest.hits.hits] } };
    },
  };
}
