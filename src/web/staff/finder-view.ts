// What the staff finder page is given to show, and the small pure computations it needs (a
// signal's share of a score, which neighbours fall within the rotation epsilon). Shared by the
// page and the CSV export so both say the same thing.
import type { Signal } from "../../catalog/match-policy.js";
import type { StaffProfile } from "../../partner/staff-profile.js";
import type { Coverage } from "../../ranking/coverage.js";
import type { PartnerOfRecordStatus } from "../../ranking/find-matches.js";
import type { Eligibility } from "../../ranking/match.js";
import type { Team } from "../../ranking/teams.js";

/** One candidate as the finder API answers it (the staff projection, never more). */
export interface CandidateView {
  rank: number;
  score: number;
  eligibility: Eligibility;
  partner: StaffProfile;
  reasons: { signal: Signal; detail: string; contribution: number }[];
}

export interface FinderAnswerView {
  market: string;
  rankingVersion: string;
  /** When the answer was made (ISO 8601), by the app's clock. */
  answeredAt: string;
  /** The customer's needs: teams are only asked for with two or more. */
  needs: readonly string[];
  considered: number;
  coverage: Coverage;
  teams?: Team[];
  partnerOfRecord?: PartnerOfRecordStatus;
  /** When some data came from a last-good copy. */
  staleAsOf?: string;
  candidates: CandidateView[];
}

/** A form field the request was refused for, by its form name. */
export interface FieldErrorView {
  field: string;
  reason: string;
}

/** A signal's share of the candidate's score, 0..1 (0 for a zero score). */
export function shareOf(contribution: number, score: number): number {
  if (!(score > 0) || !(contribution > 0)) return 0;
  return Math.min(1, contribution / score);
}

/**
 * For each candidate in the order shown, whether it shares a rotation group with a neighbour:
 * scores within `epsilon` of each other are ordered by the daily rotation, not by merit.
 * Returns a group number per candidate (undefined when it stands alone).
 */
export function rotationGroups(scores: readonly number[], epsilon: number): (number | undefined)[] {
  const out: (number | undefined)[] = scores.map(() => undefined);
  let group = 0;
  for (let i = 1; i < scores.length; i++) {
    if (Math.abs((scores[i] as number) - (scores[i - 1] as number)) <= epsilon) {
      if (out[i - 1] === undefined) out[i - 1] = ++group;
      out[i] = out[i - 1];
    }
  }
  return out;
}
