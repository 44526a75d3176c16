// Serialized public answers, kept per normalized query for as long as the index generation they
// were computed on is current. Repeated searches (the directory's first pages, a shared link)
// then cost a map lookup instead of a query, the projection and JSON.stringify; and their ETag
// comes from the key and the generation instead of hashing the body. Any apply moves the
// generation on and so drops every entry: an answer is never older than the data it came from.
import { hashHex } from "../lib/hash.js";

export interface CachedAnswer {
  json: string;
  etag: string;
}

export const DEFAULT_ANSWER_CACHE_BYTES = 32 * 1024 * 1024;

/** Distinguishes this process's generations from another's (a restart starts again at 1). */
const BOOT = Date.now().toString(36);

export class AnswerCache {
  /** In use order, least recent first (a Map iterates in insertion order). */
  private readonly entries = new Map<string, CachedAnswer>();
  private generation: number | undefined;
  private bytes = 0;

  constructor(private readonly maxBytes = DEFAULT_ANSWER_CACHE_BYTES) {}

  get(key: string, generation: number): CachedAnswer | undefined {
    this.moveTo(generation);
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** Stores an answer computed on `generation` (when that is still current) and returns it. */
  set(key: string, generation: number, json: string): CachedAnswer {
    const answer = { json, etag: `"${BOOT}.${generation}.${hashHex(key)}"` };
    this.moveTo(generation);
    if (generation !== this.generation || json.length > this.maxBytes) return answer;
    const old = this.entries.get(key);
    if (old) this.bytes -= old.json.length;
    this.entries.delete(key);
    this.entries.set(key, answer);
    this.bytes += json.length;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= v.json.length;
    }
    return answer;
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
