// The finder's candidate query as Elasticsearch requests and its coverage counts back: the
// market scan (paged with search_after on the id) with the optional pre-filters and the
// aggregations that say how many each pre-filter drops. Pure functions, like queries.ts.
import type { estypes } from "@elastic/elasticsearch";
import { countsLanguages } from "../../ranking/candidates.js";
import type { CandidateQuery } from "../backend.js";
import { facetField, type Query } from "./queries.js";

/** Page size of the candidate scan: a large market holds ~15k partners. */
export const CANDIDATE_PAGE = 10_000;

/**
 * Coarse candidate retrieval for the finder: partners located in or serving the country and,
 * when languages are given, sharing one. Paged with `search_after` on the id, which is also the
 * order the embedded backend returns them in; the match ranking applies every rule again.
 * The optional pre-filters go into a `post_filter`, so the first page can also count the whole
 * market (an aggregation sees the query's matches before the post filter).
 */
export function candidatesSearch(
  query: CandidateQuery,
  index: string,
  after?: string,
  pageSize = CANDIDATE_PAGE,
): estypes.SearchRequest {
  const filter: Query[] = [
    { terms: { programLevel: [...query.programLevels] } },
    { term: { [facetField("country")]: query.country } },
  ];
  if (query.languages && query.languages.length > 0) {
    filter.push({ terms: { languages: [...query.languages] } });
  }
  const pre = candidatePrefilters(query);
  const steps = prefilterSteps(query);
  return {
    index,
    query: { bool: { filter } },
    ...(pre.length > 0 ? { post_filter: { bool: { filter: pre } } } : {}),
    ...(steps.length > 0 && after === undefined
      ? {
          aggs: {
            [MARKET_AGG]: { filter: { match_all: {} } },
            [COVERAGE_AGG]: { filters: { filters: coverageFilters(steps) } },
          },
        }
      : {}),
    sort: [{ id: "asc" }],
    size: pageSize,
    // No `filter_path`: trimming the envelope makes Elasticsearch re-parse every _source to
    // filter it (measured: 330 ms instead of 230 ms per 10k profiles).
    track_total_hits: false,
    ...(after !== undefined ? { search_after: [after] } : {}),
  };
}

/** Aggregation of the first candidate page that counts the market before the pre-filters. */
export const MARKET_AGG = "market";

/** Aggregation of the first candidate page that counts the market left after each step. */
export const COVERAGE_AGG = "coverage";

/** One counted step of the pre-filters, named like the counts of candidates.ts. */
export type CoverageStep = "language" | "accepting" | "capacity" | "eligible" | "qualified";

/** The pre-filter steps in order with their clauses (`language` is counted, never filtered). */
export function prefilterSteps(query: CandidateQuery): { step: CoverageStep; clauses: Query[] }[] {
  const out: { step: CoverageStep; clauses: Query[] }[] = [];
  if (countsLanguages(query)) {
    out.push({
      step: "language",
      clauses: [{ terms: { languages: [...(query.countLanguages ?? [])] } }],
    });
  }
  if (query.withCapacity) {
    out.push({
      step: "accepting",
      clauses: [{ term: { "internal.capacity.acceptingReferrals": true } }],
    });
    // The derived flag (open < max needs a script otherwise); an index written before the
    // flag existed lacks it, and then only acceptingReferrals narrows.
    out.push({
      step: "capacity",
      clauses: [
        {
          bool: {
            should: [
              { term: { "search.withCapacity": true } },
              { bool: { must_not: [{ exists: { field: "search.withCapacity" } }] } },
            ],
            minimum_should_match: 1,
          },
        },
      ],
    });
  }
  const e = query.eligibleIf;
  if (e) {
    const should: Query[] = [];
    if (e.accreditationsAny.length > 0) {
      should.push({ terms: { "accreditations.code": [...e.accreditationsAny] } });
    }
    const q = e.qualified;
    if (q) {
      // `internal.retention` is a float field: rounding to float is monotonic, so every
      // retention >= minRetention still matches (a few just below may too; ranking rechecks).
      const qualified: Query[] = [{ range: { "internal.retention": { gte: q.minRetention } } }];
      if (q.tiersAny) qualified.unshift({ terms: { tier: [...q.tiersAny] } });
      should.push({ bool: { filter: qualified } });
    }
    out.push({
      step: "eligible",
      clauses: [
        should.length > 0
          ? { bool: { should, minimum_should_match: 1 } }
          : { bool: { must_not: [{ match_all: {} }] } },
      ],
    });
  }
  return out;
}

/** The query's optional pre-filters as filter clauses (none: the whole market). */
export function candidatePrefilters(query: CandidateQuery): Query[] {
  return prefilterSteps(query).flatMap((s) => (s.step === "language" ? [] : s.clauses));
}

/** One `filters` bucket per step: the market left after that step and every one before it. */
export function coverageFilters(
  steps: { step: CoverageStep; clauses: Query[] }[],
): Record<string, Query> {
  const out: Record<string, Query> = {};
  const soFar: Query[] = [];
  for (const s of steps) {
    soFar.push(...s.clauses);
    out[s.step] = { bool: { filter: [...soFar] } };
  }
  return out;
}

/** The coverage buckets of a first candidate page as the counts of candidates.ts. */
export function coverageCounts(
  aggs: Record<string, unknown> | undefined,
): Partial<Record<CoverageStep, number>> {
  const buckets = (aggs?.[COVERAGE_AGG] as { buckets?: Record<string, { doc_count: number }> })
    ?.buckets;
  const out: Partial<Record<CoverageStep, number>> = {};
  for (const [k, b] of Object.entries(buckets ?? {})) out[k as CoverageStep] = b.doc_count;
  return out;
}
