// Serialized public answers, kept per normalized query for as long as the index generation they
// were computed on is current. Repeated searches (the directory's first pages, a shared link)
// then cost a map lookup instead of a query, the projection, JSON.stringify and a SHA-1 of the
// body for its ETag: the tag is computed once per entry. It stays the body's SHA-1, not a name
// of the process or generation, so every process and isolate serving the same data gives the
// same tag and a client's If-None-Match holds wherever it lands. Any apply moves the generation
// on and so drops every entry: an answer is never older than the data it came from.

export interface CachedAnswer {
  json: string;
  /** Absent for a body hono/etag digests in chunks (over 256 KiB): it then tags the answer. */
  etag?: string;
}

export const DEFAULT_ANSWER_CACHE_BYTES = 32 * 1024 * 1024;

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
  async set(key: string, generation: number, json: string): Promise<CachedAnswer> {
    const bytes = new TextEncoder().encode(json);
    const answer: CachedAnswer =
      bytes.byteLength <= HONO_DIGEST_CHUNK ? { json, etag: await sha1Tag(bytes) } : { json };
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

/**
 * hono/etag hashes a body up to this size in one SHA-1; a larger one in chained chunks, which
 * is left to it so that both paths give one answer the same tag.
 */
const HONO_DIGEST_CHUNK = 262_144;

/** The strong ETag hono/etag gives these bytes (up to HONO_DIGEST_CHUNK): hex SHA-1, quoted. */
async function sha1Tag(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", bytes);
  return `"${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
}
