// The SearchBackend on Elasticsearch: every read and write goes through one alias, queries are
// built by the pure functions in queries.ts, writes by documents.ts and bulk-writer.ts, and
// every client failure surfaces as SearchUnavailableError (503 search_unavailable upstream).
import type { Client, estypes } from "@elastic/elasticsearch";
import type { Catalog } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { entryId } from "../../partner/feed.js";
import type { FeedEntry, Profile, ProfileWithoutInternal } from "../../partner/schema.js";
import { excludedByPrefilters } from "../../ranking/candidates.js";
import { type DirectoryPlan, type FilterField, keepWords } from "../../ranking/directory.js";
import { deeperBar } from "../../ranking/retrieval.js";
import { pickRelaxation, relaxationLevels } from "../../ranking/text-match.js";
import {
  type ApplySummary,
  type CandidateQuery,
  type CandidateSet,
  type DirectoryResult,
  type Readiness,
  type RetrievalPlan,
  type SearchBackend,
  SearchUnavailableError,
} from "../backend.js";
import { AccreditedCounts, accreditedFirst } from "./accredited-first.js";
import { type Budget, optionsIn, withinBudget } from "./budget.js";
import { bulkItem, writeBulk } from "./bulk-writer.js";
import {
  CANDIDATE_PAGE,
  candidatesSearch,
  coverageCounts,
  MARKET_AGG,
} from "./candidate-queries.js";
import { statusOf } from "./client.js";
import { type BulkLine, bulkLinesOfEntries, type IndexedPartner, profileOf } from "./documents.js";
import { IndexGeneration } from "./generation.js";
import { aliasTargets, countDocs, ensureAlias, refresh } from "./index-lifecycle.js";
import { searchAll } from "./msearch.js";
import {
  directoryResult,
  directorySearches,
  facetSizes,
  relaxCountSearch,
  relaxCounts,
  searchesOf,
} from "./queries.js";
import { type ReadAllOptions, readAllProfiles } from "./read-all.js";
import { lastStep, rerankSearch } from "./rerank-queries.js";

export interface ElasticsearchBackendOptions {
  client: Client;
  /** Alias every read and write goes through (a full reindex moves it). */
  alias: string;
  catalog: Catalog;
  policy: MarketPolicy;
  /** Candidates are read in pages of this many profiles. */
  candidatePageSize?: number;
  /**
   * The most time one read (a directory search, every page of a candidate scan, a get, a
   * readiness check) may take in all, in ms; absent: each client call has only the client's own
   * timeout. The service sets it to its request timeout (createElasticsearchBackend).
   */
  readBudgetMs?: number;
  /** Replicas of the first index, when a push finds none; default: derived. */
  replicas?: number;
  /**
   * How the finder reads a market: `rerank` (default) asks for the best `finderK` eligible
   * partners by the first-stage score (rerank-queries.ts) and ranks those; `exhaustive` reads
   * the whole market and ranks all of it (the reference the first is measured against).
   */
  finderMode?: FinderMode;
  /** Partners the first stage returns for the exact rerank; default DEFAULT_FINDER_K. */
  finderK?: number;
  /**
   * Directory answers are kept while the index is unchanged, checked at most this often (ms;
   * generation.ts): an answer can be this much older than a change made by another process.
   * 0 or absent: nothing is kept, every request searches.
   */
  answerCacheMs?: number;
}

export type FinderMode = "rerank" | "exhaustive";

/**
 * K sets only the cost, not the answer: a tie group the K cuts is read whole (deeperBar). The
 * fastest of those measured (scripts/bench/32-es-rerank.ts, 100k feed: 11.3 ms a request, 1.9%
 * of requests reading deeper; 25 reads deeper too often, 100 and up parse and rerank partners
 * that cannot reach the page).
 */
export const DEFAULT_FINDER_K = 50;

/**
 * Elasticsearch's default `index.max_result_window`: the most one search may return, and so
 * the most partners the first stage and a deeper read take together.
 */
const MAX_RESULT_WINDOW = 10_000;

/** A rerank hit's first-stage score: its first sort value (sorted by score, then id). */
const firstStageScore = (h: estypes.SearchHit<unknown>): number => Number(h.sort?.[0] ?? h._score);

