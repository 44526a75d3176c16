// The partner finder end to end, shared by the HTTP handler and the benchmark so both measure
// and serve the same path: the backend's coarse market pre-filter, then the pure ranking.
// The only module under ranking/ that touches a backend, and only through its interface.
import type { SearchBackend } from "../search/backend.js";
import type { HardRule, Matcher, MatchOutcome, MatchRequest } from "./match.js";

export interface PartnerOfRecordStatus {
  id: string;
  eligible: boolean;
  /** The first hard rule it fails; absent when eligible or unknown. */
  failedRule?: HardRule;
  found: boolean;
}

export interface FindResult extends MatchOutcome {
  /** Why the named partner of record is (not) first, so staff are not left guessing. */
  partnerOfRecord?: PartnerOfRecordStatus;
}

export async function findMatches(
  backend: SearchBackend,
  matcher: Matcher,
  request: MatchRequest,
  now: Date,
): Promise<FindResult> {
  const c = request.customer;
  // Country only: the ranking applies the language rule itself, and one candidate list per
  // market lets every language variant of a request share the market's feature block.
  const profiles = await backend.candidates({ country: c.country });
  const outcome = matcher.rank(profiles, request, now);
  if (!c.partnerOfRecord) return outcome;
  const id = c.partnerOfRecord;
  if (outcome.candidates.some((k) => k.profile.id === id)) {
    return { ...outcome, partnerOfRecord: { id, eligible: true, found: true } };
  }
  // Not on the page: it is missing, fails a rule, or scored too low (impossible when eligible,
  // the partner-of-record weight outranks everything). Ask the backend by id (scanning the
  // market's profiles would touch every one of them) so the answer names the rule.
  const p = await backend.get(id);
  if (!p) return { ...outcome, partnerOfRecord: { id, eligible: false, found: false } };
  const rule = matcher.check(p, matcher.plan(request, now));
  return {
    ...outcome,
    partnerOfRecord: {
      id,
      eligible: rule === undefined,
      found: true,
      ...(rule ? { failedRule: rule } : {}),
    },
  };
}
