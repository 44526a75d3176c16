// Bulk writes with bounded concurrency and retry with exponential backoff, counting every
// item's outcome (created, updated, deleted, stale, failed).
//
// Why not the client's `helpers.bulk`: it retries 429 items only, after a fixed wait; a 5xx or a
// dropped connection on any one request aborts the whole run (the transport retries 502-504 at
// once, without backoff); and it cannot tell a version conflict from a real failure without
// per-item bookkeeping of our own anyway. Here both item-level and request-level 429/5xx and
// connection failures back off and retry, and a 409 (an older version) is a normal outcome.
import type { Client, estypes } from "@elastic/elasticsearch";
import { SearchUnavailableError } from "../backend.js";
import { statusOf, toSearchError } from "./client.js";

export interface BulkItem<R> {
  /**
   * The action line and, for index operations, the document, as NDJSON bytes. Bytes rather than
   * strings: items wait in a batch through a bulk round trip, and strings held that long are
   * copied by young-generation collections and then promoted (an indexing run's old generation
   * grew about half as fast with bytes).
   */
  body: Uint8Array;
  bytes: number;
  /** Caller's handle for reporting (a feed line number, an id). */
  ref: R;
}

export interface BulkFailure<R> {
  ref: R;
  status: number;
  reason: string;
}

export interface BulkOutcome<R> {
  created: number;
  updated: number;
  deleted: number;
  /** A delete of an id the index does not hold. */
  notFound: number;
  /** Version conflicts: the index already holds this version or a newer one. */
  stale: number;
  failures: BulkFailure<R>[];
  retries: number;
}

export interface BulkOptions<R> {
  /** A batch is sent when it reaches either limit. */
  batchDocs?: number;
  batchBytes?: number;
  concurrency?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  requestTimeoutMs?: number;
  /** Called after each batch settles, with the number of items settled so far. */
  onProgress?: (settled: number, outcome: BulkOutcome<R>) => void;
  /** Injected for tests of the backoff; defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
}

export function bulkItem<R>(lines: readonly unknown[], ref: R): BulkItem<R> {
  let text = "";
  for (const l of lines) text += `${JSON.stringify(l)}\n`;
  const body = utf8(text);
  return { body, bytes: body.length, ref };
}

const encoder = new TextEncoder();
/** A Buffer where there is one: the client sends a Buffer as it is and serialises the rest. */
const utf8 = (s: string): Uint8Array =>
  typeof Buffer !== "undefined" ? Buffer.from(s) : encoder.encode(s);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (typeof Buffer !== "undefined") return Buffer.concat(parts);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Exponential backoff with full jitter, capped. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

const isRetryableStatus = (s: number) => s === 429 || s >= 500;

/**
 * All an item's outcome needs. The full answer repeats index, id, version, shard counts and
 * sequence numbers for every item: about 200 bytes each that the node writes and the client
 * parses for nothing.
 */
const ITEM_OUTCOME = ["items.*.status", "items.*.result", "items.*.error"];

export async function writeBulk<R>(
  client: Client,
  items: AsyncIterable<BulkItem<R>> | Iterable<BulkItem<R>>,
  opts: BulkOptions<R> = {},
): Promise<BulkOutcome<R>> {
  const batchDocs = opts.batchDocs ?? 1_000;
  const batchBytes = opts.batchBytes ?? 5 * 1024 * 1024;
  const concurrency = opts.concurrency ?? 2;
  const maxAttempts = opts.maxAttempts ?? 6;
  const baseDelay = opts.baseDelayMs ?? 250;
  const maxDelay = opts.maxDelayMs ?? 15_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const outcome: BulkOutcome<R> = {
    created: 0,
    updated: 0,
    deleted: 0,
    notFound: 0,
    stale: 0,
    failures: [],
    retries: 0,
  };
  let settled = 0;
  let fatal: unknown;
  const inFlight = new Set<Promise<void>>();

  async function send(batch: BulkItem<R>[]): Promise<void> {
    let pending = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) {
        outcome.retries += pending.length;
        await sleep(backoffMs(attempt - 1, baseDelay, maxDelay));
      }
      const last = attempt + 1 >= maxAttempts;
      let response: estypes.BulkResponse;
      try {
        // `body`, the raw NDJSON (its type is not in the client's request types), where
        // `operations` would be serialised by the client.
        const request = { body: concat(pending.map((i) => i.body)), filter_path: ITEM_OUTCOME };
        response = await client.bulk(request as unknown as estypes.BulkRequest, {
          requestTimeout: opts.requestTimeoutMs ?? 120_000,
          maxRetries: 0,
        });
      } catch (e) {
        const status = statusOf(e);
        const retryable =
          status === undefined ? toSearchError(e, "bulk").retryable : isRetryableStatus(status);
        if (retryable && !last) continue;
        throw toSearchError(e, `bulk request (${pending.length} items, attempt ${attempt + 1})`);
      }
      // Results are matched to items by position: an answer with another count (cut short by
      // a proxy) cannot say which items were written, and none may pass for written unseen.
      if (response.items.length !== pending.length) {
        throw new SearchUnavailableError(
          `bulk answer holds ${response.items.length} results for ${pending.length} items`,
          false,
        );
      }
      const again: BulkItem<R>[] = [];
      response.items.forEach((entry, i) => {
        const item = pending[i] as BulkItem<R>;
        const r = entry.index ?? entry.delete ?? entry.create ?? entry.update;
        const status = r?.status ?? 0;
        if (status >= 200 && status < 300) {
          if (r?.result === "created") outcome.created++;
          else if (r?.result === "updated") outcome.updated++;
          else if (r?.result === "deleted") outcome.deleted++;
          else outcome.notFound++;
        } else if (status === 404 && entry.delete) {
          outcome.notFound++;
        } else if (status === 409) {
          outcome.stale++;
        } else if (isRetryableStatus(status) && !last) {
          again.push(item);
        } else {
          outcome.failures.push({
            ref: item.ref,
            status,
            reason: `${r?.error?.type ?? "error"}: ${r?.error?.reason ?? "no reason given"}`,
          });
        }
      });
      settled += pending.length - again.length;
      pending = again;
    }
    opts.onProgress?.(settled, outcome);
  }

  function launch(batch: BulkItem<R>[]): void {
    const p: Promise<void> = send(batch)
      .catch((e: unknown) => {
        fatal ??= e;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }

  let batch: BulkItem<R>[] = [];
  let bytes = 0;
  for await (const item of items) {
    if (fatal) break;
    batch.push(item);
    bytes += item.bytes;
    if (batch.length >= batchDocs || bytes >= batchBytes) {
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      if (fatal) break;
      launch(batch);
      batch = [];
      bytes = 0;
    }
  }
  if (!fatal && batch.length > 0) launch(batch);
  await Promise.all(inFlight);
  if (fatal) throw fatal;
  return outcome;
}