/** The mapping version (index-mappings/partners.json `_meta`) that indexes the first stage. */
const FINDER_MAPPING_VERSION = 2;

export class ElasticsearchBackend implements SearchBackend {
  readonly kind = "elasticsearch";
  readonly client: Client;
  readonly alias: string;
  private readonly catalog: Catalog;
  private readonly policy: MarketPolicy;
  private readonly sizes: Record<FilterField, number>;
  private readonly candidatePage: number;
  private readonly budgetMs: number | undefined;
  private readonly replicas: number | undefined;
  private readonly finderMode: FinderMode;
  private readonly finderK: number;
  /** Rerank first stages run, and how many of them read deeper for a cut tie group. */
  readonly rerankReads = { firstStage: 0, deeper: 0 };
  /**
   * Text pages read accredited first (accredited-first.ts) that needed the others: read in the
   * first round trip (the known count foretold them) or in a second.
   */
  readonly splitPageReads = { sentAhead: 0, secondTrip: 0 };
  private readonly accreditedCounts = new AccreditedCounts();
  private aliasReady = false;
  private finderFields: { ok: boolean; at: number } | undefined;
  private readonly changes: IndexGeneration | undefined;

  constructor(opts: ElasticsearchBackendOptions) {
    this.client = opts.client;
    this.alias = opts.alias;
    this.catalog = opts.catalog;
    this.policy = opts.policy;
    this.sizes = facetSizes(opts.catalog);
    this.candidatePage = opts.candidatePageSize ?? CANDIDATE_PAGE;
    this.budgetMs = opts.readBudgetMs;
    this.replicas = opts.replicas;
    this.finderMode = opts.finderMode ?? "rerank";
    this.finderK = opts.finderK ?? DEFAULT_FINDER_K;
    this.changes = opts.answerCacheMs
      ? new IndexGeneration(opts.client, opts.alias, { maxAgeMs: opts.answerCacheMs })
      : undefined;
  }

  changeGeneration(): number | undefined | Promise<number | undefined> {
    return this.changes?.current();
  }

  /** Entries per bulk request when a push is applied. */
  readonly maxApplyBatch = 5_000;

  /** Writes through the alias (creating a first version if none exists) and refreshes. */
  async apply(entries: readonly FeedEntry[]): Promise<ApplySummary> {
    if (!this.aliasReady) {
      await ensureAlias(this.client, this.alias, this.policy.data.directory, this.replicas);
      this.aliasReady = true;
    }
    const lines = bulkLinesOfEntries(entries, this.alias, this.catalog, this.policy);
    const items = entries.map((e, i) => bulkItem(lines[i] as BulkLine[], entryId(e)));
    const outcome = await writeBulk(this.client, items);
    if (outcome.failures.length > 0) {
      const first = outcome.failures
        .slice(0, 3)
        .map((f) => `${f.ref}: ${f.status} ${f.reason}`)
        .join("; ");
      throw new SearchUnavailableError(
        `Elasticsearch rejected ${outcome.failures.length} of ${entries.length} writes (${first})`,
        false,
      );
    }
    await refresh(this.client, this.alias);
    this.changes?.changed();
    return {
      indexed: outcome.created,
      updated: outcome.updated,
      deleted: outcome.deleted,
      stale: outcome.stale,
    };
  }

