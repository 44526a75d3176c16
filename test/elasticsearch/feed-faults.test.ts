// Elasticsearch fed the same hostile feeds as the embedded engine (test/feed-faults.ts), in
// random batches, through the paths that write to it: the indexer of `npm run index` (the first
// batch as a full reindex into a new version, the others incremental through the alias) and
// ElasticsearchBackend.apply over parseFeed's entries (a push). External versions must make the
// newest valid line of every id win whatever order the batches and lines come in, tombstones
// must keep older upserts out, and each batch's rejects must be exactly the model's, by line.
import type { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { splitLines } from "../../src/lib/lines.js";
import { type FeedReject, parseFeed } from "../../src/partner/feed.js";
import { buildDirectoryPlan } from "../../src/ranking/directory.js";
import { countDocs } from "../../src/search/elasticsearch/index-lifecycle.js";
import { indexFeed } from "../../src/search/elasticsearch/indexer.js";
import {
  batchText,
  expectedRejects,
  expectedState,
  faultCounts,
  faultyFeed,
  seededRng,
} from "../feed-faults.js";
import {
  catalog,
  dropAlias,
  esUrl,
  policy,
  testAlias,
  testBackend,
  testClient,
} from "./helpers.js";

/** Two feeds of the unit test's generator; between them, every kind of fault. */
const SEEDS = [4, 5];

describe.skipIf(!esUrl)("feed faults, Elasticsearch", () => {
  let client: Client;
  const aliases: string[] = [];

  beforeAll(() => {
    client = testClient();
  });
  afterAll(async () => {
    for (const a of aliases) await dropAlias(client, a);
    await client.close();
  });

  it.each(SEEDS)(
    "seed %i: the newest valid version of every id wins, rejects by line",
    async (seed) => {
      const feed = faultyFeed(seed);
      const counts = faultCounts(feed);
      expect(counts.deletesOlderThanUpsert).toBeGreaterThan(0);
      expect(counts.duplicatesInBatch).toBeGreaterThan(0);
      const alias = testAlias(`faults-${seed}`);
      aliases.push(alias);
      const backend = testBackend(client, alias);
      const r = seededRng(seed ^ 0xe5);
      let net = 0;
      for (let i = 0; i < feed.batches.length; i++) {
        const text = batchText(feed, i);
        const rejects: FeedReject[] = [];
        // The first batch builds the index (a full reindex); later ones go either way.
        const viaIndexer = i === 0 || r() < 0.6;
        if (viaIndexer) {
          const s = await indexFeed({
            client,
            alias,
            catalog,
            policy,
            lines: splitLines(text),
            full: i === 0,
            // Small bulks, two in flight: versions of one id race each other.
            bulk: { batchDocs: 7, concurrency: 2 },
            onReject: (x) => rejects.push(x),
          });
          net += s.indexed - s.deleted;
          expect(s.rejected).toBe(rejects.length);
        } else {
          const parsed = parseFeed(text, catalog);
          rejects.push(...parsed.rejects);
          const s = await backend.apply(parsed.entries);
          net += s.indexed - s.deleted;
        }
        const where = `seed ${seed}, batch ${i} (${viaIndexer ? "indexer" : "apply"})`;
        expect(
          rejects
            .map((x) => ({ line: x.line, path: x.path, ...(x.id ? { id: x.id } : {}) }))
            .sort((a, b) => a.line - b.line),
          where,
        ).toEqual(expectedRejects(feed.batches[i] ?? []));
        for (const x of rejects) {
          const l = feed.batches[i]?.[x.line - 1];
          if (l?.kind === "unknownCode") expect(x.reason, where).toContain(l.code);
        }
      }

      const want = expectedState(feed);
      for (const id of feed.ids) {
        expect(await backend.get(id), `seed ${seed}: ${id}`).toEqual(want.live.get(id));
      }
      expect(await countDocs(client, alias)).toBe(want.live.size);
      expect(net).toBe(want.live.size);
      const listed: string[] = [];
      let total = -1;
      for (let page = 1; listed.length < want.listed.size + 1; page++) {
        const plan = buildDirectoryPlan({ filters: {}, page, pageSize: 50, sort: "name" }, policy);
        const res = await backend.directory(plan);
        total = res.total;
        listed.push(...res.hits.map((h) => h.profile.id));
        if (res.hits.length < 50) break;
      }
      expect(total).toBe(want.listed.size);
      expect(listed).toHaveLength(want.listed.size);
      expect(new Set(listed)).toEqual(want.listed);
    },
  );
});
