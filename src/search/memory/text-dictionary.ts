// The profiles' free text, written smaller for a snapshot: its most frequent words (and the
// space after one) as two-byte codes into a dictionary, everything else as the UTF-8 it was.
// Profile text repeats itself (service names, "marketing ", "https", "example"): on the 100k
// sample the text took 30 MB as UTF-8 and 12 MB coded, the largest part of a loaded snapshot.
// Codes start with a byte UTF-8 never uses (0xF5..0xFF), so plain text needs no escaping and
// a text with no code in it decodes as it is. Reading a coded text copies its bytes out with
// the words put back; that is all the decoding there is, so it runs wherever TextDecoder does.

/** Dictionary entry i is bytes[ends[i-1] .. ends[i]] (from 0 for i = 0). */
export interface TextDictionary {
  bytes: Uint8Array;
  ends: Uint32Array;
}

const FIRST_LEAD = 0xf5;
/** 11 lead bytes x 256: the codes there are. */
export const MAX_ENTRIES = (0x100 - FIRST_LEAD) * 256;
/** A code takes two bytes, so a word is worth an entry only if longer. */
const CODE_BYTES = 2;
/**
 * Longer runs are left as they are: a run of text without spaces (Japanese, a URL) is a single
 * "word" here and seldom repeats whole.
 */
const MAX_WORD = 64;

const codable = (from: number, to: number) => to - from > CODE_BYTES && to - from <= MAX_WORD;

const isWordByte = (b: number) =>
  (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b >= 0x80;

/**
 * Calls `token(from, to)` for each token of `bytes[start..end)`: a run of letters and digits
 * (any non-ASCII byte counts as a letter, so a UTF-8 character is never split) with the one
 * space after it, or any other single byte.
 */
function tokens(
  bytes: Uint8Array,
  start: number,
  end: number,
  token: (from: number, to: number) => void,
): void {
  let i = start;
  while (i < end) {
    const from = i;
    if (isWordByte(bytes[i] as number)) {
      while (i < end && isWordByte(bytes[i] as number)) i++;
      if (i < end && bytes[i] === 0x20) i++;
    } else {
      i++;
    }
    token(from, i);
  }
}

const keyOf = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode.apply(null, bytes.subarray(from, to) as unknown as number[]);

/**
 * The texts (entry i is bytes[ends[i-1] .. ends[i]]) with their most frequent words coded, and
 * the dictionary that reads them; the texts as they were, without a dictionary, when coding
 * would not save a byte.
 */
export function codeTexts(
  bytes: Uint8Array,
  ends: Uint32Array,
): { bytes: Uint8Array; ends: Uint32Array; dictionary?: TextDictionary } {
  const counts = new Map<string, number>();
  const eachToken = (f: (from: number, to: number) => void, entryDone?: (e: number) => void) => {
    let start = 0;
    for (let e = 0; e < ends.length; e++) {
      const end = ends[e] as number;
      tokens(bytes, start, end, f);
      entryDone?.(e);
      start = end;
    }
  };
  eachToken((from, to) => {
    if (!codable(from, to)) return;
    const k = keyOf(bytes, from, to);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  });
  // Ranked by the bytes an entry saves over all its uses, less its own size in the dictionary.
  const chosen = [...counts]
    .map(([k, n]) => ({ k, gain: n * (k.length - CODE_BYTES) - k.length }))
    .filter((x) => x.gain > 0)
    .sort((a, b) => b.gain - a.gain || (a.k < b.k ? -1 : 1))
    .slice(0, MAX_ENTRIES);
  if (chosen.length === 0) return { bytes, ends };
  const code = new Map(chosen.map((x, i) => [x.k, i]));
  const dictEnds = new Uint32Array(chosen.length);
  const dictBytes = new Uint8Array(chosen.reduce((n, x) => n + x.k.length, 0));
  let at = 0;
  chosen.forEach((x, i) => {
    for (let j = 0; j < x.k.length; j++) dictBytes[at++] = x.k.charCodeAt(j);
    dictEnds[i] = at;
  });
  const out = new Uint8Array(bytes.length);
  const outEnds = new Uint32Array(ends.length);
  let o = 0;
  eachToken(
    (from, to) => {
      const c = codable(from, to) ? code.get(keyOf(bytes, from, to)) : undefined;
      if (c === undefined) {
        out.set(bytes.subarray(from, to), o);
        o += to - from;
      } else {
        out[o++] = FIRST_LEAD + (c >> 8);
        out[o++] = c & 0xff;
      }
    },
    (e) => {
      outEnds[e] = o;
    },
  );
  return {
    bytes: out.slice(0, o),
    ends: outEnds,
    dictionary: { bytes: dictBytes, ends: dictEnds },
  };
}

/** Reads coded texts back to their UTF-8 bytes, in a buffer it reuses. */
export class TextReader {
  private buf: Uint8Array = new Uint8Array(1024);

  constructor(private readonly dictionary: TextDictionary) {}

  /** The UTF-8 of coded `bytes[start..end)`; valid until the next call. */
  read(bytes: Uint8Array, start: number, end: number): Uint8Array {
    const { bytes: dict, ends } = this.dictionary;
    let out = this.buf;
    let o = 0;
    let i = start;
    while (i < end) {
      const b = bytes[i] as number;
      // Byte by byte, not through subarray views: the pieces are a few bytes each, and a view
      // per piece cost more than the copying.
      if (b < FIRST_LEAD) {
        if (o === out.length) out = this.grow(o + 1);
        out[o++] = b;
        i++;
        continue;
      }
      const c = ((b - FIRST_LEAD) << 8) | (bytes[i + 1] as number);
      i += 2;
      if (c >= ends.length) throw new Error(`text code ${c} is not in the dictionary`);
      const to = ends[c] as number;
      let from = c > 0 ? (ends[c - 1] as number) : 0;
      if (o + (to - from) > out.length) out = this.grow(o + (to - from));
      while (from < to) out[o++] = dict[from++] as number;
    }
    return out.subarray(0, o);
  }

  private grow(need: number): Uint8Array {
    const next = new Uint8Array(Math.max(this.buf.length * 2, need));
    next.set(this.buf);
    this.buf = next;
    return next;
  }
}