  /** A relaxed search (no partner matched every word) shares the one budget. */
  async directory(plan: DirectoryPlan): Promise<DirectoryResult> {
    const dp = this.policy.data.directory;
    return withinBudget(this.budgetMs, "directory search", async (b) => {
      const search = async (p: DirectoryPlan) => {
        const searches = directorySearches(p, this.alias, this.sizes, dp);
        const split = searches.hits && accreditedFirst(p, searches.hits, this.accreditedCounts);
        const sent = split
          ? [
              ...searchesOf({ ...searches, hits: split.first }),
              ...(split.guess ? [split.guess] : []),
            ]
          : searchesOf(searches);
        const answers = await searchAll<ProfileWithoutInternal>(this.client, sent, optionsIn(b));
        if (!split) return directoryResult(p, searches, answers);
        const guessed = split.guess ? answers.pop() : undefined;
        // The page's answer is the last (searchesOf).
        const first = answers.at(-1) as estypes.SearchResponse<ProfileWithoutInternal>;
        const more = split.rest(first);
        const ahead = more !== undefined && more === split.guess;
        if (more) this.splitPageReads[ahead ? "sentAhead" : "secondTrip"]++;
        const rest = ahead
          ? guessed
          : more && (await searchAll<ProfileWithoutInternal>(this.client, [more], optionsIn(b)))[0];
        answers[answers.length - 1] = split.merge(first, rest);
        const result = directoryResult(p, searches, answers);
        this.accreditedCounts.learn(p, first, result.facets);
        return result;
      };
      const r = await search(plan);
      const words = plan.text?.words ?? [];
      if (r.total > 0 || words.length < 2) return r;
      for (const level of relaxationLevels(words.length, dp.text.relaxMaxCombinations)) {
        const res = await this.client.search(
          relaxCountSearch(plan, this.alias, level, dp),
          optionsIn(b),
        );
        const kept = pickRelaxation(level, relaxCounts(level, res.aggregations));
        if (!kept) continue;
        const relaxed = keepWords(plan, kept);
        return { ...(await search(relaxed)), relaxed: { dropped: relaxed.text?.dropped ?? [] } };
      }
      return r;
    });
  }

  async get(id: string): Promise<Profile | undefined> {
    const res = await withinBudget(this.budgetMs, `get ${id}`, (b) =>
      this.client.get<IndexedPartner>({ index: this.alias, id }, optionsIn(b, { ignore: [404] })),
    );
    if (res.found && res._source) return profileOf(res._source);
    // An ignored 404 is either "no such document" or "no such index": only the first is an answer.
    const error = (res as { error?: { type?: string } }).error;
    if (error) {
      throw new SearchUnavailableError(
        `get ${id}: ${error.type ?? "error"} on ${this.alias}`,
        false,
      );
    }
    return undefined;
  }

  /** Every page of the scan shares one budget: a slow cluster cannot stretch it page by page. */
  async candidates(query: CandidateQuery): Promise<CandidateSet> {
    const plan = query.retrieval;
    if (this.finderMode === "rerank" && plan) return this.bestCandidates(query, plan);
    return withinBudget(this.budgetMs, "candidate search", (b) => this.scan(query, b));
  }

  /**
   * Whether the index behind the alias carries the first-stage fields (mapping version 2 on):
   * an index written before them would score every partner alike and fail the exact qualified
   * rule, so until a full reindex the finder reads the whole market instead. Checked again a
   * minute later, so an alias moved by a reindex is noticed.
   */
  private async hasFinderFields(b: Budget | undefined): Promise<boolean> {
    const now = Date.now();
    if (this.finderFields && now - this.finderFields.at < 60_000) return this.finderFields.ok;
    const res = await this.client.indices.getMapping({ index: this.alias }, optionsIn(b));
    const versions = Object.values(res).map((m) => Number(m.mappings?._meta?.version ?? 0));
    const ok = versions.length > 0 && versions.every((v) => v >= FINDER_MAPPING_VERSION);
    this.finderFields = { ok, at: now };
    return ok;
  }

  private async scan(query: CandidateQuery, b: Budget | undefined): Promise<CandidateSet> {
    // Every page shares the caller's budget: a slow cluster cannot stretch it page by page.
    const out: Profile[] = [];
    let marketSize: number | undefined;
    let counts: ReturnType<typeof coverageCounts> | undefined;
    let after: string | undefined;
    for (;;) {
      const request = candidatesSearch(query, this.alias, after, this.candidatePage);
      const res = await this.client.search<
        Profile,
        Record<string, estypes.AggregationsFilterAggregate>
      >(request, optionsIn(b));
      marketSize ??= res.aggregations?.[MARKET_AGG]?.doc_count;
      counts ??= coverageCounts(res.aggregations);
      const hits: estypes.SearchHit<Profile>[] = res.hits?.hits ?? [];
      for (const h of hits) if (h._source) out.push(profileOf(h._source));
      // Without pre-filters there is no aggregation: the market is what was read.
      if (hits.length < this.candidatePage) {
        const market = marketSize ?? out.length;
        return {
          profiles: out,
          marketSize: market,
          excludedBy: excludedByPrefilters(query, { market, ...counts }),
        };
      }
      after = String(hits.at(-1)?.sort?.[0]);
    }
  }

