// `npm run eval`: ranking quality on the committed judgment sets (eval/*.json) for our ranking
// and two baselines per surface: nDCG@10, MRR and precision@5 (grade >= 2 counts as relevant),
// the share of top-10 results that carry a judgment, the gated-market check through the HTTP
// route, and the finder's exposure Gini. `--cases` also prints every case's nDCG.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  enginesFor,
  evaluateDirectory,
  evaluateMatch,
  exposureGini,
  loadFeed,
  loadSets,
  rotationGini,
  type SurfaceScore,
} from "../eval/evaluate.js";
import { readJudgments } from "../eval/judgments.js";
import { SYSTEM_LABELS, SYSTEMS, type SystemName } from "../eval/systems.js";
import { defaultCatalog } from "../src/catalog/catalog.js";
import { buildPolicy, defaultPolicy } from "../src/catalog/policy.js";
import { createApp } from "../src/http/app.js";
import { mean } from "../src/ranking/metrics.js";
import { table } from "./bench/_stats.js";

// `--policy FILE` evaluates another market policy against the same judgments (e.g. the policy
// before a change, for a before/after table); the shipped one by default.
const { cases: showCases, policy: policyFile } = parseArgs({
  options: { cases: { type: "boolean", default: false }, policy: { type: "string" } },
}).values;

/** Groups the hand-written case notes into the hard-case kinds the issue names. */
function hardCaseTag(note: string | undefined): string | undefined {
  if (!note) return undefined;
  if (/gated/.test(note)) return undefined;
  if (/^team/.test(note)) return "needs a team";
  if (/no single partner/.test(note)) return "need no single partner covers";
  if (/at capacity/.test(note)) return "partner of record at capacity";
  if (/partner of record/.test(note)) return "partner of record";
  if (/German|Japanese/.test(note)) return "German or Japanese free text";
  if (/text/.test(note)) return "other non-English free text";
  if (/accreditation not offered|LATAM|FR|ES|JP|waived/.test(note))
    return "market without accreditation";
  return undefined;
}
const catalog = defaultCatalog();

/**
 * A match request's market group: where the program offers no accreditation the finder's
 * conditions stand in for it, so those markets are reported apart (LATAM as one region).
 */
function marketGroup(country: string): string {
  const offered = catalog.lists.accreditation.some((a) => policy.accreditationOffered(a, country));
  if (offered) return "accreditation offered";
  return catalog.inAnyArea(country, ["LATAM"])
    ? "LATAM, no accreditation"
    : `${country}, no accreditation`;
}
const policy = policyFile
  ? buildPolicy(JSON.parse(readFileSync(policyFile, "utf8")), catalog)
  : defaultPolicy(catalog);
const sets = loadSets();
const entries = loadFeed(
  catalog,
  new URL(`../${sets.directory.feed.path}`, import.meta.url).pathname,
);
const engines = enginesFor(catalog, policy, entries);

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "n/a");
const row = (label: string, s: SurfaceScore) => [
  label,
  f3(s.ndcg),
  f3(s.mrr),
  f3(s.p5),
  `${Math.round(s.judged * 100)}%`,
];

const results: Record<"directory" | "match", Record<SystemName, SurfaceScore>> = {
  directory: {} as Record<SystemName, SurfaceScore>,
  match: {} as Record<SystemName, SurfaceScore>,
};
for (const s of SYSTEMS) {
  results.directory[s] = evaluateDirectory(engines, s, sets.directory.cases);
  results.match[s] = await evaluateMatch(engines, s, sets.match.cases);
}

console.log(
  `# ranking quality (${sets.directory.cases.length} directory searches, ${sets.match.cases.length} staff match requests; feed ${sets.directory.feed.path}; match rankingVersion ${engines.matcher.rankingVersion})\n`,
);
for (const surface of ["directory", "match"] as const) {
  const r = results[surface];
  console.log(`## ${surface} (${r.ours.cases} cases with an ideal ranking)`);
  table(
    ["system", "nDCG@10", "MRR", "P@5", "judged@10"],
    SYSTEMS.map((s) => row(SYSTEM_LABELS[s][surface], r[s])),
  );
  const lift = r.ours.ndcg - r.tier_reviews.ndcg;
  console.log(`\nours - tier baseline: ${lift >= 0 ? "+" : ""}${lift.toFixed(3)} nDCG@10\n`);
  const cases = sets[surface].cases as { id: string; note?: string }[];
  const groups = new Map<string, number[]>();
  cases.forEach((c, i) => {
    const tag = hardCaseTag(c.note);
    if (tag) groups.set(tag, [...(groups.get(tag) ?? []), i]);
  });
  if (groups.size > 0) {
    table(
      ["hard cases", "n", ...SYSTEMS.map((s) => `${SYSTEM_LABELS[s][surface]} nDCG@10`)],
      [...groups].map(([tag, idx]) => [
        tag,
        idx.length,
        ...SYSTEMS.map((s) => f3(mean(idx.map((i) => r[s].perCase[i]?.ndcg ?? Number.NaN)))),
      ]),
    );
    console.log();
  }
  if (surface === "match") {
    const markets = new Map<string, number[]>();
    sets.match.cases.forEach((c, i) => {
      if (c.expectRefusal) return;
      const g = marketGroup(c.request.customer.country);
      markets.set(g, [...(markets.get(g) ?? []), i]);
    });
    table(
      ["market group", "n", ...SYSTEMS.map((s) => `${SYSTEM_LABELS[s][surface]} nDCG@10`)],
      [...markets]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([g, idx]) => [
          g,
          idx.length,
          ...SYSTEMS.map((s) => f3(mean(idx.map((i) => r[s].perCase[i]?.ndcg ?? Number.NaN)))),
        ]),
    );
    console.log();
  }
  if (showCases) {
    table(
      ["case", ...SYSTEMS],
      r.ours.perCase.map((c, i) => [c.id, ...SYSTEMS.map((s) => f3(r[s].perCase[i]?.ndcg ?? NaN))]),
    );
    console.log();
  }
}

// Gated markets: the real route must refuse with 422 market_not_offered.
const token = "eval-token-0123456789abcdef";
const app = createApp({ backend: engines.backend, catalog, policy, matchTokens: [token] });
const gated = sets.match.cases.filter((c) => c.expectRefusal);
let refused = 0;
for (const c of gated) {
  const res = await app.request("/v1/match", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(c.request),
  });
  const body = (await res.json()) as { code?: string };
  if (res.status === 422 && body.code === "market_not_offered") refused++;
}
console.log(
  `## gated markets\n${refused}/${gated.length} requests answered 422 market_not_offered\n`,
);

console.log("## exposure Gini of the finder's top 10");
const rotationCase = readJudgments<{ id: string }>(
  new URL("../eval/match.json", import.meta.url).pathname,
).cases.find((c) => c.id === "us-country-only");
const rows: string[][] = [];
for (const s of SYSTEMS) {
  rows.push([
    SYSTEM_LABELS[s].match,
    (await exposureGini(engines, s, sets.match.cases)).toFixed(3),
  ]);
}
table(["system", "Gini over partners eligible for any judged request"], rows);
if (rotationCase) {
  const c = sets.match.cases.find((x) => x.id === rotationCase.id);
  if (c) {
    console.log(
      `\nsame need (${c.id}) from 100 customers: Gini of top-10 appearances ${(await rotationGini(engines, c)).toFixed(3)}`,
    );
  }
}
