// The finder on Elasticsearch by retrieve-and-rerank (ELASTICSEARCH_FINDER_MODE=rerank): how
// often its top 10 equal the exhaustive ranking's, for which K, and what it costs per market.
// The reference is the embedded backend on the same 100k feed, whose finder answers equal the
// exhaustive Elasticsearch path's (test/elasticsearch/parity.test.ts) and take milliseconds, not
// half a second, per US request. Requests: 1,000 random ones (seeded) plus every evaluation
// match case. Bar: >= 99% identical on the random ones, 100% on the evaluation cases.
// Reuses the index when the alias already holds the feed with this mapping version
// (ELASTICSEARCH_URL=... to run against a node of yours); `--quick`: 200 random requests.
import os from "node:os";
import { parseArgs } from "node:util";
import type { Client } from "@elastic/elasticsearch";
import { MATCH_CASES } from "../../eval/cases.js";
import { MOTIONS } from "../../src/catalog/match-policy.js";
import type { Profile } from "../../src/partner/schema.js";
import type { CandidateSource } from "../../src/ranking/candidates.js";
import { type FindResult, findMatches } from "../../src/ranking/find-matches.js";
import { Matcher, type MatchRequest } from "../../src/ranking/match.js";
import { createClient } from "../../src/search/elasticsearch/client.js";
import {
  ElasticsearchBackend,
  type FinderMode,
} from "../../src/search/elasticsearch/elasticsearch-backend.js";
import {
  aliasTargets,
  countDocs,
  indexDefinition,
} from "../../src/search/elasticsearch/index-lifecycle.js";
import { NodePrerequisiteError, startNode, stopNode } from "../elasticsearch-node.js";
import { mulberry32 } from "../lib/sample-generator.js";
import { catalog, ensure100k, loadBackend, loadProfiles, policy } from "./_feeds.js";
import { indexFile } from "./_server.js";
import { fmt, summarise, table } from "./_stats.js";

const ALIAS = "bench-rerank";
const KS = [25, 50, 100, 200, 500];
const NOW = new Date("2026-11-23T12:00:00Z");
const TIMED_MARKETS = ["US", "DE", "MX", "JP"];

/** Random finder requests over the markets where matching is offered, seeded. */
export function randomRequests(
  profiles: readonly Profile[],
  n: number,
  seed: number,
): MatchRequest[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const some = <T>(xs: readonly T[], max: number): T[] => {
    const k = Math.floor(rnd() * (max + 1));
    return [...new Set(Array.from({ length: k }, () => pick(xs)))];
  };
  const L = catalog.lists;
  const out: MatchRequest[] = [];
  while (out.length < n) {
    // A market as partners are spread: a random partner's location.
    const p = pick(profiles);
    const at = pick(p.locations);
    if (!at || !policy.matchingOffered(at.country)) continue;
    const languages = [...new Set([...some(p.languages, 1), ...some(L.language, 1)])];
    const located = at.lat !== undefined && at.lon !== undefined && rnd() < 0.5;
    const customer: MatchRequest["customer"] = {
      country: at.country,
      ...(languages.length > 0 ? { languages } : {}),
      ...(rnd() < 0.6 ? { products: some(L.product, 3) } : {}),
      ...(rnd() < 0.5 ? { industry: pick(L.industry) } : {}),
      ...(rnd() < 0.5 ? { companySize: pick(L.customerSize) } : {}),
      ...(rnd() < 0.6 ? { needs: some(L.service, 3) } : {}),
      ...(located
        ? {
            location: {
              lat: (at.lat as number) + (rnd() - 0.5),
              lon: (at.lon as number) + (rnd() - 0.5),
            },
          }
        : {}),
      ...(rnd() < 0.1 ? { partnerOfRecord: pick(profiles).id } : {}),
      id: `r${out.length}`,
    };
    const motion = rnd() < 0.7 ? pick(MOTIONS) : undefined;
    out.push({ customer, ...(motion ? { motion } : {}), limit: 10 });
  }
  return out;
}

const top = (r: FindResult) => r.candidates.map((c) => c.profile.id);

interface Agreement {
  identical: number;
  n: number;
  overlapSum: number;
  differing: number;
  coverageDiffers: number;
}

async function agreement(
  reference: CandidateSource,
  es: CandidateSource,
  requests: readonly MatchRequest[],
  refAnswers: Map<MatchRequest, FindResult>,
): Promise<Agreement> {
  const a: Agreement = { identical: 0, n: 0, overlapSum: 0, differing: 0, coverageDiffers: 0 };
  const matcher = new Matcher(catalog, policy);
  for (const r of requests) {
    let ref = refAnswers.get(r);
    if (!ref) {
      ref = await findMatches(reference, new Matcher(catalog, policy), r, NOW);
      refAnswers.set(r, ref);
    }
    const got = await findMatches(es, matcher, r, NOW);
    a.n++;
    const want = top(ref);
    const have = top(got);
    if (JSON.stringify(want) === JSON.stringify(have)) a.identical++;
    else {
      a.differing++;
      const set = new Set(want);
      a.overlapSum += have.filter((id) => set.has(id)).length / Math.max(1, want.length);
    }
    if (
      JSON.stringify(got.coverage) !== JSON.stringify(ref.coverage) ||
      got.eligible !== ref.eligible ||
      got.considered !== ref.considered
    ) {
      a.coverageDiffers++;
    }
  }
  return a;
}