  /** The first stage of retrieve-and-rerank: one request, the best K and exact counts. */
  private async bestCandidates(query: CandidateQuery, plan: RetrievalPlan): Promise<CandidateSet> {
    return withinBudget(this.budgetMs, "candidate search", async (b) => {
      if (!(await this.hasFinderFields(b))) return this.scan(query, b);
      const k = Math.max(this.finderK, plan.page.limit);
      const req = rerankSearch(query, plan, this.alias, k);
      // One round trip; the size-0 count search is kept by the shard request cache, so a
      // market asked again with the same pre-filters is counted once.
      const [res, counted] = await searchAll<Profile>(
        this.client,
        req.counts ? [req.top, req.counts] : [req.top],
        optionsIn(b),
      );
      if (!res) throw new SearchUnavailableError("candidate search: no answer", false);
      let hits = res.hits?.hits ?? [];
      // The K cut inside the page's tie group: read the rest of it, after the K-th hit and
      // down to the group's bar (the K already read are not fetched again).
      const bar = deeperBar(hits.map(firstStageScore), k, plan);
      const after = hits.at(-1)?.sort;
      this.rerankReads.firstStage++;
      if (bar !== undefined && after) {
        this.rerankReads.deeper++;
        const deeper = await this.client.search<Profile>(
          {
            ...req.top,
            size: MAX_RESULT_WINDOW - k,
            search_after: after,
            min_score: bar,
            track_total_hits: false,
          },
          optionsIn(b),
        );
        hits = [...hits, ...(deeper.hits?.hits ?? [])];
      }
      const profiles: Profile[] = [];
      for (const h of hits) if (h._source) profiles.push(profileOf(h._source));
      // Without pre-filters the total is the market and the eligible.
      const total = res.hits?.total;
      const all = typeof total === "number" ? total : (total?.value ?? profiles.length);
      const aggs = counted?.aggregations as
        | Record<string, estypes.AggregationsFilterAggregate>
        | undefined;
      const market = aggs?.[MARKET_AGG]?.doc_count ?? all;
      const counts = coverageCounts(aggs);
      return {
        profiles,
        marketSize: market,
        excludedBy: excludedByPrefilters(query, { market, ...counts }),
        eligible: lastStep(counts) ?? all,
      };
    });
  }

  /**
   * Every profile behind the alias, in pages, read from one point in time (a consistent copy
   * even while writes go on or a full reindex moves the alias); not bound by the read budget.
   */
  readAll(options: ReadAllOptions = {}): AsyncGenerator<Profile[]> {
    return readAllProfiles(this.client, this.alias, options);
  }

  async readiness(): Promise<Readiness> {
    const details: Record<string, unknown> = { alias: this.alias };
    try {
      return await withinBudget(this.budgetMs, "readiness", async (b) => {
        // A least-privilege API key for the service may lack the cluster `monitor` privilege:
        // then the alias and its documents alone decide.
        const health = await this.client.cluster
          .health({ timeout: "1s" }, optionsIn(b))
          .catch((e: unknown) => {
            if (statusOf(e) === 403) return undefined;
            throw e;
          });
        details.cluster = health?.status ?? "unknown (no monitor privilege)";
        if (health) details.clusterName = health.cluster_name;
        // The client's short default timeout, not the admin one: readiness must answer quickly.
        const targets = await aliasTargets(this.client, this.alias, optionsIn(b));
        details.indices = targets;
        details.docs =
          targets.length > 0 ? await countDocs(this.client, this.alias, optionsIn(b)) : 0;
        const ready =
          health?.status !== "red" && targets.length > 0 && (details.docs as number) > 0;
        return { ready, backend: this.kind, details };
      });
    } catch (e) {
      details.error = (e as Error).message;
      return { ready: false, backend: this.kind, details };
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
