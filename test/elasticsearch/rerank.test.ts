// Retrieve-and-rerank on a real node (ELASTICSEARCH_FINDER_MODE=rerank, the default): on the 10k
// sample its finder answers equal the exhaustive ranking's (the same top 10, eligible count and
// coverage), whatever the request, with K far below the market; the exhaustive setting still
// reads the whole market.
import type { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MATCH_CASES } from "../../eval/cases.js";
import { randomRequests } from "../../scripts/bench/32-es-rerank.js";
import type { Profile } from "../../src/partner/schema.js";
import { type FindResult, findMatches } from "../../src/ranking/find-matches.js";
import { Matcher, type MatchRequest } from "../../src/ranking/match.js";
import { ElasticsearchBackend } from "../../src/search/elasticsearch/elasticsearch-backend.js";
import { MemoryBackend } from "../../src/search/memory/memory-backend.js";
import {
  catalog,
  dropAlias,
  esUrl,
  policy,
  sampleEntries,
  testAlias,
  testBackend,
  testClient,
} from "./helpers.js";

const NOW = new Date("2026-11-23T12:00:00Z");

/** What the finder answers (the route's fields), beside the ranked page. */
const answer = (r: FindResult) => ({
  top: r.candidates.map((c) => [c.profile.id, c.score]),
  considered: r.considered,
  eligible: r.eligible,
  coverage: r.coverage,
  partnerOfRecord: r.partnerOfRecord,
  teams: r.teams,
});

describe.skipIf(!esUrl)("finder by retrieve-and-rerank", () => {
  let client: Client;
  let rerank: ElasticsearchBackend;
  let small: ElasticsearchBackend;
  let exhaustive: ElasticsearchBackend;
  let memory: MemoryBackend;
  let profiles: Profile[];
  const alias = testAlias("rerank");

  beforeAll(async () => {
    client = testClient();
    rerank = testBackend(client, alias);
    small = new ElasticsearchBackend({ client, alias, catalog, policy, finderK: 50 });
    exhaustive = new ElasticsearchBackend({
      client,
      alias,
      catalog,
      policy,
      finderMode: "exhaustive",
    });
    memory = new MemoryBackend(catalog, policy);
    const entries = await sampleEntries();
    profiles = entries.flatMap((e) => (e.kind === "upsert" ? [e.profile] : []));
    await Promise.all([memory.apply(entries), rerank.apply(entries)]);
  });

  afterAll(async () => {
    await dropAlias(client, alias);
    await client.close();
  });

  const same = async (request: MatchRequest, es = rerank) => {
    const [want, got, ref] = await Promise.all([
      findMatches(memory, new Matcher(catalog, policy), request, NOW),
      findMatches(es, new Matcher(catalog, policy), request, NOW),
      findMatches(exhaustive, new Matcher(catalog, policy), request, NOW),
    ]);
    expect(answer(ref)).toEqual(answer(want));
    expect(answer(got)).toEqual(answer(want));
  };

  it("answers every evaluation case as the exhaustive ranking does", async () => {
    for (const c of MATCH_CASES) await same(c.request);
  }, 240_000);

  it("answers 150 random requests as the exhaustive ranking does, with K = 50", async () => {
    for (const r of randomRequests(profiles, 150, 7)) await same(r, small);
  }, 240_000);

  it("names an ineligible partner of record's rule as the exhaustive path does", async () => {
    const full = profiles.find(
      (p) =>
        p.markets.includes("US") &&
        p.internal.capacity.acceptingReferrals &&
        p.internal.capacity.openReferrals >= p.internal.capacity.maxOpenReferrals,
    ) as Profile;
    await same({ customer: { country: "US", partnerOfRecord: full.id }, limit: 5 });
  });

  it("reads K partners in rerank mode and the whole pre-filtered market in exhaustive mode", async () => {
    const q = new Matcher(catalog, policy).candidateQuery({
      customer: { country: "US" },
      limit: 10,
    });
    const [r, e, m] = await Promise.all([
      small.candidates(q),
      exhaustive.candidates(q),
      memory.candidates(q),
    ]);
    expect(r.profiles.length).toBe(50);
    expect(r.eligible).toBeGreaterThan(50);
    expect(e.eligible).toBeUndefined();
    expect(e.profiles.map((p) => p.id)).toEqual(m.profiles.map((p) => p.id));
    expect(r.marketSize).toBe(m.marketSize);
  });

  it("reads a tie group that K cuts whole, so the page rotates over all of it", async () => {
    const request: MatchRequest = { customer: { country: "DE" }, limit: 5 };
    const best = (await findMatches(memory, new Matcher(catalog, policy), request, NOW))
      .candidates[0]?.profile as Profile;
    // 40 partners alike but for their ids score the same: K = 10 cuts their tie group.
    const twins = Array.from({ length: 40 }, (_, i) => ({
      ...best,
      id: `tie-${String(i).padStart(3, "0")}`,
    }));
    const tiedAlias = testAlias("rerank-ties");
    const tied = new ElasticsearchBackend({
      client,
      alias: tiedAlias,
      catalog,
      policy,
      finderK: 10,
    });
    const tiedMemory = new MemoryBackend(catalog, policy);
    const entries = twins.map((profile) => ({ kind: "upsert" as const, profile }));
    try {
      await Promise.all([tied.apply(entries), tiedMemory.apply(entries)]);
      const q = new Matcher(catalog, policy).candidateQuery(request);
      expect((await tied.candidates(q)).profiles.length).toBe(40);
      const [want, got] = await Promise.all([
        findMatches(tiedMemory, new Matcher(catalog, policy), request, NOW),
        findMatches(tied, new Matcher(catalog, policy), request, NOW),
      ]);
      expect(answer(got)).toEqual(answer(want));
      // Not simply the first ids: the rotation reached past the first K.
      expect(got.candidates.some((c) => c.profile.id >= "tie-010")).toBe(true);
    } finally {
      await dropAlias(client, tiedAlias);
    }
  });

  it("reads the whole market from an index written before the first-stage fields", async () => {
    await client.indices.putMapping({ index: alias, _meta: { version: 1 } });
    try {
      const old = new ElasticsearchBackend({ client, alias, catalog, policy, finderK: 50 });
      const q = new Matcher(catalog, policy).candidateQuery({
        customer: { country: "US" },
        limit: 10,
      });
      const [r, m] = await Promise.all([old.candidates(q), memory.candidates(q)]);
      expect(r.eligible).toBeUndefined();
      expect(r.profiles.map((p) => p.id)).toEqual(m.profiles.map((p) => p.id));
    } finally {
      await client.indices.putMapping({ index: alias, _meta: { version: 2 } });
    }
  });
});
