// Feeding an NDJSON partner feed into Elasticsearch, streaming: each line is validated by the
// same parser as the embedded backend, accepted entries go out in bulk with external versions,
// rejects are reported and never stop the rest. `full` builds a new versioned index and moves
// the alias only once it is complete and its count checks out.
import type { Client } from "@elastic/elasticsearch";
import type { Catalog } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { entryId, FeedAccumulator, type FeedReject } from "../../partner/feed.js";
import type { FeedEntry } from "../../partner/schema.js";
import { type BulkItem, type BulkOptions, bulkItem, writeBulk } from "./bulk-writer.js";
import { type BulkLine, bulkLinesOfEntries } from "./documents.js";
import {
  aliasTargets,
  countDocs,
  createVersionedIndex,
  ensureAlias,
  finishBulkLoad,
  pruneVersions,
  refresh,
  swapAlias,
} from "./index-lifecycle.js";

export interface IndexFeedOptions {
  client: Client;
  alias: string;
  catalog: Catalog;
  policy: MarketPolicy;
  /** The feed's lines, in order (without line terminators). */
  lines: AsyncIterable<string> | Iterable<string>;
  /** Build a new versioned index and swap the alias to it, instead of updating in place. */
  full?: boolean;
  /**
   * A full reindex refuses to replace an index with one holding less than this share of its
   * documents (a truncated feed must not empty the directory); 0 disables the check.
   */
  minShareOfPrevious?: number;
  /** Previous versions kept for rollback after a full reindex. */
  keepPrevious?: number;
  /** Replicas of a new index (ELASTICSEARCH_REPLICAS); default: one on a cluster of 2+ nodes. */
  replicas?: number;
  bulk?: Omit<BulkOptions<ItemRef>, "onProgress">;
  onReject?: (reject: FeedReject) => void;
  onProgress?: (progress: IndexProgress) => void;
}

export interface IndexProgress {
  /** Feed lines read so far. */
  lines: number;
  /** Entries the engine has answered for. */
  settled: number;
  rejected: number;
  elapsedMs: number;
}

export interface IndexFeedSummary {
  mode: "full" | "incremental";
  /** The concrete index written. */
  index: string;
  /** After a full reindex: the indices the alias pointed to before, kept for rollback. */
  previous: string[];
  pruned: string[];
  lines: number;
  indexed: number;
  updated: number;
  deleted: number;
  stale: number;
  rejected: number;
  elapsedMs: number;
  docsPerSecond: number;
}

const DOCUMENTS_BUILT_TOGETHER = 64;

interface ItemRef {
  line: number;
  id: string;
}

export class IndexCheckError extends Error {
  override name = "IndexCheckError";
}

