// The built index as bytes: every typed array becomes a raw little-endian section and the rest
// (strings, numbers, maps, nesting) a JSON "shape" that points at the sections. Decoding makes
// typed-array views over the file's own buffer (no copy) and rebuilds the text index through
// its constructor from its inputs, so anything the constructor derives is derived afresh and a
// change to what it derives needs no change here. Profiles are stored by index-file.ts.
import type { MarketPolicy } from "../../catalog/policy.js";
import { BitsetPool } from "../memory/bitset.js";
import { type BuiltIndex, profilesOf } from "../memory/built-index.js";
import type { ProfileStore } from "../memory/profile-store.js";
import { type FieldIndex, TextIndex } from "../memory/text-index.js";

type Typed =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

const TYPED = {
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedName = keyof typeof TYPED;

/** Sections start at multiples of 8, so a Float64Array view over the file is aligned. */
export const ALIGN = 8;

/**
 * Collects sections; the same array seen twice (a facet's bitset in `bits` and `byValue`) once,
 * and arrays of equal bytes once too: a facet's per-doc offsets equal the profile list's they
 * come from (2.9 MB of a 100k snapshot), and decoding views the one copy for both.
 */
export class SectionWriter {
  readonly chunks: Uint8Array[] = [];
  size = 0;
  private readonly seen = new Map<ArrayBufferView, unknown>();
  /** Written sections by a checksum of their bytes, compared in full on a match. */
  private readonly byContent = new Map<string, { at: number; bytes: Uint8Array }[]>();

  /** Adds raw bytes, or finds the same bytes added before; returns their offset in the body. */
  private addOnce(bytes: Uint8Array): number {
    const key = `${bytes.byteLength}:${fnv1a(bytes)}`;
    const same = this.byContent.get(key);
    const found = same?.find((x) => equalBytes(x.bytes, bytes));
    if (found) return found.at;
    const at = this.add(bytes);
    if (same) same.push({ at, bytes });
    else this.byContent.set(key, [{ at, bytes }]);
    return at;
  }

  /** Adds raw bytes; returns their offset in the body. */
  add(bytes: Uint8Array): number {
    const at = this.size;
    this.chunks.push(bytes);
    this.size += bytes.byteLength;
    const pad = (ALIGN - (this.size % ALIGN)) % ALIGN;
    if (pad > 0) {
      this.chunks.push(new Uint8Array(pad));
      this.size += pad;
    }
    return at;
  }

  /** A JSON-able stand-in for `v`, its typed arrays written as sections. */
  encode(v: unknown): unknown {
    if (v === null || typeof v === "string" || typeof v === "boolean") return v;
    if (typeof v === "number") {
      // JSON has no NaN or Infinity: fail the build rather than load a 0 or null later.
      if (!Number.isFinite(v)) throw new Error(`cannot store the number ${v}`);
      return v;
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const held = this.seen.get(v);
      if (held) return held;
      const name = v.constructor.name;
      if (!(name in TYPED)) throw new Error(`cannot store a ${name}`);
      const t = v as Typed;
      const ref = {
        $a: name,
        o: this.addOnce(new Uint8Array(t.buffer, t.byteOffset, t.byteLength)),
        n: t.length,
      };
      this.seen.set(v, ref);
      return ref;
    }
    if (v instanceof Map) return { $m: [...v].map(([k, x]) => [this.encode(k), this.encode(x)]) };
    if (Array.isArray(v)) return v.map((x) => this.encode(x));
    if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as object)) {
        if (k.startsWith("$")) throw new Error(`cannot store the key ${k}`);
        if (x !== undefined) out[k] = this.encode(x);
      }
      return out;
    }
    throw new Error(`cannot store a ${typeof v === "object" ? v?.constructor.name : typeof v}`);
  }
}

/** A bucket for content equality, which equalBytes then decides. */
function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.byteLength; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
  return h >>> 0;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Turns a shape back into values, typed arrays as views over `body` (8-aligned). */
export function decodeValue(v: unknown, body: Uint8Array) {
  // Keyed by place, type and length: an empty array takes no bytes, so shares its offset.
  const views = new Map<string, Typed>();
  const walk = (x: unknown): unknown => {
    if (x === null || typeof x !== "object") return x;
    if (Array.isArray(x)) return x.map(walk);
    const o = x as Record<string, unknown>;
    if (typeof o.$a === "string") {
      const at = o.o as number;
      const key = `${at}:${o.$a}:${o.n}`;
      const held = views.get(key);
      if (held) return held;
      const Ctor = TYPED[o.$a as TypedName];
      const n = o.n as number;
      if (!Ctor || !Number.isInteger(at) || at + n * Ctor.BYTES_PER_ELEMENT > body.byteLength) {
        throw new Error(`a section (${o.$a} at ${at}) lies outside the file`);
      }
      const view = new Ctor(body.buffer as ArrayBuffer, body.byteOffset + at, n);
      views.set(key, view);
      return view;
    }
    if (Array.isArray(o.$m))
      return new Map((o.$m as unknown[][]).map(([k, y]) => [walk(k), walk(y)]));
    const out: Record<string, unknown> = {};
    for (const [k, y] of Object.entries(o)) out[k] = walk(y);
    return out;
  };
  return walk(v);
}

/** What the shape holds for the text index: its constructor's inputs, term maps as lists. */
interface StoredField extends Omit<FieldIndex, "postings"> {
  postings: Omit<FieldIndex["postings"], "slot"> & { terms: string[] };
}

/** Writes an index's sections; returns its shape. Profiles and scratch space are left out. */
export function encodeIndex(ix: BuiltIndex, w: SectionWriter): unknown {
  const {
    profileAt: _p,
    idAt: _i,
    versionAt: _v,
    nameKeyAt: _n,
    store: _c,
    scratchScores: _s,
    scratchKm: _k,
    scratchBits: _b,
    text,
    ...rest
  } = ix;
  const fields: StoredField[] = text.parts().map(({ postings, ...f }) => {
    const { slot, ...packed } = postings;
    // Slots are numbered in insertion order, so the terms in map order give them back.
    [...slot.values()].forEach((s, i) => {
      if (s !== i) throw new Error("text postings slots are not in insertion order");
    });
    return { ...f, postings: { ...packed, terms: [...slot.keys()] } };
  });
  return w.encode({ ...rest, text: fields });
}

/** Rebuilds an index from its shape; its profiles' columns come from the caller (index-file.ts). */
export function decodeIndex(
  shape: unknown,
  body: Uint8Array,
  policy: MarketPolicy,
  store: ProfileStore,
): BuiltIndex {
  const { text, ...rest } = decodeValue(shape, body) as Omit<
    BuiltIndex,
    | "text"
    | "profileAt"
    | "idAt"
    | "versionAt"
    | "nameKeyAt"
    | "store"
    | "scratchScores"
    | "scratchKm"
    | "scratchBits"
  > & { text: StoredField[] };
  if (rest.n !== store.n) {
    throw new Error(`the index has ${rest.n} docs, the profile columns ${store.n}`);
  }
  const fields: FieldIndex[] = text.map(({ postings: { terms, ...packed }, ...f }) => ({
    ...f,
    postings: { ...packed, slot: new Map(terms.map((t, i) => [t, i])) },
  }));
  return {
    ...rest,
    ...profilesOf(store),
    text: new TextIndex(rest.n, fields, policy.data.directory.text),
    scratchScores: new Float64Array(rest.n),
    scratchKm: new Float64Array(rest.n),
    scratchBits: new BitsetPool(rest.n),
  };
}
