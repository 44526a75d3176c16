// The finder's first stage on Elasticsearch (retrieve-and-rerank): the request's RetrievalPlan
// (ranking/retrieval.ts) translated into a function_score search that returns the best K
// eligible partners and a size-0 search that counts the market's coverage. Pure functions.
// No scripts (a cluster may run without painless): indexed doubles through field_value_factor,
// term matches as filter weights, and the exp decay on geo_point for proximity.
import type { estypes } from "@elastic/elasticsearch";
import type { CandidateQuery, RetrievalPlan, TermField } from "../../ranking/candidates.js";
import type { RecordGroup } from "../../ranking/match-features.js";
import { PRODUCT_RECORD } from "../../ranking/retrieval.js";
import {
  COVERAGE_AGG,
  type CoverageStep,
  coverageFilters,
  MARKET_AGG,
  prefilterSteps,
} from "./candidate-queries.js";
import { facetField, type Query } from "./queries.js";

/** Where each field of a plan is indexed (index-mappings/partners.json). */
const TERM_FIELDS: Record<TermField, string> = {
  products: "products",
  industry: "industries",
  company_size: "customerSizes",
  services: "services",
  languages: "languages",
  accreditations: "accreditations.code",
  id: "id",
};

const RECORD_FIELDS: Record<RecordGroup, string> = {
  products: "internal.trackRecord.products",
  industry: "internal.trackRecord.industries",
  company_size: "internal.trackRecord.customerSizes",
};

/** An indexed first-stage feature (documents.ts `search.finder`). */
export const featureField = (name: string) => `search.finder.${name}`;

/**
 * The first stage as two searches the backend sends at once: `top`, the best `k` partners
 * meeting every hard rule by the plan's score, and `counts` (absent without pre-filters), the
 * market and what is left after each step, over the scan's market query. One search with the
 * rules as a post filter beside the aggregations took about twice as long (US, 100k feed): a
 * size-0 search counts filter by filter in a few ms, and a filtered query scores only the
 * eligible partners.
 */
export function rerankSearch(
  query: CandidateQuery,
  plan: RetrievalPlan,
  index: string,
  k: number,
): { top: estypes.SearchRequest; counts?: estypes.SearchRequest } {
  const filter: Query[] = [
    { terms: { programLevel: [...query.programLevels] } },
    { term: { [facetField("country")]: query.country } },
  ];
  if (query.languages && query.languages.length > 0) {
    filter.push({ terms: { languages: [...query.languages] } });
  }
  const steps: { step: CoverageStep; clauses: Query[] }[] = prefilterSteps(query);
  if (plan.languagesAny.length > 0 && !steps.some((s) => s.step === "language")) {
    steps.unshift({ step: "language", clauses: [{ terms: { languages: plan.languagesAny } }] });
  }
  const qualified = qualifiedClause(query, plan);
  if (qualified) steps.push({ step: "qualified", clauses: [qualified] });
  const top: estypes.SearchRequest = {
    index,
    query: {
      function_score: {
        query: { bool: { filter: [...filter, ...steps.flatMap((s) => s.clauses)] } },
        functions: scoreFunctions(plan),
        score_mode: "sum",
        boost_mode: "replace",
      },
    },
    // Ties by id, so the K-th place is the same on every shard layout and run.
    sort: [{ _score: { order: "desc" } }, { id: "asc" }],
    size: k,
    // Without pre-filters there is no count request: the total is the market and the eligible.
    track_total_hits: steps.length === 0,
  };
  if (steps.length === 0) return { top };
  return {
    top,
    counts: {
      index,
      query: { bool: { filter } },
      size: 0,
      track_total_hits: false,
      aggs: {
        [MARKET_AGG]: { filter: { match_all: {} } },
        [COVERAGE_AGG]: { filters: { filters: coverageFilters(steps) } },
      },
    },
  };
}

/** The plan's score as function_score functions, summed. */
export function scoreFunctions(plan: RetrievalPlan): estypes.QueryDslFunctionScoreContainer[] {
  // A document no function matches would score 1 (function_score's neutral factor): a constant
  // for every document keeps that from favouring anyone.
  const out: estypes.QueryDslFunctionScoreContainer[] = [{ weight: 1 }];
  for (const f of plan.features) {
    if (f.weight <= 0) continue;
    out.push({
      field_value_factor: { field: featureField(f.name), factor: f.weight, missing: 0 },
    });
  }
  for (const t of plan.terms) {
    if (t.weight <= 0 || t.codes.length === 0) continue;
    out.push({ filter: { terms: { [TERM_FIELDS[t.field]]: t.codes } }, weight: t.weight });
  }
  for (const c of plan.counted) {
    const field = TERM_FIELDS[c.field];
    c.steps.forEach((w, j) => {
      if (w <= 0) return;
      out.push({
        filter:
          j === 0
            ? { terms: { [field]: c.codes } }
            : {
                bool: {
                  should: c.codes.map((code) => ({ term: { [field]: code } })),
                  minimum_should_match: j + 1,
                },
              },
        weight: w,
      });
    });
  }
  const near = plan.near;
  if (near && near.weight > 0) {
    out.push({
      // Without the filter a partner with no located office would get the decay's 1.
      filter: { exists: { field: "search.geo" } },
      // exp decay: decay^(distance / scale) = exp(-km / decayKm), the nearest office counting.
      exp: {
        "search.geo": {
          origin: { lat: near.lat, lon: near.lon },
          scale: `${near.decayKm}km`,
          decay: Math.exp(-1),
        },
        multi_value_mode: "min",
      },
      weight: near.weight,
    });
  }
  return out;
}

/**
 * The qualified rule exactly (the scan's `eligible` step reads retention as a float and leaves
 * the track record to the ranking): accredited here, or tier, retention and record met.
 */
function qualifiedClause(query: CandidateQuery, plan: RetrievalPlan): Query | undefined {
  const e = query.eligibleIf;
  const q = plan.qualified;
  if (!e?.qualified || !q) return undefined;
  const met: Query[] = [];
  if (e.qualified.tiersAny) met.push({ terms: { tier: [...e.qualified.tiersAny] } });
  if (q.minRetention > 0) {
    met.push({ range: { [featureField("retention")]: { gte: q.minRetention } } });
  }
  if (q.minRecord > 0) {
    met.push(
      q.records.length === 0
        ? { range: { [featureField(PRODUCT_RECORD)]: { gte: q.minRecord } } }
        : {
            bool: {
              should: q.records.map((r) => ({
                range: { [`${RECORD_FIELDS[r.group]}.${r.code}`]: { gte: q.minRecord } },
              })),
              minimum_should_match: 1,
            },
          },
    );
  }
  const should: Query[] = [{ bool: { filter: met } }];
  if (e.accreditationsAny.length > 0) {
    should.unshift({ terms: { "accreditations.code": [...e.accreditationsAny] } });
  }
  return { bool: { should, minimum_should_match: 1 } };
}

/** The count after every step: the partners the post filter lets through. */
export function lastStep(counts: Partial<Record<CoverageStep, number>>): number | undefined {
  for (const s of ["qualified", "eligible", "capacity", "accepting", "language"] as const) {
    if (counts[s] !== undefined) return counts[s];
  }
  return undefined;
}
