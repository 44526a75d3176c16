// The partner snapshot: a feed already parsed and validated by the real feed parser, stored as
// gzipped NDJSON (a header line, then one profile per line) so the edge loads 10k profiles with
// a JSON.parse per line instead of a zod pass per profile. Lines are decoded in ~1 MB batches
// from the inflated bytes, so no string as large as the file (12 MB of UTF-8, twice that as a
// two-byte JS string) ever exists: that keeps the isolate's peak memory low during the load.
// The catalog the profiles were validated against is fingerprinted: a Worker running with
// another catalog re-validates every profile rather than trusting codes it does not know.
import { z } from "zod";
import type { Catalog } from "../../catalog/catalog.js";
import { hashHex } from "../../lib/hash.js";
import { splitLines } from "../../lib/lines.js";
import { describeIssues } from "../../lib/zod-issues.js";
import { createFeedParser, type FeedReject } from "../../partner/feed.js";
import type { Profile } from "../../partner/schema.js";

export const SNAPSHOT_FORMAT = "partner-snapshot";
/** 2: the header carries `dataVersion`. */
export const SNAPSHOT_VERSION = 2;

const HeaderSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  version: z.literal(SNAPSHOT_VERSION),
  builtAt: z.string(),
  /**
   * The version of the partner data: a hash of the profile lines, equal for equal data however
   * often it is rebuilt. /readyz shows it, so an operator sees which data an isolate serves.
   */
  dataVersion: z.string(),
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

/** A hash of the catalog and geography: cheap, synchronous and identical in Node and workerd. */
export function catalogFingerprint(catalog: Catalog): string {
  const text = JSON.stringify([catalog.data, catalog.geography]);
  return `h53-${hashHex(text)}-${text.length}`;
}

/** The snapshot's NDJSON text (before gzip). */
export function encodeSnapshot(
  profiles: readonly Profile[],
  catalog: Catalog,
  meta: { source: string; builtAt: Date },
): string {
  // Sorted by id so the same feed always gives byte-identical snapshots.
  const sorted = [...profiles].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const body = sorted.map((o) => `${JSON.stringify(o)}\n`).join("");
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    builtAt: meta.builtAt.toISOString(),
    dataVersion: `d-${hashHex(body)}-${sorted.length}`,
    source: meta.source,
    catalogFingerprint: catalogFingerprint(catalog),
    count: sorted.length,
  };
  return `${JSON.stringify(header)}\n${body}`;
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
  // Built with another catalog: every line goes through the feed parser again.
  let parser: ReturnType<typeof createFeedParser> | undefined;
  const profiles: Profile[] = [];
  const rejects: FeedReject[] = [];
  let lineNo = 0;
  for (const line of splitLines(bytes)) {
    lineNo++;
    if (line === "") continue;
    if (parser) {
      const parsed = parser.parseLine(line, lineNo);
      if (parsed.entry?.kind === "upsert") profiles.push(parsed.entry.profile);
      rejects.push(...parsed.rejects);
      continue;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (e) {
      throw new SnapshotError(`line ${lineNo} is not valid JSON: ${(e as Error).message}`);
    }
    if (header) {
      profiles.push(raw as Profile);
      continue;
    }
    const r = HeaderSchema.safeParse(raw);
    if (!r.success) {
      throw new SnapshotError(
        `not a ${SNAPSHOT_FORMAT} v${SNAPSHOT_VERSION} file (${describeIssues(r.error.issues.slice(0, 1))}); rebuild it with npm run build:snapshot`,
      );
    }
    header = r.data;
    if (header.catalogFingerprint !== catalogFingerprint(catalog))
      parser = createFeedParser(catalog);
  }
  if (!header)
    throw new SnapshotError("the snapshot is empty; rebuild it with npm run build:snapshot");
  const read = profiles.length + new Set(rejects.map((r) => r.line)).size;
  if (read !== header.count) {
    throw new SnapshotError(`truncated: the header says ${header.count} profiles, found ${read}`);
  }
  return { header, profiles, catalogMatched: !parser, rejects, bytes: raw.byteLength };
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
