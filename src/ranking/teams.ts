// Teams for a customer with several needs that no single eligible partner covers: the best
// small groups of eligible partners that together cover every need. Pure: it sees the ranked
// candidates (best first) and the team policy (catalog/schema.ts `finder.teams`), nothing else.
//
// Exact enumeration, not greedy set cover: the pool is the best `poolSize` candidates that
// cover at least one need (50 at most, 20 by default) and a team has at most 3 members, so
// every pair and triple is C(50,2) + C(50,3) = 20,825 checks at worst (1,330 by default), each
// a few word operations. Greedy would build one cover at a time and miss the second and third
// best; enumeration finds the best teams outright, and their order is exactly the score's.

export interface TeamCandidate {
  id: string;
  /** The candidate's fit score (the ranking's). */
  score: number;
  /** Service codes the partner offers: a need is covered when it is among them. */
  services: readonly string[];
}

export interface Team {
  /** Members, best score first. */
  partners: string[];
  /** Each need and the member covering it (the best-scored member offering it). */
  covers: Record<string, string>;
  score: number;
}

export interface TeamPolicy {
  /** How many of the best need-covering candidates teams are drawn from. */
  poolSize: number;
  /** Most teams returned (3 at most). */
  maxTeams: number;
  /** Most members of a team (at least 2). */
  maxMembers: number;
  /** Subtracted from a team's mean member score for each member beyond two. */
  extraMemberPenalty: number;
}

/** Covered needs as bits; needs beyond 31 spill into further words. */
type Mask = number[];

function maskOf(needs: readonly string[], services: readonly string[]): Mask {
  const words: Mask = new Array(Math.ceil(needs.length / 31)).fill(0);
  for (let i = 0; i < needs.length; i++) {
    if (services.includes(needs[i] as string)) {
      words[Math.floor(i / 31)] = (words[Math.floor(i / 31)] as number) | (1 << (i % 31));
    }
  }
  return words;
}

function union(masks: readonly Mask[]): Mask {
  const out = (masks[0] as Mask).slice();
  for (let m = 1; m < masks.length; m++) {
    const mask = masks[m] as Mask;
    for (let w = 0; w < out.length; w++) out[w] = (out[w] as number) | (mask[w] as number);
  }
  return out;
}

function isFull(mask: Mask, needs: number): boolean {
  for (let w = 0; w < mask.length; w++) {
    const bits = Math.min(31, needs - w * 31);
    const all = bits === 31 ? 0x7fffffff : (1 << bits) - 1;
    if ((mask[w] as number) !== all) return false;
  }
  return true;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Up to `maxTeams` teams of 2..`maxMembers` of the given candidates that together cover every
 * need, best score first; none when fewer than two needs are given or when one candidate
 * covers them all. Every team is minimal (no member could leave with every need still
 * covered), so no team pads a cover with a weak partner and none contains another.
 * `candidates` are the eligible ones, best first; ties keep their order.
 */
export function formTeams(
  needsIn: readonly string[],
  candidates: readonly TeamCandidate[],
  policy: TeamPolicy,
): Team[] {
  const needs = [...new Set(needsIn)];
  if (needs.length < 2) return [];
  const all = candidates.map((c) => ({ c, mask: maskOf(needs, c.services) }));
  if (all.some((x) => isFull(x.mask, needs.length))) return [];
  const pool = all
    .filter((x) => x.mask.some((w) => w !== 0))
    .slice(0, Math.max(0, policy.poolSize));
  const maxMembers = Math.min(3, Math.max(2, policy.maxMembers));
  const maxTeams = Math.min(3, Math.max(0, policy.maxTeams));
  const found: { members: number[]; score: number }[] = [];
  const consider = (members: number[]) => {
    const masks = members.map((i) => (pool[i] as (typeof pool)[number]).mask);
    if (!isFull(union(masks), needs.length)) return;
    // Minimal: without any one member some need is uncovered.
    for (let leave = 0; leave < members.length; leave++) {
      if (isFull(union(masks.filter((_, j) => j !== leave)), needs.length)) return;
    }
    const mean =
      members.reduce((s, i) => s + (pool[i] as (typeof pool)[number]).c.score, 0) / members.length;
    found.push({ members, score: mean - policy.extraMemberPenalty * (members.length - 2) });
  };
  const n = pool.length;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      consider([a, b]);
      if (maxMembers < 3) continue;
      for (let c = b + 1; c < n; c++) consider([a, b, c]);
    }
  }
  // Best score first; then the team whose members rank higher (pool order), so ties are stable.
  found.sort((x, y) => y.score - x.score || compareLex(x.members, y.members));
  return found.slice(0, maxTeams).map(({ members, score }) => {
    const covers: Record<string, string> = {};
    for (const need of needs) {
      // Members are in pool order (best first): the first offering the need covers it.
      const by = members.find((i) => (pool[i] as (typeof pool)[number]).c.services.includes(need));
      covers[need] = (pool[by as number] as (typeof pool)[number]).c.id;
    }
    return {
      partners: members.map((i) => (pool[i] as (typeof pool)[number]).c.id),
      covers,
      score: round6(score),
    };
  });
}

function compareLex(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  }
  return a.length - b.length;
}
