// The partner snapshot: a feed already parsed and validated by the real feed parser, stored as
// gzipped NDJSON (a header line, then one profile per line) so the edge loads 10k profiles with
// a JSON.parse per line instead of a zod pass per profile. Lines are decoded in ~1 MB batches
// from the inflated bytes, so no string as large as the file (12 MB of UTF-8, twice that as a
// two-byte JS string) ever exists: that keeps the isolate's peak memory low during the load.
// The catalog the profiles were validated against is fingerprinted: a Worker running with
// another catalog re-validates every profile rather than trusting codes it does not know.
import { z } from "zod";
import type { Catalog } from "../../catalog/catalog.js";
import { type FeedReject, formatPath } from "../../partner/feed.js";
import { createProfileSchemas, type Profile } from "../../partner/schema.js";

export const SNAPSHOT_FORMAT = "partner-snapshot";
export const SNAPSHOT_VERSION = 1;

const HeaderSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.literal(SNAPSHOT_VERSION),
  builtAt: z.string(),
  /** Where the feed came from, for /readyz and the logs. */
  source: z.string(),
  catalogFingerprint: z.string(),
  count: z.number().int().min(0),
});

export type SnapshotHeader = z.output<typeof HeaderSchema>;

export interface DecodedSnapshot {
  header: SnapshotHeader;
  profiles: Profile[];
  /** False when the snapshot was built with another catalog and every profile was re-checked. */
  catalogMatched: boolean;
  /** Profiles the current catalog refused (only when it differs from the build's). */
  rejects: FeedReject[];
  /** Bytes read from the source, compressed when it was gzipped. */
  bytes: number;
}

export class SnapshotError extends Error {
  override name = "SnapshotError";
}

/** FNV-1a over the catalog and geography: cheap, synchronous and identical in Node and workerd. */
export function catalogFingerprint(catalog: Catalog): string {
  const text = JSON.stringify([catalog.data, catalog.geography]);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `fnv1a32-${(h >>> 0).toString(16).padStart(8, "0")}-${text.length}`;
}

/** The snapshot's NDJSON text (before gzip). */
export function encodeSnapshot(
  profiles: readonly Profile[],
  catalog: Catalog,
  meta: { source: string; builtAt: Date },
): string {
  // Sorted by id so the same feed always gives byte-identical snapshots.
  const sorted = [...profiles].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    builtAt: meta.builtAt.toISOString(),
    source: meta.source,
    catalogFingerprint: catalogFingerprint(catalog),
    count: sorted.length,
  };
  return `${[header, ...sorted].map((o) => JSON.stringify(o)).join("\n")}\n`;
}

/** Reads a snapshot (gzipped or already inflated) line by line. */
export async function decodeSnapshot(
  body: ReadableStream<Uint8Array>,
  catalog: Catalog,
): Promise<DecodedSnapshot> {
  // Whole-buffer reads and a native inflate: workerd hands a DecompressionStream's output out
  // in ~4 KB chunks, and reading those one by one from JS costs more than the parse itself.
  const raw = new Uint8Array(await new Response(body).arrayBuffer());
  const bytes = isGzip(raw) ? await inflate(raw) : raw;
  let header: SnapshotHeader | undefined;
  let trusted = false;
  let schema: ReturnType<typeof createProfileSchemas>["Profile"] | undefined;
  const profiles: Profile[] = [];
  const rejects: FeedReject[] = [];
  let lineNo = 0;
  for (const line of lines(bytes)) {
    lineNo++;
    if (line === "") continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new SnapshotError(`line ${lineNo} is not valid JSON: ${(e as Error).message}`);
    }
    if (!header) {
      const r = HeaderSchema.safeParse(raw);
      if (!r.success) {
        const first = r.error.issues[0];
        throw new SnapshotError(
          `not a ${SNAPSHOT_FORMAT} v${SNAPSHOT_VERSION} file (${first ? `${formatPath(first.path)}: ${first.message}` : "bad header"}); rebuild it with npm run build:snapshot`,
        );
      }
      header = r.data;
      trusted = header.catalogFingerprint === catalogFingerprint(catalog);
      if (!trusted) schema = createProfileSchemas(catalog).Profile;
      continue;
    }
    if (trusted || !schema) {
      profiles.push(raw as Profile);
      continue;
    }
    const v = schema.safeParse(raw);
    if (v.success) {
      profiles.push(v.data);
      continue;
    }
    const id = (raw as { id?: unknown } | null)?.id;
    for (const issue of v.error.issues) {
      rejects.push({
        line: lineNo,
        ...(typeof id === "string" ? { id } : {}),
        path: formatPath(issue.path),
        reason: issue.message,
      });
    }
  }
  if (!header)
    throw new SnapshotError("the snapshot is empty; rebuild it with npm run build:snapshot");
  const read = profiles.length + new Set(rejects.map((r) => r.line)).size;
  if (read !== header.count) {
    throw new SnapshotError(`truncated: the header says ${header.count} profiles, found ${read}`);
  }
  return { header, profiles, catalogMatched: trusted, rejects, bytes: raw.byteLength };
}

/** gzip magic bytes: the asset may arrive already inflated if a layer in between did it. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function inflate(gz: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([gz as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(
      new DecompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>,
    );
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const NEWLINE = 0x0a;
/** Decoded a batch at a time: no string is ever as large as the whole file. */
const BATCH_BYTES = 1 << 20;

/** UTF-8 lines of a buffer, without their terminators. */
function* lines(bytes: Uint8Array): Generator<string> {
  const decoder = new TextDecoder();
  let start = 0;
  while (start < bytes.length) {
    // End the batch on a newline; a line longer than a batch makes a batch of its own.
    let end = bytes.lastIndexOf(NEWLINE, Math.min(start + BATCH_BYTES, bytes.length - 1));
    if (end < start) end = bytes.indexOf(NEWLINE, start);
    if (end === -1) end = bytes.length;
    const text = decoder.decode(bytes.subarray(start, end));
    yield* text.split("\n");
    start = end + 1;
  }
}
