// The binary snapshot ("partner-index"): the BUILT index of a feed, so the Worker's first
// request and Node's start map it instead of parsing 10^4-10^5 profiles and indexing them.
//
//   bytes 0-3  "PMIX"           magic, told apart from the gzipped NDJSON snapshot (format.ts)
//   bytes 4-7  header length H  u32 little-endian
//   8 .. 8+H   header JSON      format, version, fingerprints, checksum of the body, shape place
//   8+H ..     body             8-aligned raw little-endian sections + the shape JSON
//
// Profiles are stored as the engine holds them, as columns (src/search/memory/profile-store.ts):
// typed-array sections viewed in place, so nothing is parsed at load and a profile is built
// when a query first returns it. A header naming another catalog or policy does not get its
// index trusted: the profiles are re-indexed (and, for another catalog, re-validated) as the
// NDJSON snapshot's are.
import { z } from "zod";
import type { Catalog } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { checksum64, hashHex, hashHexOfParts } from "../../lib/hash.js";
import { describeIssues } from "../../lib/zod-issues.js";
import { createFeedParser, type FeedReject } from "../../partner/feed.js";
import type { Profile } from "../../partner/schema.js";
import { type BuiltIndex, buildIndex } from "../memory/built-index.js";
import { MemoryBackend } from "../memory/memory-backend.js";
import { ProfileStore, type StoreColumns } from "../memory/profile-store.js";
import { catalogFingerprint, SnapshotError } from "./format.js";
import { ALIGN, decodeIndex, decodeValue, encodeIndex, SectionWriter } from "./index-codec.js";

export const INDEX_FORMAT = "partner-index";
/**
 * 1: first binary version, profiles as JSON text. 2: profiles as columns. 3: `updatedAt` among
 * a profile's texts, no longer an interned string; texts coded with a dictionary. 4: postings'
 * doc ids as 16-bit lows in per-term segments (src/search/memory/postings.ts). Bump on any
 * change to the shape or the sections' meaning.
 */
export const INDEX_VERSION = 4;
const MAGIC = [0x50, 0x4d, 0x49, 0x58]; // "PMIX"

const HeaderSchema = z.object({
  format: z.literal(INDEX_FORMAT),
  version: z.number().int(),
  builtAt: z.string(),
  /** As the NDJSON snapshot's: a hash of the profile lines, equal for equal data. */
  dataVersion: z.string(),
  source: z.string(),
  catalogFingerprint: z.string(),
  /** The index's scores and orders follow the market policy, so it must match too. */
  policyFingerprint: z.string(),
  count: z.number().int().min(0),
  bodyBytes: z.number().int().min(0),
  /** checksum64 (src/lib/hash.ts) of the body, hex. */
  checksum: z.string(),
  /** Where in the body the shape JSON is. */
  shape: z.object({ offset: z.number().int().min(0), length: z.number().int().min(0) }),
});
export type IndexHeader = z.output<typeof HeaderSchema>;

export function policyFingerprint(policy: MarketPolicy): string {
  const text = JSON.stringify(policy.data);
  return `h53-${hashHex(text)}-${text.length}`;
}

export function isIndexFile(bytes: Uint8Array): boolean {
  return MAGIC.every((b, i) => bytes[i] === b);
}

function* jsonLines(profiles: readonly Profile[]): Generator<string> {
  for (const p of profiles) yield `${JSON.stringify(p)}\n`;
}

const sortById = (profiles: readonly Profile[]) =>
  [...profiles].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Builds the index of `profiles` and writes it with them as one file. */
export function encodeIndexFile(
  profiles: readonly Profile[],
  catalog: Catalog,
  policy: MarketPolicy,
  meta: { source: string; builtAt: Date },
): Uint8Array {
  const sorted = sortById(profiles);
  const w = new SectionWriter();
  const utf8 = new TextEncoder();
  const ix = buildIndex({ profiles: sorted, catalog, policy });
  if (!ix.store) throw new Error("a base index holds its profiles as columns");
  const shape = { index: encodeIndex(ix, w), profiles: w.encode(ix.store.codedColumns()) };
  const shapeBytes = utf8.encode(JSON.stringify(shape));
  const shapeAt = w.add(shapeBytes);
  const body = concat(w.chunks, w.size);
  const header: IndexHeader = {
    format: INDEX_FORMAT,
    version: INDEX_VERSION,
    builtAt: meta.builtAt.toISOString(),
    // The NDJSON snapshot's formula, so the same data has the same version in either format.
    dataVersion: `d-${hashHexOfParts(jsonLines(sorted))}-${sorted.length}`,
    source: meta.source,
    catalogFingerprint: catalogFingerprint(catalog),
    policyFingerprint: policyFingerprint(policy),
    count: sorted.length,
    bodyBytes: body.byteLength,
    checksum: checksum64(body),
    shape: { offset: shapeAt, length: shapeBytes.byteLength },
  };
  let headerText = JSON.stringify(header);
  // Padded with spaces so the body starts 8-aligned, as its sections' views need.
  headerText += " ".repeat((ALIGN - ((8 + utf8.encode(headerText).byteLength) % ALIGN)) % ALIGN);
  const headerBytes = utf8.encode(headerText);
  const out = new Uint8Array(8 + headerBytes.byteLength + body.byteLength);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(4, headerBytes.byteLength, true);
  out.set(headerBytes, 8);
  out.set(body, 8 + headerBytes.byteLength);
  return out;
}

