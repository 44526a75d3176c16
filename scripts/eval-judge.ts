// Builds the judgment sets from eval/cases.ts: for each case, a pool of partners from several
// systems (ours at the shipped weights and at two other weightings, both baselines) and from
// rubric-driven sampling of the whole feed (the best-graded partners by the rubric alone, plus a
// seeded random sample of the rest, so pool membership does not depend on any ranking), each
// graded by eval/rubric.ts. Append-only by default: a stored grade is never changed, new pool
// members are added (run it after a weight change that surfaces unjudged partners).
// `npx tsx scripts/eval-judge.ts [--fresh]`

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DIRECTORY_CASES, type DirectoryCase, MATCH_CASES, type MatchCase } from "../eval/cases.js";
import {
  DIRECTORY_FILE,
  type JudgedDirectoryCase,
  type JudgedMatchCase,
  type JudgedPartner,
  type JudgmentFile,
  MATCH_FILE,
  readJudgments,
  writeJudgments,
} from "../eval/judgments.js";
import {
  gradeDirectory,
  gradeMatch,
  type Judgment,
  matchesFilters,
  matchIneligibility,
  type RubricContext,
  servesCountry,
} from "../eval/rubric.js";
import { EvalEngines, SYSTEMS, withWeights } from "../eval/systems.js";
import { defaultCatalog } from "../src/catalog/catalog.js";
import { defaultPolicy } from "../src/catalog/policy.js";
import { hash53 } from "../src/lib/hash.js";
import { parseFeed } from "../src/partner/feed.js";
import type { Profile } from "../src/partner/schema.js";

const FEED = "data/sample-partners.ndjson";
const SYSTEM_DEPTH = 20;
const RUBRIC_TOP = 30;
const RANDOM_SAMPLE = 15;
const POOLING =
  `top ${SYSTEM_DEPTH} of ours (shipped weights and two other weightings) and of both baselines, ` +
  `the ${RUBRIC_TOP} best by the rubric over every partner that meets the hard filters ` +
  `(seeded tie-break), and ${RANDOM_SAMPLE} seeded random partners of the rest; unjudged = grade 0`;

const fresh = parseArgs({ options: { fresh: { type: "boolean", default: false } } }).values.fresh;
const root = new URL("../", import.meta.url);
const text = readFileSync(new URL(FEED, root), "utf8");
const catalog = defaultCatalog();
const policy = defaultPolicy(catalog);
const entries = parseFeed(text, catalog).entries;
const profiles = entries.flatMap((e) => (e.kind === "upsert" ? [e.profile] : []));
const byId = new Map(profiles.map((p) => [p.id, p]));
const feed = { path: FEED, sha256: createHash("sha256").update(text).digest("hex") };
const ctx: RubricContext = { catalog, policy };

const w = policy.data.directory.weights;
const m = policy.data.match.weights;
const engines = [
  new EvalEngines(catalog, policy, entries),
  new EvalEngines(
    catalog,
    withWeights(policy, catalog, { directory: { text: w.text * 3 } }),
    entries,
  ),
  new EvalEngines(
    catalog,
    withWeights(policy, catalog, {
      directory: { text: w.text * 0.3 },
      match: { accreditation_match: m.accreditation_match * 2, track_record: m.track_record * 2 },
    }),
    entries,
  ),
  new EvalEngines(
    catalog,
    withWeights(policy, catalog, { match: { tier: m.tier * 3, products: m.products * 2 } }),
    entries,
  ),
];
const main = engines[0] as EvalEngines;

/** A seeded order: the same case always samples the same partners. */
const seeded = (caseId: string) => (id: string) => hash53(`${caseId}:${id}`);

function pick(caseId: string, graded: [Profile, Judgment][]): Profile[] {
  const key = seeded(caseId);
  const sorted = [...graded].sort((a, b) => b[1].grade - a[1].grade || key(a[0].id) - key(b[0].id));
  const top = sorted.slice(0, RUBRIC_TOP).map(([p]) => p);
  const rest = sorted
    .slice(RUBRIC_TOP)
    .map(([p]) => p)
    .sort((a, b) => key(`r${a.id}`) - key(`r${b.id}`));
  return [...top, ...rest.slice(0, RANDOM_SAMPLE)];
}

function merge(
  previous: JudgedPartner[] | undefined,
  pool: Iterable<string>,
  grade: (p: Profile) => Judgment,
): JudgedPartner[] {
  const out = new Map((previous ?? []).map((j) => [j.id, j]));
  for (const id of pool) {
    if (out.has(id)) continue;
    const p = byId.get(id);
    if (!p) throw new Error(`pooled unknown partner ${id}`);
    out.set(id, { id, ...grade(p) });
  }
  return [...out.values()].sort((a, b) => b.grade - a.grade || (a.id < b.id ? -1 : 1));
}

