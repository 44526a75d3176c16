// Serialized public answers, kept per normalized query for as long as the index generation they
// were computed on is current. Repeated searches (the directory's first pages, a shared link)
// then cost a map lookup instead of a query, the projection, JSON.stringify and a SHA-1 of the
// body for its ETag: the tag is computed once per entry. It stays the body's SHA-1, not a name
// of the process or generation, so every process and isolate serving the same data gives the
// same tag and a client's If-None-Match holds wherever it lands. Any apply moves the generation
// on and so drops every entry: an answer is never older than the data it came from.
// A key's first answer is not kept, only remembered as asked: its second request keeps it.
// An entry keeps the body as UTF-8 bytes, not the string (a hit is written out without encoding
// it again, and the string is not held twice) and, filled on the first request that accepts
// each, its compressed bytes per content coding (so a hit is never compressed twice).

import { touch } from "../lib/recent.js";

/**
 * A body's compressed bytes in one content coding; sync (node:zlib) or not (CompressionStream).
 * `once` is true for an answer that is not kept: compressed for one response, where a faster
 * level pays and a kept answer's smaller bytes would not.
 */
export type BodyEncoder = (bytes: Uint8Array, once?: boolean) => Uint8Array | Promise<Uint8Array>;

/** Content codings the answer cache can keep, by name; Node gives node:zlib's (with brotli). */
export type BodyEncoders = Partial<Record<"gzip" | "br", BodyEncoder>>;

/** Hex SHA-1 of bytes; sync where the runtime has it (node:crypto), else Web Crypto's. */
export type Sha1Hex = (bytes: Uint8Array) => string | Promise<string>;

export interface CachedAnswer {
  /** The JSON body as UTF-8, encoded once. */
  bytes: Uint8Array;
  /** Absent for a body hono/etag digests in chunks (over 256 KiB): it then tags the answer. */
  etag?: string;
  /** Set for an answer served once and not kept: compressed at the faster level. */
  once?: true;
  /** Compressed `bytes` by content coding ("gzip", "br"), filled lazily by the compressor. */
  encoded?: Map<string, Uint8Array | Promise<Uint8Array>>;
}

export const DEFAULT_ANSWER_CACHE_BYTES = 32 * 1024 * 1024;

/**
 * An answer is kept from its key's second request on, and the keys asked once are remembered
 * up to this many. Kept on first sight, every one-off query (a deep page, an odd filter) pushed
 * a repeated one out, and filling and evicting megabytes of answers no one asks again cost the
 * garbage collector pauses (a 6-15 ms mark-compact about every second): with all-distinct
 * queries at 10k, the p99 went from 9.2-13.8 ms to 7.6-9.8 ms (3 runs each, same machine).
 */
const SEEN_KEYS = 8192;

export class AnswerCache {
  /** In use order, least recent first (a Map iterates in insertion order). */
  private readonly entries = new Map<string, CachedAnswer>();
  /** Keys answered once and not kept, oldest first; across generations, as asking recurs. */
  private readonly seen = new Set<string>();
  private generation: number | undefined;
  private bytes = 0;

  constructor(
    private readonly maxBytes = DEFAULT_ANSWER_CACHE_BYTES,
    private readonly sha1Hex: Sha1Hex = webSha1Hex,
  ) {}

  get(key: string, generation: number): CachedAnswer | undefined {
    this.moveTo(generation);
    return touch(this.entries, key);
  }

  /**
   * Stores an answer computed on `generation` (when that is still current) and returns it; a
   * key's first answer is served once and only remembered as asked (see SEEN_KEYS).
   */
  async set(key: string, generation: number, body: Uint8Array): Promise<CachedAnswer> {
    const answer = await this.answerOf(body);
    this.moveTo(generation);
    if (generation !== this.generation || answer.bytes.byteLength > this.maxBytes) return answer;
    if (!this.seen.delete(key)) {
      if (this.seen.size >= SEEN_KEYS) this.seen.delete(this.seen.values().next().value as string);
      this.seen.add(key);
      return { ...answer, once: true };
    }
    const old = this.entries.get(key);
    if (old) this.bytes -= sizeOf(old);
    this.entries.delete(key);
    this.entries.set(key, answer);
    this.bytes += sizeOf(answer);
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= sizeOf(v);
    }
    return answer;
  }

  /** An answer as served (its UTF-8 JSON body, tag), whether or not it is kept. */
  async answerOf(bytes: Uint8Array): Promise<CachedAnswer> {
    return bytes.byteLength <= HONO_DIGEST_CHUNK
      ? { bytes, etag: `"${await this.sha1Hex(bytes)}"` }
      : { bytes };
  }

  get size(): number {
    return this.entries.size;
  }

  private moveTo(generation: number): void {
    if (this.generation !== undefined && generation <= this.generation) return;
    this.entries.clear();
    this.bytes = 0;
    this.generation = generation;
  }
}

/**
 * What an entry weighs against the budget: its bytes; compressed copies are a fraction of that
 * and come and go with the entry.
 */
const sizeOf = (a: CachedAnswer) => a.bytes.byteLength;

/**
 * hono/etag hashes a body up to this size in one SHA-1; a larger one in chained chunks, which
 * is left to it so that both paths give one answer the same tag.
 */
const HONO_DIGEST_CHUNK = 262_144;

/** The hex SHA-1 hono/etag would put in quotes for these bytes (up to HONO_DIGEST_CHUNK). */
async function webSha1Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