async function ensureIndex(client: Client, file: string, expected: number): Promise<void> {
  const targets = await aliasTargets(client, ALIAS);
  if (targets.length > 0) {
    const mapping = await client.indices.getMapping({ index: targets });
    const meta = Object.values(mapping)[0]?.mappings._meta;
    const same = JSON.stringify(meta) === JSON.stringify(indexDefinition.mappings._meta);
    if (same && (await countDocs(client, ALIAS)) === expected) return;
  }
  const s = await indexFile(client, ALIAS, file, 2);
  console.log(`indexed ${s.indexed} profiles in ${(s.elapsedMs / 1000).toFixed(1)} s`);
}

export default async function run(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: "boolean" } }, strict: false });
  const given = process.env.ELASTICSEARCH_URL;
  const nodeName = `bench-rerank-${process.pid}`;
  let url = given;
  if (!url) {
    try {
      url = (await startNode({ name: nodeName, port: 0, heap: "1g", log: () => undefined })).url;
    } catch (e) {
      if (!(e instanceof NodePrerequisiteError)) throw e;
      console.log(`skipped: ${e.message}`);
      return;
    }
  }
  const client = createClient({ url, requestTimeoutMs: 60_000 });
  try {
    const file = ensure100k();
    const profiles = loadProfiles(file);
    await ensureIndex(client, file, profiles.length);
    const memory = await loadBackend(file);
    const backend = (finderMode: FinderMode, finderK?: number) =>
      new ElasticsearchBackend({
        client,
        alias: ALIAS,
        catalog,
        policy,
        finderMode,
        ...(finderK ? { finderK } : {}),
      });
    const random = randomRequests(profiles, values.quick ? 200 : 1000, 20261202);
    const evals = MATCH_CASES.map((c) => c.request);
    console.log(
      `100k profiles, ${random.length} random requests + ${evals.length} evaluation cases; load average before: ${os.loadavg()[0]?.toFixed(1)}\n`,
    );
    // The reference answers first, so the per-request time is the rerank's alone.
    const refs = new Map<MatchRequest, FindResult>();
    for (const r of [...random, ...evals]) {
      refs.set(r, await findMatches(memory, new Matcher(catalog, policy), r, NOW));
    }
    const rows: (string | number)[][] = [];
    for (const k of KS) {
      const es = backend("rerank", k);
      const t = performance.now();
      const ra = await agreement(memory, es, random, refs);
      const ea = await agreement(memory, es, evals, refs);
      const ms = (performance.now() - t) / (ra.n + ea.n);
      const { firstStage, deeper } = es.rerankReads;
      const pct = (a: Agreement) => `${((100 * a.identical) / a.n).toFixed(1)}%`;
      const mean = (a: Agreement) =>
        a.differing > 0 ? (a.overlapSum / a.differing).toFixed(2) : "-";
      rows.push([
        k,
        pct(ra),
        mean(ra),
        pct(ea),
        mean(ea),
        ra.coverageDiffers + ea.coverageDiffers,
        `${((100 * deeper) / Math.max(1, firstStage)).toFixed(1)}%`,
        fmt(ms),
      ]);
    }
    table(
      [
        "K",
        "random: top 10 identical",
        "random: mean overlap where not",
        "eval: top 10 identical",
        "eval: mean overlap where not",
        "coverage differs",
        "read deeper (tie group cut by K)",
        "mean per request (all markets)",
      ],
      rows,
    );

    // Per market: a typical staff request, rerank (default K) beside the exhaustive read.
    console.log();
    const timing: (string | number)[][] = [];
    const modes: [string, CandidateSource][] = [
      ["rerank", backend("rerank")],
      ["exhaustive", backend("exhaustive")],
    ];
    for (const country of TIMED_MARKETS) {
      const request: MatchRequest = {
        customer: {
          country,
          languages: [
            country === "JP" ? "ja" : country === "DE" ? "de" : country === "MX" ? "es" : "en",
          ],
          products: ["sales_hub"],
          industry: "software",
          companySize: "medium",
          needs: ["crm_implementation"],
        },
        limit: 10,
      };
      const row: (string | number)[] = [country];
      for (const [, b] of modes) {
        const matcher = new Matcher(catalog, policy);
        const runs: number[] = [];
        for (let i = 0; i < 23; i++) {
          const t = performance.now();
          await findMatches(b, matcher, request, NOW);
          if (i >= 3) runs.push(performance.now() - t);
        }
        const s = summarise(runs);
        row.push(fmt(s.median), fmt(s.p99));
      }
      timing.push(row);
    }
    table(
      ["market (in process)", "rerank median", "rerank p99", "exhaustive median", "exhaustive p99"],
      timing,
    );
    console.log(`\nload average after: ${os.loadavg()[0]?.toFixed(1)}`);
  } finally {
    await client.close();
    if (!given) await stopNode({ name: nodeName, purge: true, log: () => undefined });
  }
}