export async function indexFeed(opts: IndexFeedOptions): Promise<IndexFeedSummary> {
  const { client, alias, catalog, policy } = opts;
  const started = Date.now();
  let lines = 0;
  let rejected = 0;
  let settled = 0;
  const reject = (r: FeedReject) => {
    rejected++;
    opts.onReject?.(r);
  };
  const progress = () =>
    opts.onProgress?.({ lines, settled, rejected, elapsedMs: Date.now() - started });

  const full = opts.full ?? false;
  const replicas = opts.replicas !== undefined ? { replicas: opts.replicas } : {};
  const target = full
    ? await createVersionedIndex(client, alias, {
        bulkLoad: true,
        directory: policy.data.directory,
        ...replicas,
      })
    : await ensureAlias(client, alias, policy.data.directory, opts.replicas);

  const expected = full ? new ExpectedDocs() : undefined;
  // The feed's rules (validation, one id once per feed) as the embedded load applies them. An
  // earlier line of a duplicated id may already be on its way; the newer external version then
  // replaces it in the index.
  async function* items(): AsyncGenerator<BulkItem<ItemRef>> {
    const entries: FeedEntry[] = [];
    const refs: ItemRef[] = [];
    const feed = new FeedAccumulator(catalog, {
      onReject: reject,
      sink: (entry, line) => {
        const id = entryId(entry);
        expected?.sent(id, line, entry.kind === "upsert");
        entries.push(entry);
        refs.push({ line, id });
      },
    });
    // Documents are built a few dozen at a time, so that their finder features share a block,
    // and serialised at once: the writer may hold the items through a bulk round trip, and
    // objects alive that long would be copied by every young-generation collection meanwhile.
    const built = () => {
      const docs = bulkLinesOfEntries(entries.splice(0), target, catalog, policy);
      return refs.splice(0).map((ref, i) => bulkItem(docs[i] as BulkLine[], ref));
    };
    for await (const text of opts.lines) {
      feed.push(text, ++lines);
      if (entries.length >= DOCUMENTS_BUILT_TOGETHER) yield* built();
    }
    yield* built();
  }

  try {
    const outcome = await writeBulk(client, items(), {
      ...opts.bulk,
      onProgress: (n) => {
        settled = n;
        progress();
      },
    });
    for (const f of outcome.failures) {
      expected?.failed(f.ref.id, f.ref.line);
      reject({
        line: f.ref.line,
        id: f.ref.id,
        path: "(engine)",
        reason: `Elasticsearch rejected the document: ${f.status} ${f.reason}`,
      });
    }
    progress();
    let previous: string[] = [];
    let pruned: string[] = [];
    if (expected) {
      await finishBulkLoad(client, target);
      const count = await countDocs(client, target);
      const [fewest, most] = expected.range();
      if (count < fewest || count > most) {
        throw new IndexCheckError(
          `${target} holds ${count} documents but the feed's newest entries call for ${fewest === most ? fewest : `${fewest} to ${most}`}; the alias was not moved`,
        );
      }
      await checkShare(client, alias, count, opts.minShareOfPrevious ?? 0.5);
      previous = await swapAlias(client, alias, target);
      pruned = await pruneVersions(client, alias, opts.keepPrevious ?? 1);
    } else {
      await refresh(client, target);
    }
    const elapsedMs = Date.now() - started;
    const written = outcome.created + outcome.updated + outcome.deleted + outcome.stale;
    return {
      mode: full ? "full" : "incremental",
      index: target,
      previous,
      pruned,
      lines,
      indexed: outcome.created,
      updated: outcome.updated,
      deleted: outcome.deleted,
      stale: outcome.stale,
      rejected,
      elapsedMs,
      docsPerSecond: elapsedMs > 0 ? Math.round((written * 1000) / elapsedMs) : written,
    };
  } catch (e) {
    // A half-built version is never searched (the alias did not move) but would pile up.
    if (full) {
      await client.indices.delete({ index: target }, { ignore: [404] }).catch(() => undefined);
    }
    throw e;
  }
}

/**
 * What a new index must hold after a full load: each id's newest entry sent decides, whatever
 * order the batches landed in and however often one was retried, since external versions let
 * only the newest win. Counting the bulk outcomes instead (created - deleted) miscounts a batch
 * retried after its answer was lost (a node died mid-request): its items had been written, and
 * the retry reports them as version conflicts.
 */
class ExpectedDocs {
  private readonly ids = new Map<
    string,
    { line: number; live: boolean; earlier: boolean; failed: boolean }
  >();

  sent(id: string, line: number, live: boolean): void {
    this.ids.set(id, { line, live, earlier: this.ids.has(id), failed: false });
  }

  failed(id: string, line: number): void {
    const e = this.ids.get(id);
    if (e && e.line === line) e.failed = true;
  }

  /** An id whose newest entry the engine refused holds what an earlier entry left, if any. */
  range(): [number, number] {
    let fewest = 0;
    let most = 0;
    for (const e of this.ids.values()) {
      if (!e.failed && e.live) fewest++;
      if (e.failed ? e.earlier : e.live) most++;
    }
    return [fewest, most];
  }
}

async function checkShare(
  client: Client,
  alias: string,
  count: number,
  minShare: number,
): Promise<void> {
  if (minShare <= 0) return;
  const targets = await aliasTargets(client, alias);
  if (targets.length === 0) return;
  const before = await countDocs(client, alias);
  if (count < before * minShare) {
    throw new IndexCheckError(
      `the new index holds ${count} documents, less than ${Math.round(minShare * 100)}% of the ${before} behind ${alias}; ` +
        "refusing to swap (a truncated feed?). Re-run with --allow-shrink if intended",
    );
  }
}