export interface DecodedIndexFile {
  header: IndexHeader;
  /** The index as stored; absent when the catalog or policy differ (then use `profiles`). */
  index?: BuiltIndex;
  /** Only without `index`: every profile, re-validated when the catalog differs. */
  profiles?: Profile[];
  catalogMatched: boolean;
  policyMatched: boolean;
  rejects: FeedReject[];
  /** Time spent on the checksum (part of the decode). */
  checksumMs: number;
}

export interface DecodeOptions {
  catalog: Catalog;
  policy: MarketPolicy;
}

/** Checks and opens a binary snapshot; refuses a damaged file or another version. */
export function decodeIndexFile(bytes: Uint8Array, opts: DecodeOptions): DecodedIndexFile {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new SnapshotError("the binary snapshot needs a little-endian platform");
  }
  if (!isIndexFile(bytes)) throw new SnapshotError(`not a ${INDEX_FORMAT} file (no PMIX magic)`);
  // Views need 8-aligned sections: a file read into a shared pool (Node) may start anywhere.
  const file = bytes.byteOffset % ALIGN === 0 ? bytes : bytes.slice();
  const headerLength = new DataView(file.buffer, file.byteOffset).getUint32(4, true);
  if (8 + headerLength > file.byteLength) throw new SnapshotError("truncated: header cut short");
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + headerLength)));
  } catch (e) {
    throw new SnapshotError(`the header is not valid JSON: ${(e as Error).message}`);
  }
  const r = HeaderSchema.safeParse(raw);
  if (!r.success) {
    throw new SnapshotError(
      `not a ${INDEX_FORMAT} header (${describeIssues(r.error.issues.slice(0, 1))}); rebuild it with npm run build:snapshot`,
    );
  }
  const header = r.data;
  if (header.version !== INDEX_VERSION) {
    throw new SnapshotError(
      `${INDEX_FORMAT} version ${header.version}, this build reads version ${INDEX_VERSION}; rebuild it with npm run build:snapshot`,
    );
  }
  const body = file.subarray(8 + headerLength);
  if (body.byteLength !== header.bodyBytes) {
    throw new SnapshotError(
      `truncated: the header says ${header.bodyBytes} body bytes, found ${body.byteLength}`,
    );
  }
  const t0 = performance.now();
  const sum = checksum64(body);
  const checksumMs = performance.now() - t0;
  if (sum !== header.checksum) {
    throw new SnapshotError(
      `checksum mismatch: the header says ${header.checksum}, the body sums to ${sum}; the file is damaged`,
    );
  }
  const { offset, length } = header.shape;
  const shape = JSON.parse(new TextDecoder().decode(body.subarray(offset, offset + length))) as {
    index: unknown;
    profiles: unknown;
  };
  let store: ProfileStore;
  try {
    store = new ProfileStore(decodeValue(shape.profiles, body) as StoreColumns);
  } catch (e) {
    throw new SnapshotError(`the profile columns are damaged: ${(e as Error).message}`);
  }
  if (store.n !== header.count) {
    throw new SnapshotError(
      `the header says ${header.count} profiles, the columns hold ${store.n}`,
    );
  }
  const catalogMatched = header.catalogFingerprint === catalogFingerprint(opts.catalog);
  const policyMatched = header.policyFingerprint === policyFingerprint(opts.policy);
  const common = { header, catalogMatched, policyMatched, checksumMs };
  if (!catalogMatched || !policyMatched) {
    // Another catalog or policy: the stored index may hold codes or scores it would not make.
    const { profiles, rejects } = reread(store, catalogMatched ? undefined : opts.catalog);
    return { ...common, profiles, rejects };
  }
  let index: BuiltIndex;
  try {
    index = decodeIndex(shape.index, body, opts.policy, store);
  } catch (e) {
    throw new SnapshotError(`the index is damaged: ${(e as Error).message}`);
  }
  return { ...common, index, rejects: [] };
}

/** Every profile, through the feed parser when the catalog differs (as format.ts does). */
function reread(
  store: ProfileStore,
  catalog: Catalog | undefined,
): { profiles: Profile[]; rejects: FeedReject[] } {
  const profiles: Profile[] = [];
  const rejects: FeedReject[] = [];
  const parser = catalog ? createFeedParser(catalog) : undefined;
  for (let d = 0; d < store.n; d++) {
    const p = store.profileAt(d);
    if (!parser) {
      profiles.push(p);
      continue;
    }
    const parsed = parser.parseLine(JSON.stringify(p), d + 1);
    if (parsed.entry?.kind === "upsert") profiles.push(parsed.entry.profile);
    rejects.push(...parsed.rejects);
  }
  return { profiles, rejects };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * A MemoryBackend from a binary snapshot's bytes: on its stored index when the catalog and
 * policy match, else indexed from its (re-validated) profiles.
 */
export function memoryFromIndexFile(
  bytes: Uint8Array,
  opts: DecodeOptions,
): { memory: MemoryBackend; decoded: DecodedIndexFile } {
  const decoded = decodeIndexFile(bytes, opts);
  if (decoded.index) {
    return { memory: MemoryBackend.fromIndex(decoded.index, opts.catalog, opts.policy), decoded };
  }
  const memory = new MemoryBackend(opts.catalog, opts.policy);
  memory.applySync((decoded.profiles ?? []).map((profile) => ({ kind: "upsert", profile })));
  return { memory, decoded };
}
