// The one non-cryptographic hash of the code base, synchronous and identical on Node and
// workerd (no node:crypto): fingerprints (ranking version, snapshot catalog), the daily
// rotation seed and partner hashes all use it.

/** cyrb53: a fast 53-bit string hash. */
export function hash53(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  return finish53(h1, h2);
}

function finish53(a: number, b: number): number {
  const h1 = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  const h2 = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** hash53 as 14 hex digits, for fingerprints shown to people. */
export function hashHex(s: string): string {
  return hash53(s).toString(16).padStart(14, "0");
}

/**
 * hashHex of the parts joined, without joining them: a JS string holds at most ~2^29 UTF-16
 * units, and a million profiles' JSON is more than that.
 */
export function hashHexOfParts(parts: Iterable<string>): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const s of parts) {
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ ch, 2654435761);
      h2 = Math.imul(h2 ^ ch, 1597334677);
    }
  }
  return finish53(h1, h2).toString(16).padStart(14, "0");
}

/**
 * murmur3's 32-bit finaliser: every input bit flips about half the output bits. Combines two
 * hashes already computed (a partner's and a request's) without hashing a string per row.
 */
export function mix32(h: number): number {
  let x = h | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const keys = Object.keys(v).sort();
    return `{${keys
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/**
 * A 64-bit checksum of a byte array whose length is a multiple of 8 (the binary snapshot's
 * body): two murmur3-style lanes over 32-bit words. Not cryptographic; it catches damage and
 * truncation at ~5 ms per 17 MB in JS, where SHA-256 through Web Crypto cost ~100 ms of CPU.
 */
export function checksum64(bytes: Uint8Array): string {
  if (bytes.byteLength % 8 !== 0 || bytes.byteOffset % 4 !== 0) {
    throw new Error("checksum64 needs 4-aligned bytes, a multiple of 8 long");
  }
  const w = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
  const h = Int32Array.of(0x9e3779b9 ^ bytes.byteLength, 0x85ebca6b);
  // In 16 KiB blocks: a small function called often is optimised after a few calls, where one
  // long loop waits for on-stack replacement and ran ~10x slower on a cold start. 16 KiB rather
  // than 64: V8 gives a function its feedback only after several calls, and until then runs it
  // unoptimised; on 10.6 MiB in a fresh workerd isolate, 64 KiB blocks took ~22 ms, 8-32 KiB
  // ~16 ms (the sum is the same: the state carries across blocks).
  for (let at = 0; at < w.length; at += BLOCK_WORDS)
    sumBlock(w, at, Math.min(w.length, at + BLOCK_WORDS), h);
  const [h1, h2] = h as unknown as [number, number];
  return (
    (mix32(h1 ^ h2) >>> 0).toString(16).padStart(8, "0") +
    (mix32(h2 + h1) >>> 0).toString(16).padStart(8, "0")
  );
}

const BLOCK_WORDS = 4_096;

function sumBlock(w: Uint32Array, from: number, to: number, h: Int32Array): void {
  let h1 = h[0] as number;
  let h2 = h[1] as number;
  for (let i = from; i < to; i += 2) {
    h1 = Math.imul(h1 ^ (w[i] as number), 0xcc9e2d51);
    h1 = (Math.imul((h1 << 15) | (h1 >>> 17), 5) + 0xe6546b64) | 0;
    h2 = Math.imul(h2 ^ (w[i + 1] as number), 0x1b873593);
    h2 = (Math.imul((h2 << 13) | (h2 >>> 19), 5) + 0x561ccd1b) | 0;
  }
  h[0] = h1;
  h[1] = h2;
}
