// The partner finder end to end, shared by the HTTP handler and the benchmark so both measure
// and serve the same path: the backend's market pre-filters, then the pure ranking.
// It reaches the engine only through CandidateSource, which the ranking itself declares.
import { type CandidateSource, lookUp, type Staleness } from "./candidates.js";
import { type Coverage, coverageOf } from "./coverage.js";
import type { HardRule, Matcher, MatchOutcome, MatchRequest } from "./match.js";

export interface PartnerOfRecordStatus {
  id: string;
  eligible: boolean;
  /** The first hard rule it fails; absent when eligible or unknown. */
  failedRule?: HardRule;
  found: boolean;
}

export interface FindResult extends MatchOutcome {
  /** The market, the partners passing the hard rules, and what excluded the others. */
  coverage: Coverage;
  /** Why the named partner of record is (not) first, so staff are not left guessing. */
  partnerOfRecord?: PartnerOfRecordStatus;
  /** Present when some of the data came from a last-good copy (search/fallback/). */
  stale?: Staleness;
}

export async function findMatches(
  backend: CandidateSource,
  matcher: Matcher,
  request: MatchRequest,
  now: Date,
): Promise<FindResult> {
  const c = request.customer;
  // The partner of record is asked for by id alongside the candidates, not after them, so a
  // match waits for one engine read at most, bounded by the engine's timeout (a get after a slow
  // scan could double it). Mostly unneeded (it is on the page), and cheap. Settled at once:
  // when the scan fails, its failure is the answer and this one is dropped.
  const named = c.partnerOfRecord
    ? lookUp(backend, c.partnerOfRecord).then(
        (found) => ({ found }),
        (error: unknown) => ({ error }),
      )
    : undefined;
  // The market plus pre-filters the hard rules imply (capacity, accredited or possibly
  // qualified), so a backend that honours them sends only a fraction of the market; the
  // ranking applies every rule again. `considered` still counts the whole market.
  const set = await backend.candidates(matcher.candidateQuery(request));
  const rankedK = matcher.rank(set.profiles, request, now);
  // A retrieve-and-rerank backend sent the best K of `set.eligible`: the eligible count is its
  // (less any the ranking still rejects, which it counts under their rule).
  const ranked =
    set.eligible === undefined
      ? rankedK
      : { ...rankedK, eligible: set.eligible - (set.profiles.length - rankedK.eligible) };
  const outcome: FindResult = {
    ...ranked,
    considered: set.marketSize,
    coverage: coverageOf(set, ranked),
    ...(set.stale ? { stale: set.stale } : {}),
  };
  if (!c.partnerOfRecord || !named) return outcome;
  const id = c.partnerOfRecord;
  if (outcome.candidates.some((k) => k.profile.id === id)) {
    return { ...outcome, partnerOfRecord: { id, eligible: true, found: true } };
  }
  // Not on the page: it is missing, fails a rule (perhaps one a pre-filter applied already), or
  // scored too low (impossible when eligible, the partner-of-record weight outranks everything).
  // The backend's answer by id (scanning the market's profiles would touch every one of them)
  // lets the answer name the rule.
  const settled = await named;
  if ("error" in settled) throw settled.error;
  const { profile: p, stale } = settled.found;
  const marked = !outcome.stale && stale ? { ...outcome, stale } : outcome;
  if (!p) return { ...marked, partnerOfRecord: { id, eligible: false, found: false } };
  const rule = matcher.check(p, matcher.plan(request, now));
  return {
    ...marked,
    partnerOfRecord: {
      id,
      eligible: rule === undefined,
      found: true,
      ...(rule ? { failedRule: rule } : {}),
    },
  };
}
