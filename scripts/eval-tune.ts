// Weight tuning against the committed judgments: a grid over the directory weights, or a
// coordinate search over the match weights, scored by mean nDCG@10 on half of the cases (even
// positions) and reported on the other half too, so a gain that only fits the tuning half shows.
// It prints the best weights; copying them into market-policy.json is a deliberate, reviewed step.
// `npx tsx scripts/eval-tune.ts directory|match`

import { parseArgs } from "node:util";
import { evaluateDirectory, evaluateMatch, loadFeed, loadSets } from "../eval/evaluate.js";
import { EvalEngines, withWeights } from "../eval/systems.js";
import { defaultCatalog } from "../src/catalog/catalog.js";
import { SIGNALS, type Signal } from "../src/catalog/match-policy.js";
import { defaultPolicy, type MarketPolicy } from "../src/catalog/policy.js";

const {
  positionals: [surface = "directory"],
} = parseArgs({ allowPositionals: true });
if (surface !== "directory" && surface !== "match") {
  throw new Error(`usage: eval-tune.ts directory|match (got ${surface})`);
}
const catalog = defaultCatalog();
const base = defaultPolicy(catalog);
const sets = loadSets();
const entries = loadFeed(
  catalog,
  new URL(`../${sets.directory.feed.path}`, import.meta.url).pathname,
);

const half = <T>(xs: readonly T[], odd: boolean) => xs.filter((_, i) => i % 2 === (odd ? 1 : 0));

interface Scored {
  tune: number;
  holdout: number;
  all: number;
  judged: number;
}

async function scoreOf(policy: MarketPolicy, engines?: EvalEngines): Promise<Scored> {
  const e = engines ?? new EvalEngines(catalog, policy, entries);
  if (surface === "directory") {
    const cs = sets.directory.cases;
    const [t, h, a] = [half(cs, false), half(cs, true), cs].map((x) =>
      evaluateDirectory(e, "ours", x),
    );
    return { tune: t?.ndcg ?? 0, holdout: h?.ndcg ?? 0, all: a?.ndcg ?? 0, judged: a?.judged ?? 0 };
  }
  const cs = sets.match.cases;
  const t = await evaluateMatch(e, "ours", half(cs, false));
  const h = await evaluateMatch(e, "ours", half(cs, true));
  const a = await evaluateMatch(e, "ours", cs);
  return { tune: t.ndcg, holdout: h.ndcg, all: a.ndcg, judged: a.judged };
}

const fmt = (s: Scored) =>
  `tune ${s.tune.toFixed(4)}  holdout ${s.holdout.toFixed(4)}  all ${s.all.toFixed(4)}  judged@10 ${(s.judged * 100).toFixed(0)}%`;

if (surface === "directory") {
  const start = base.data.directory.weights;
  console.log(`shipped ${JSON.stringify(start)}: ${fmt(await scoreOf(base))}`);
  let best = { w: start, s: await scoreOf(base) };
  for (const text of [0.5, 1, 2, 3])
    for (const tier of [0.25, 0.5, 1, 1.5])
      for (const reviews of [0, 0.3, 0.6, 1])
        for (const certifications of [0, 0.1, 0.3]) {
          const w = { text, tier, reviews, certifications };
          const s = await scoreOf(withWeights(base, catalog, { directory: w }));
          if (s.tune > best.s.tune + 1e-9) {
            best = { w, s };
            console.log(`better ${JSON.stringify(w)}: ${fmt(s)}`);
          }
        }
  console.log(`\nbest ${JSON.stringify(best.w)}: ${fmt(best.s)}`);
} else {
  // The match matcher does not depend on the backend's static boost: one backend serves all.
  const shared = new EvalEngines(catalog, base, entries);
  const engineFor = (p: MarketPolicy) => new EvalEngines(catalog, p, entries, shared.backend);
  const w = { ...base.data.match.weights };
  let best = await scoreOf(base, engineFor(base));
  console.log(`shipped: ${fmt(best)}`);
  const tunable = SIGNALS.filter((s) => s !== "partner_of_record") as Signal[];
  for (let round = 0; round < 3; round++) {
    let improved = false;
    for (const s of tunable) {
      for (const f of [0, 0.5, 2]) {
        const trial = { ...w, [s]: Math.round(w[s] * f * 1000) / 1000 };
        const others = tunable.reduce((sum, k) => sum + trial[k], 0);
        // Keep the partner of record above everyone, as the policy schema demands.
        trial.partner_of_record = Math.max(w.partner_of_record, Math.ceil(others + 1));
        let p: MarketPolicy;
        try {
          p = withWeights(base, catalog, { match: trial });
        } catch {
          continue;
        }
        const sc = await scoreOf(p, engineFor(p));
        if (sc.tune > best.tune + 1e-4) {
          Object.assign(w, trial);
          best = sc;
          improved = true;
          console.log(`${s} x${f}: ${fmt(sc)}`);
        }
      }
    }
    if (!improved) break;
  }
  console.log(`\nbest ${JSON.stringify(w)}\n${fmt(best)}`);
}
