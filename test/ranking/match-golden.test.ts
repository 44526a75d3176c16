// Golden test of the partner finder: the eval's 66 staff match requests (eval/match.json) sent
// through POST /v1/match over the 10k sample with a fixed clock, compared with the answers the
// code gave when the fixture was written. It exists so a refactor of the ranking (splitting
// ranking/match.ts) can prove it changed nothing: every count, score, eligibility, rank and
// every reason's signal, detail text and contribution must come out the same, byte for byte.
// Only the profile projection is reduced to the partner's id, to keep the fixture small. The
// first failed hard rule (Matcher.check) of every tenth feed profile per request is kept too:
// the answers only show it for a partner of record, and naming the rule is part of the split.
//
// The fixture is never rewritten by a normal run. After an intended ranking change, regenerate
// it with `GOLDEN_UPDATE=1 npx vitest run --project unit test/ranking/match-golden` and review
// the diff.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { readJudgments } from "../../eval/judgments.js";
import { createApp } from "../../src/http/app.js";
import type { Profile } from "../../src/partner/schema.js";
import { HARD_RULES, Matcher, type MatchRequest } from "../../src/ranking/match.js";
import { catalog, policy, profiles, sampleBackend, TOKEN } from "../helpers.js";

const FIXTURE = new URL("../fixtures/match-golden.json", import.meta.url);
const FEED = new URL("../../data/sample-partners.ndjson", import.meta.url);
const CASES = new URL("../../eval/match.json", import.meta.url);
/** Fixed, so the daily tie rotation picks the same order on every run. */
const NOW = new Date("2026-10-15T12:00:00Z");
const UPDATE = process.env.GOLDEN_UPDATE === "1";

interface Case {
  id: string;
  request: MatchRequest;
  expectRefusal?: boolean;
}

interface Golden {
  /** What the answers were computed from, so a changed feed or case set reads as such. */
  feedSha256: string;
  now: string;
  answers: Record<string, unknown>;
  /** Per request: how many of every tenth feed profile fail each hard rule first. */
  failedRules: Record<string, Record<string, number>>;
}

const cases = readJudgments<Case>(CASES.pathname).cases;
const feedSha256 = createHash("sha256").update(readFileSync(FEED)).digest("hex");

/** The route's answer with each candidate's profile reduced to its id; refusals as problems. */
async function answer(app: ReturnType<typeof createApp>, c: Case): Promise<unknown> {
  const res = await app.request("/v1/match", {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(c.request),
  });
  const body = JSON.parse(await res.text()) as Record<string, unknown>;
  if (res.status !== 200) return { status: res.status, ...body };
  const { candidates, ...rest } = body as { candidates: { partner: { id: string } }[] };
  return {
    status: res.status,
    ...rest,
    candidates: candidates.map(({ partner, ...k }) => ({ partner: partner.id, ...k })),
  };
}

/** Counts per first failed rule (in HARD_RULES order, then eligible) over `sample`. */
function failedRules(matcher: Matcher, c: Case, sample: readonly Profile[]) {
  const plan = matcher.plan(c.request, NOW);
  const counts: Record<string, number> = Object.fromEntries(
    [...HARD_RULES, "eligible"].map((k) => [k, 0]),
  );
  for (const p of sample) {
    const rule = matcher.check(p, plan) ?? "eligible";
    counts[rule] = (counts[rule] as number) + 1;
  }
  return counts;
}

/**
 * One candidate (or one request's rule counts) a line, so that a ranking change reads as a
 * diff of the candidates it moved. Biome leaves the file alone (biome.json) for that reason.
 */
