// Fair rotation among equals: candidates whose scores tie within epsilon are ordered by a hash
// seeded with the request and the UTC day, so the same request on the same day gives the same
// order while different customers (and different days) see the tied partners in turn.
import { canonicalJson, hash53, mix32 } from "../lib/hash.js";

export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** 32-bit seed of a request (in canonical form) and a day. */
export function rotationSeed(request: unknown, now: Date): number {
  return hash53(`${canonicalJson(request)}|${utcDay(now)}`) >>> 0;
}

export function idHash(id: string): number {
  return hash53(id) >>> 0;
}

/** Position key of a partner inside a tie group for this seed; lower comes first. */
export function tieKey(partnerHash: number, seed: number): number {
  return mix32(partnerHash ^ mix32(seed));
}

export interface Scored {
  score: number;
  id: string;
  tie: number;
}

/**
 * Orders candidates by score, then rotates each tie group: a group starts at the best score not
 * yet placed and holds every candidate within `epsilon` of it. Greedy from the top so the groups
 * are well defined even when scores form a chain of small gaps.
 */
export function orderWithRotation<T extends Scored>(items: T[], epsilon: number): T[] {
  const byScore = [...items].sort((a, b) => b.score - a.score || cmpId(a.id, b.id));
  const out: T[] = [];
  let i = 0;
  while (i < byScore.length) {
    const head = (byScore[i] as T).score;
    let j = i + 1;
    while (j < byScore.length && (byScore[j] as T).score >= head - epsilon) j++;
    const group = byScore.slice(i, j).sort((a, b) => a.tie - b.tie || cmpId(a.id, b.id));
    for (const g of group) out.push(g);
    i = j;
  }
  return out;
}

function cmpId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
