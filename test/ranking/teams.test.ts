// Teams for several needs (src/ranking/teams.ts), as properties over random ranked candidates:
// what every answer must satisfy whatever the scores and services, plus a few worked examples.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formTeams, type TeamCandidate, type TeamPolicy } from "../../src/ranking/teams.js";

const SERVICES = ["a", "b", "c", "d", "e", "f"] as const;
const POLICY: TeamPolicy = { poolSize: 20, maxTeams: 3, maxMembers: 3, extraMemberPenalty: 0.05 };

const needsArb = fc.uniqueArray(fc.constantFrom(...SERVICES), { minLength: 2, maxLength: 5 });
/** Ranked candidates: distinct ids, scores best first, random service subsets. */
const candidatesArb = fc
  .array(
    fc.record({
      score: fc.double({ min: 0, max: 2, noNaN: true }),
      services: fc.uniqueArray(fc.constantFrom(...SERVICES), { maxLength: 4 }),
    }),
    { maxLength: 30 },
  )
  .map((cs) =>
    cs
      .sort((x, y) => y.score - x.score)
      .map((c, i): TeamCandidate => ({ id: `p-${String(i).padStart(3, "0")}`, ...c })),
  );
const policyArb = fc.record({
  poolSize: fc.integer({ min: 2, max: 50 }),
  maxTeams: fc.integer({ min: 0, max: 5 }),
  maxMembers: fc.integer({ min: 2, max: 3 }),
  extraMemberPenalty: fc.double({ min: 0, max: 0.5, noNaN: true }),
});

const covers = (c: TeamCandidate, need: string) => c.services.includes(need);

describe("formTeams", () => {
  it("for random candidates and needs, every team is 2-3 eligible partners covering every need, minimal, best first, at most maxTeams", () => {
    fc.assert(
      fc.property(needsArb, candidatesArb, policyArb, (needs, candidates, policy) => {
        const teams = formTeams(needs, candidates, policy);
        const byId = new Map(candidates.map((c) => [c.id, c]));
        expect(teams.length).toBeLessThanOrEqual(Math.min(3, policy.maxTeams));
        for (const t of teams) {
          expect(t.partners.length).toBeGreaterThanOrEqual(2);
          expect(t.partners.length).toBeLessThanOrEqual(policy.maxMembers);
          expect(new Set(t.partners).size).toBe(t.partners.length);
          // Every member is one of the (eligible) candidates given.
          for (const id of t.partners) expect(byId.has(id)).toBe(true);
          // Every need is covered, by a member that offers it.
          expect(Object.keys(t.covers).sort()).toEqual([...needs].sort());
          for (const need of needs) {
            const by = t.covers[need] as string;
            expect(t.partners).toContain(by);
            expect(covers(byId.get(by) as TeamCandidate, need)).toBe(true);
          }
          // Minimal: no member can leave with every need still covered.
          for (const leaving of t.partners) {
            const rest = t.partners.filter((id) => id !== leaving);
            const all = needs.every((n) =>
              rest.some((id) => covers(byId.get(id) as TeamCandidate, n)),
            );
            expect(all).toBe(false);
          }
        }
        // No team is a strict superset of another returned team.
        for (const x of teams) {
          for (const y of teams) {
            if (x === y) continue;
            const strictSuperset =
              x.partners.length > y.partners.length &&
              y.partners.every((id) => x.partners.includes(id));
            expect(strictSuperset).toBe(false);
          }
        }
        // Ordered by score, best first.
        for (let i = 1; i < teams.length; i++) {
          expect(teams[i]?.score as number).toBeLessThanOrEqual(teams[i - 1]?.score as number);
        }
        // None when a single candidate covers every need.
        if (candidates.some((c) => needs.every((n) => covers(c, n)))) expect(teams).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it("for random candidates, finds a team whenever two or three of the pool cover the needs (exact, not greedy)", () => {
    fc.assert(
      fc.property(needsArb, candidatesArb, (needs, candidates) => {
        const teams = formTeams(needs, candidates, POLICY);
        if (candidates.some((c) => needs.every((n) => covers(c, n)))) return;
        const pool = candidates.filter((c) => needs.some((n) => covers(c, n))).slice(0, 20);
        let exists = false;
        for (let a = 0; a < pool.length && !exists; a++) {
          for (let b = a + 1; b < pool.length && !exists; b++) {
            const pair = [pool[a] as TeamCandidate, pool[b] as TeamCandidate];
            if (needs.every((n) => pair.some((c) => covers(c, n)))) exists = true;
            for (let c = b + 1; c < pool.length && !exists; c++) {
              const trio = [...pair, pool[c] as TeamCandidate];
              if (needs.every((n) => trio.some((m) => covers(m, n)))) exists = true;
            }
          }
        }
        expect(teams.length > 0).toBe(exists);
      }),
      { numRuns: 300 },
    );
  });

  it("gives no teams for fewer than two needs", () => {
    const cs: TeamCandidate[] = [
      { id: "p-1", score: 1, services: ["a"] },
      { id: "p-2", score: 1, services: ["b"] },
    ];
    expect(formTeams(["a"], cs, POLICY)).toEqual([]);
    expect(formTeams(["a", "a"], cs, POLICY)).toEqual([]);
    expect(formTeams(["a", "b"], cs, POLICY)).toHaveLength(1);
  });

  it("scores a team as its mean member score less a penalty per member beyond two: strong pairs first", () => {
    const cs: TeamCandidate[] = [
      { id: "strong-ab", score: 1.0, services: ["a", "b"] },
      { id: "strong-c", score: 0.9, services: ["c"] },
      { id: "a-only", score: 0.95, services: ["a"] },
      { id: "b-only", score: 0.95, services: ["b"] },
      { id: "weak-c", score: 0.1, services: ["c"] },
    ];
    const teams = formTeams(["a", "b", "c"], cs, POLICY);
    expect(teams.map((t) => t.partners)).toEqual([
      ["strong-ab", "strong-c"],
      ["strong-c", "a-only", "b-only"],
      // 0.667 - 0.05 beats the pair with the weak member (0.55): padding costs, weakness more.
      ["a-only", "b-only", "weak-c"],
    ]);
    expect(teams[0]).toEqual({
      partners: ["strong-ab", "strong-c"],
      covers: { a: "strong-ab", b: "strong-ab", c: "strong-c" },
      score: 0.95,
    });
    // The trio: mean 0.933333 minus one extra member's penalty.
    expect(teams[1]?.score).toBe(0.883333);
  });
});