function fixtureText(g: Golden): string {
  const answers = Object.entries(g.answers).map(([id, a]) => {
    const { candidates, ...head } = a as { candidates?: unknown[] };
    if (!candidates) return `  ${JSON.stringify(id)}: ${JSON.stringify(head)}`;
    const lines = candidates.map((k) => `    ${JSON.stringify(k)}`).join(",\n");
    const headText = JSON.stringify(head).slice(0, -1);
    return `  ${JSON.stringify(id)}: ${headText},"candidates":[\n${lines}\n  ]}`;
  });
  const rules = Object.entries(g.failedRules).map(
    ([id, r]) => `  ${JSON.stringify(id)}: ${JSON.stringify(r)}`,
  );
  return [
    "{",
    `"feedSha256": ${JSON.stringify(g.feedSha256)},`,
    `"now": ${JSON.stringify(g.now)},`,
    `"answers": {\n${answers.join(",\n")}\n},`,
    `"failedRules": {\n${rules.join(",\n")}\n}`,
    "}\n",
  ].join("\n");
}

/**
 * JSON.parse and JSON.stringify round-trip every double and string exactly and keep key order,
 * so comparing this text compares the answers byte for byte, whatever whitespace the fixture
 * file was formatted with. One value a line gives readable diffs.
 */
const text = (v: unknown) => JSON.stringify(v, null, 1);

describe("partner finder golden answers (eval/match.json over the 10k sample)", () => {
  const actual: Record<string, unknown> = {};
  const actualRules: Record<string, Record<string, number>> = {};
  let golden: Golden;

  beforeAll(async () => {
    const app = createApp({
      backend: sampleBackend(),
      catalog,
      policy,
      matchTokens: [TOKEN],
      clock: () => NOW,
    });
    for (const c of cases) actual[c.id] = await answer(app, c);
    const feed = profiles(
      readFileSync(FEED, "utf8")
        .split("\n")
        .filter((line, i) => line.trim() !== "" && i % 10 === 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    );
    const matcher = new Matcher(catalog, policy);
    for (const c of cases) actualRules[c.id] = failedRules(matcher, c, feed);
    if (UPDATE) {
      const fresh: Golden = {
        feedSha256,
        now: NOW.toISOString(),
        answers: actual,
        failedRules: actualRules,
      };
      writeFileSync(FIXTURE, fixtureText(fresh));
      console.warn(`GOLDEN_UPDATE=1: rewrote ${FIXTURE.pathname}`);
    }
    if (!existsSync(FIXTURE)) {
      throw new Error(`no ${FIXTURE.pathname}: generate it once with GOLDEN_UPDATE=1`);
    }
    golden = JSON.parse(readFileSync(FIXTURE, "utf8")) as Golden;
  }, 120_000);

  it("was written from the same feed, clock and case set", () => {
    expect(golden.feedSha256).toBe(feedSha256);
    expect(golden.now).toBe(NOW.toISOString());
    expect(Object.keys(golden.answers)).toEqual(cases.map((c) => c.id));
    expect(Object.keys(golden.failedRules)).toEqual(cases.map((c) => c.id));
    expect(cases).toHaveLength(96);
  });

  it("covers refusals, partners of record and full pages", () => {
    const all = Object.values(golden.answers) as { status: number; candidates?: unknown[] }[];
    expect(all.filter((a) => a.status === 422).length).toBe(
      cases.filter((c) => c.expectRefusal).length,
    );
    expect(all.filter((a) => "partnerOfRecord" in a).length).toBeGreaterThan(0);
    expect(all.filter((a) => a.candidates?.length === 10).length).toBeGreaterThan(40);
  });

  it.each(cases.map((c) => [c.id]))("%s answers as before", (id) => {
    expect(text(actual[id])).toBe(text(golden.answers[id]));
  });

  it("names the same first failed hard rule for every tenth feed profile", () => {
    expect(text(actualRules)).toBe(text(golden.failedRules));
    // Every rule is exercised somewhere, so a reordered or renamed rule shows up here.
    for (const rule of HARD_RULES) {
      const n = Object.values(golden.failedRules).reduce((s, r) => s + (r[rule] ?? 0), 0);
      expect(n, rule).toBeGreaterThan(0);
    }
  });
});
