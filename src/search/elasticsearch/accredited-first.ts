// The relevance page of a text search, read accredited partners first. SORT_ORDERS puts
// accredited partners ahead of every other by relevance, so Elasticsearch scored every match
// (the function_score cannot skip) to place a page that, for any broad query, holds accredited
// partners only (about one partner in eight). Here the page search reads the accredited
// matches alone, by the rest of the order; only a page reaching past them reads the others,
// from where the accredited ones end. The two parts concatenated are the page of the whole
// order. Pure functions: the backend sends the searches.
//
// Reading the others waited for the first answer: a second round trip (~10 of ~22 ms of a
// text page on the 100k index). A query asked before, on any page, sort or page size, has told
// how many accredited partners match it (its facets); with that count the rest's search goes
// in the same `_msearch` as the first, and is used only when the first answer shows it is the
// very search the count foretold. A count gone stale (the index changed) costs the round trip
// again, never a wrong page.
import type { estypes } from "@elastic/elasticsearch";
import { keep, touch } from "../../lib/recent.js";
import { countingKey, type DirectoryPlan, SORT_ORDERS } from "../../ranking/directory.js";
import type { DirectoryResult } from "../backend.js";
import { SORT_FIELDS, totalOf } from "./queries.js";

type Answer<T> = estypes.SearchResponse<T>;

export interface AccreditedFirst {
  /** The page's accredited part: the page search within the accredited matches. */
  first: estypes.SearchRequest;
  /**
   * The rest's search as the known count of accredited matches foretells it, to send with
   * `first`; none without a count, or when by it `first` fills the page.
   */
  guess?: estypes.SearchRequest;
  /**
   * The search for the rest of the page once `first` is answered; none when it filled it. It
   * is `guess` itself (the same object) when the guess was right.
   */
  rest<T>(first: Answer<T>): estypes.SearchRequest | undefined;
  /** The page search's answer: the two parts' hits in order. */
  merge<T>(first: Answer<T>, rest: Answer<T> | undefined): Answer<T>;
}

/**
 * The split of `page` (the plan's page search, as directorySearches builds it), or undefined
 * where it does not pay or apply: without text (a filter-only page sorts on doc values and skips
 * on its own), when the order does not start with accredited, or when a filter leaves one side.
 * `counts`: how many accredited partners match a plan, where known (AccreditedCounts); asked
 * only for a page that is split.
 */
export function accreditedFirst(
  plan: DirectoryPlan,
  page: estypes.SearchRequest,
  counts?: Pick<AccreditedCounts, "get">,
): AccreditedFirst | undefined {
  const [head] = SORT_ORDERS[plan.sort];
  if (!plan.text || head?.field !== "accredited" || head.order !== "desc") return undefined;
  const filter = plan.filters.find((f) => f.field === "accredited");
  if (filter && new Set(filter.values).size === 1) return undefined;
  const from = page.from ?? 0;
  const size = page.size ?? 10;
  // sortClauses keeps the order's keys in place: the first clause is the accredited one.
  const sort = (page.sort as estypes.SortCombinations[]).slice(1);
  const part = (isAccredited: boolean, at: number, n: number): estypes.SearchRequest => ({
    ...page,
    query: {
      bool: {
        ...(page.query ? { must: [page.query] } : {}),
        filter: [{ term: { [SORT_FIELDS.accredited]: isAccredited } }],
      },
    },
    sort,
    from: at,
    size: n,
  });
  /** The rest after `got` accredited hits of `count` in all. */
  const restAfter = (count: number, got: number): estypes.SearchRequest => ({
    ...part(false, Math.max(0, from - count), size - got),
    track_total_hits: false,
  });
  const accredited = counts?.get(plan);
  const guess =
    accredited !== undefined && accredited < from + size
      ? restAfter(accredited, Math.min(size, Math.max(0, accredited - from)))
      : undefined;
  return {
    // Counted up to the page's end: a first part short of the page then has its exact total.
    first: { ...part(true, from, size), track_total_hits: from + size },
    ...(guess ? { guess } : {}),
    rest(first) {
      const got = first.hits.hits.length;
      if (got >= size) return undefined;
      const count = totalOf(first);
      const more = restAfter(count, got);
      return guess && guess.from === more.from && guess.size === more.size ? guess : more;
    },
    merge(first, rest) {
      if (!rest) return first;
      return { ...first, hits: { ...first.hits, hits: [...first.hits.hits, ...rest.hits.hits] } };
    },
  };
}

/**
 * How many accredited partners match each recent query (countingKey: its words, filters, circle
 * and budget; not its order or page), from its answers. A hint only: accreditedFirst checks it
 * against the first answer, so it needs no invalidation; the next answer of the query corrects
 * it.
 */
export class AccreditedCounts {
  /** In use order, least recent first (src/lib/recent.ts). */
  private readonly counts = new Map<string, number>();

  /** The last plan's key: a split page asks for its count, then learns it, with one plan. */
  private last?: { plan: DirectoryPlan; key: string };

  constructor(private readonly maxEntries = 1024) {}

  get(plan: DirectoryPlan): number | undefined {
    return touch(this.counts, this.keyOf(plan));
  }

  /**
   * Learns the count from an answer: the accredited facet counts it over every other filter,
   * which is the split's own match set; without that facet, the first part's total when exact.
   */
  learn(plan: DirectoryPlan, first: Answer<unknown>, facets: DirectoryResult["facets"]): void {
    const facet = plan.facets.includes("accredited") ? facets.accredited : undefined;
    const total = first.hits.total;
    const exact = typeof total === "object" && total.relation === "eq" ? total.value : undefined;
    const count = facet ? (facet.true ?? 0) : exact;
    if (count === undefined) return;
    keep(this.counts, this.keyOf(plan), count, this.maxEntries);
  }

  private keyOf(plan: DirectoryPlan): string {
    if (this.last?.plan !== plan) this.last = { plan, key: countingKey(plan) };
    return this.last.key;
  }
}
