// The ranking-quality regression gate: our nDCG@10 on the committed judgment sets must not drop
// below the floors stored in eval/floors.json, so a weight or code change that ranks worse than
// before against the fixed grades fails here instead of landing silently. The floors are numbers
// this code produced, over grades from a rubric that shares DOMAIN.md with the ranking: they
// detect regressions, not absolute quality (eval/README.md). Raise a floor when the score
// improves; lowering one needs a reason in the commit message.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateDirectory, evaluateMatch, loadFeed, loadSets } from "../../eval/evaluate.js";
import { FLOORS_FILE } from "../../eval/judgments.js";
import { EvalEngines } from "../../eval/systems.js";
import { catalog, policy } from "../helpers.js";

const floors = JSON.parse(readFileSync(FLOORS_FILE, "utf8")) as Record<
  "directory" | "directoryEveryWord" | "match",
  { ndcg10: number }
>;

/**
 * The directory cases written with the every-word text rule (ids "r-"): typos, unfinished and
 * place words, mostly without filters, so a harder set than the older ones. It has a floor of its
 * own, so adding it does not hide a drop in the older cases behind a lower mean.
 */
const everyWord = (id: string) => id.startsWith("r-");
const sets = loadSets();
const feedPath = new URL(`../../${sets.directory.feed.path}`, import.meta.url).pathname;
let engines: EvalEngines;

beforeAll(() => {
  engines = new EvalEngines(catalog, policy, loadFeed(catalog, feedPath));
});

describe("judgment sets", () => {
  it("cover at least 60 cases per surface, graded 0..3 with a reason, on the bundled feed", () => {
    const sha = createHash("sha256").update(readFileSync(feedPath)).digest("hex");
    for (const set of [sets.directory, sets.match]) {
      expect(set.feed.sha256).toBe(sha);
      expect(set.cases.length).toBeGreaterThanOrEqual(60);
      for (const c of set.cases) {
        for (const j of c.judgments) {
          expect([0, 1, 2, 3]).toContain(j.grade);
          expect(j.why.length).toBeGreaterThan(0);
        }
      }
    }
  });
});

describe("quality gate", () => {
  it("directory nDCG@10 stays at or above its floor, on the older cases and on the every-word ones", () => {
    const [older, newer] = [false, true].map((group) =>
      sets.directory.cases.filter((c) => everyWord(c.id) === group),
    );
    expect(newer?.length).toBeGreaterThanOrEqual(30);
    const s = evaluateDirectory(engines, "ours", older ?? []);
    expect(s.ndcg).toBeGreaterThanOrEqual(floors.directory.ndcg10);
    const e = evaluateDirectory(engines, "ours", newer ?? []);
    expect(e.ndcg).toBeGreaterThanOrEqual(floors.directoryEveryWord.ndcg10);
  });

  it("staff match nDCG@10 stays at or above its floor, and gated markets get nobody", async () => {
    const s = await evaluateMatch(engines, "ours", sets.match.cases);
    expect(s.ndcg).toBeGreaterThanOrEqual(floors.match.ndcg10);
    const gated = sets.match.cases.filter((c) => c.expectRefusal);
    expect(gated.length).toBeGreaterThan(0);
    for (const c of gated) expect(await engines.match("ours", c.request, 10)).toEqual([]);
  });
});