function previousOf<C extends { id: string; judgments: JudgedPartner[] }>(path: string) {
  if (fresh || !existsSync(path)) return new Map<string, C>();
  const file = readJudgments<C>(path);
  if (file.feed.sha256 !== feed.sha256) {
    throw new Error(`${path} was judged on another feed; rerun with --fresh to rejudge`);
  }
  return new Map(file.cases.map((c) => [c.id, c]));
}

function judgeDirectory(): JudgmentFile<JudgedDirectoryCase> {
  const prev = previousOf<JudgedDirectoryCase>(DIRECTORY_FILE);
  const cases = DIRECTORY_CASES.map((c: DirectoryCase): JudgedDirectoryCase => {
    const pool = new Set<string>();
    for (const e of engines.slice(0, 3)) {
      for (const s of SYSTEMS) for (const id of e.directory(s, c, SYSTEM_DEPTH)) pool.add(id);
    }
    const candidates = profiles.filter((p) => p.directoryListed && matchesFilters(p, c.filters));
    const graded = candidates.map((p): [Profile, Judgment] => [p, gradeDirectory(p, c, ctx)]);
    for (const p of pick(c.id, graded)) pool.add(p.id);
    return {
      id: c.id,
      ...(c.q ? { q: c.q } : {}),
      filters: c.filters as Record<string, string[]>,
      intent: c.intent,
      ...(c.note ? { note: c.note } : {}),
      judgments: merge(prev.get(c.id)?.judgments, pool, (p) => gradeDirectory(p, c, ctx)),
    };
  });
  return { surface: "directory", feed, rubric: "eval/rubric.ts", pooling: POOLING, cases };
}

/** Resolves a partner-of-record placeholder to a concrete partner, by a seeded walk. */
function resolvePartnerOfRecord(c: MatchCase, stored?: JudgedMatchCase): MatchCase["request"] {
  const req = c.request;
  if (!c.pickPartnerOfRecord) return req;
  const already = stored?.request.customer.partnerOfRecord;
  if (already) return { ...req, customer: { ...req.customer, partnerOfRecord: already } };
  const key = seeded(c.id);
  const order = [...profiles].sort((a, b) => key(a.id) - key(b.id));
  const cust = req.customer;
  const found = order.find((p) => {
    if (c.pickPartnerOfRecord === "@eligible") {
      // An eligible partner that would not be on top by fit alone: the case tests the rule.
      return !matchIneligibility(p, req, ctx) && gradeMatch(p, req, ctx).grade <= 2;
    }
    const cap = p.internal.capacity;
    return (
      p.programLevel === "partner" &&
      servesCountry(p, cust.country) &&
      (cust.languages ?? []).some((l) => p.languages.includes(l)) &&
      cap.acceptingReferrals &&
      cap.openReferrals >= cap.maxOpenReferrals
    );
  });
  if (!found) throw new Error(`${c.id}: no partner fits ${c.pickPartnerOfRecord}`);
  return { ...req, customer: { ...cust, partnerOfRecord: found.id } };
}

async function judgeMatch(): Promise<JudgmentFile<JudgedMatchCase>> {
  const prev = previousOf<JudgedMatchCase>(MATCH_FILE);
  const cases: JudgedMatchCase[] = [];
  for (const c of MATCH_CASES) {
    const request = resolvePartnerOfRecord(c, prev.get(c.id));
    const pool = new Set<string>();
    for (const e of engines) {
      for (const s of SYSTEMS)
        for (const id of await e.match(s, request, SYSTEM_DEPTH)) pool.add(id);
    }
    const cust = request.customer;
    // Everyone the backend would pre-select for the market, graded by the rubric alone.
    const market = main.backend.candidatesSync({
      programLevels: catalog.referralLevels,
      country: cust.country,
      ...(cust.languages?.length ? { languages: cust.languages } : {}),
    });
    const graded = market.map((p): [Profile, Judgment] => [p, gradeMatch(p, request, ctx)]);
    for (const p of pick(c.id, graded)) pool.add(p.id);
    if (cust.partnerOfRecord) pool.add(cust.partnerOfRecord);
    const expectRefusal = !policy.matchingOffered(cust.country);
    cases.push({
      id: c.id,
      request,
      ...(c.note ? { note: c.note } : {}),
      ...(expectRefusal ? { expectRefusal } : {}),
      judgments: merge(prev.get(c.id)?.judgments, pool, (p) => gradeMatch(p, request, ctx)),
    });
  }
  return { surface: "match", feed, rubric: "eval/rubric.ts", pooling: POOLING, cases };
}

const dir = judgeDirectory();
writeJudgments(DIRECTORY_FILE, dir);
const match = await judgeMatch();
writeJudgments(MATCH_FILE, match);
for (const f of [dir, match] as JudgmentFile<{ judgments: JudgedPartner[] }>[]) {
  const all = f.cases.flatMap((c) => c.judgments);
  const dist = [0, 1, 2, 3].map((g) => all.filter((j) => j.grade === g).length);
  console.log(
    `${f.surface}: ${f.cases.length} cases, ${all.length} judgments, grades 0..3: ${dist.join(" / ")}`,
  );
}
