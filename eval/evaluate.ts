// Runs every system over the committed judgment sets and computes the metrics per surface:
// shared by `npm run eval` (scripts/eval.ts), the tuner and the quality gate test.
import { readFileSync } from "node:fs";
import type { Catalog } from "../src/catalog/catalog.js";
import type { MarketPolicy } from "../src/catalog/policy.js";
import { parseFeed } from "../src/partner/feed.js";
import type { FeedEntry } from "../src/partner/schema.js";
import { gini } from "../src/ranking/gini.js";
import { judgedAt, mean, ndcgAt, precisionAt, reciprocalRank } from "../src/ranking/metrics.js";
import {
  DIRECTORY_FILE,
  gradeMap,
  type JudgedDirectoryCase,
  type JudgedMatchCase,
  MATCH_FILE,
  readJudgments,
} from "./judgments.js";
import { EvalEngines, type SystemName } from "./systems.js";

export const K = 10;
export type Surface = "directory" | "match";

export interface CaseScore {
  id: string;
  ndcg: number;
  rr: number;
  p5: number;
  judged: number;
  top: string[];
}

export interface SurfaceScore {
  ndcg: number;
  mrr: number;
  p5: number;
  /** Share of the top-10 results that carry a judgment. */
  judged: number;
  /** Cases with an ideal ranking (at least one positive grade). */
  cases: number;
  perCase: CaseScore[];
}

export function loadFeed(catalog: Catalog, path: string): FeedEntry[] {
  return parseFeed(readFileSync(path, "utf8"), catalog).entries;
}

export function loadSets() {
  return {
    directory: readJudgments<JudgedDirectoryCase>(DIRECTORY_FILE),
    match: readJudgments<JudgedMatchCase>(MATCH_FILE),
  };
}

function score(id: string, top: string[], judgments: JudgedDirectoryCase["judgments"]): CaseScore {
  const g = gradeMap(judgments);
  return {
    id,
    ndcg: ndcgAt(top, g, K),
    rr: reciprocalRank(top, g),
    p5: precisionAt(top, g, 5),
    judged: judgedAt(top, g, K),
    top,
  };
}

function summarise(perCase: CaseScore[]): SurfaceScore {
  const scored = perCase.filter((c) => Number.isFinite(c.ndcg));
  return {
    ndcg: mean(scored.map((c) => c.ndcg)),
    mrr: mean(scored.map((c) => c.rr)),
    p5: mean(scored.map((c) => c.p5)),
    judged: mean(scored.map((c) => c.judged)),
    cases: scored.length,
    perCase,
  };
}

export function evaluateDirectory(
  engines: EvalEngines,
  system: SystemName,
  cases: readonly JudgedDirectoryCase[],
): SurfaceScore {
  return summarise(cases.map((c) => score(c.id, engines.directory(system, c, K), c.judgments)));
}

export async function evaluateMatch(
  engines: EvalEngines,
  system: SystemName,
  cases: readonly JudgedMatchCase[],
): Promise<SurfaceScore> {
  const out: CaseScore[] = [];
  for (const c of cases)
    out.push(score(c.id, await engines.match(system, c.request, K), c.judgments));
  return summarise(out);
}

/**
 * Exposure Gini of the finder's top-10 over the judged requests: how unevenly the slots are
 * spread over the partners that were eligible for at least one request (0 = evenly).
 */
export async function exposureGini(
  engines: EvalEngines,
  system: SystemName,
  cases: readonly JudgedMatchCase[],
): Promise<number> {
  const seen = new Map<string, number>();
  for (const c of cases) {
    for (const p of engines.eligible(c.request)) if (!seen.has(p.id)) seen.set(p.id, 0);
    for (const id of await engines.match(system, c.request, K))
      seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  return gini([...seen.values()]);
}

/**
 * The match issue's rotation measure on the real feed: one need asked for by 100 customers
 * (different customer ids), Gini of top-10 appearances over the partners that appear.
 */
export async function rotationGini(engines: EvalEngines, base: JudgedMatchCase): Promise<number> {
  const seen = new Map<string, number>();
  for (let i = 0; i < 100; i++) {
    const req = { ...base.request, customer: { ...base.request.customer, id: `customer-${i}` } };
    for (const id of await engines.match("ours", req, K)) seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  return gini([...seen.values()]);
}

export function enginesFor(
  catalog: Catalog,
  policy: MarketPolicy,
  entries: readonly FeedEntry[],
): EvalEngines {
  return new EvalEngines(catalog, policy, entries);
}
