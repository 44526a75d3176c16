// NDJSON feed parsing: every line is validated on its own, so one bad line is reported with its
// number, field path and reason and never stops or corrupts the rest of the feed.
import type { Catalog } from "../catalog/catalog.js";
import { splitLines } from "../lib/lines.js";
import { type IssueLike, namedIssues } from "../lib/zod-issues.js";
import { createProfileSchemas, type FeedEntry, versionOf } from "./schema.js";

export interface FeedReject {
  line: number;
  id?: string;
  path: string;
  reason: string;
}

export interface ParsedLine {
  entry?: FeedEntry;
  rejects: FeedReject[];
}

/** The longest line a feed may have; measured in UTF-16 units of the trimmed line. */
export const MAX_LINE_BYTES = 256 * 1024;

/** The reject of a line over MAX_LINE_BYTES (also for a reader that cut such a line short). */
export function lineTooLong(line: number): FeedReject {
  return { line, path: "(root)", reason: `line longer than ${MAX_LINE_BYTES} bytes` };
}

export function createFeedParser(catalog: Catalog) {
  const { Profile, Tombstone } = createProfileSchemas(catalog);

  function parseLine(text: string, line: number): ParsedLine {
    if (text.length > MAX_LINE_BYTES) return { rejects: [lineTooLong(line)] };
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      return {
        rejects: [{ line, path: "(root)", reason: `malformed JSON: ${(e as Error).message}` }],
      };
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      return { rejects: [{ line, path: "(root)", reason: "a line must be one JSON object" }] };
    }
    const obj = raw as Record<string, unknown>;
    const id = typeof obj.id === "string" ? obj.id : undefined;
    const toRejects = (issues: readonly IssueLike[]): ParsedLine => ({
      rejects: namedIssues(issues).map((i) => ({
        line,
        ...(id ? { id } : {}),
        path: i.name,
        reason: i.reason,
      })),
    });
    let entry: FeedEntry;
    if (obj.deleted === true) {
      const r = Tombstone.safeParse(raw);
      if (!r.success) return toRejects(r.error.issues);
      entry = { kind: "delete", tombstone: r.data };
    } else {
      const r = Profile.safeParse(raw);
      if (!r.success) return toRejects(r.error.issues);
      entry = { kind: "upsert", profile: r.data };
    }
    return { entry, rejects: [] };
  }

  return { parseLine };
}

export interface FeedResult {
  /** Accepted entries, at most one per id: the newest version of that id in this feed. */
  entries: FeedEntry[];
  rejects: FeedReject[];
  lines: number;
}

/**
 * Parses a whole feed held in memory. Within one feed an id may appear once; a second
 * appearance is reported as a reject and the newer `updatedAt` of the two is kept.
 */
export function parseFeed(text: string, catalog: Catalog): FeedResult {
  const acc = new FeedAccumulator(catalog);
  let lineNo = 0;
  for (const line of splitLines(text)) acc.push(line, ++lineNo);
  return acc.result();
}

export interface FeedStreamOptions {
  /**
   * Each entry that is the newest of its id so far goes straight here and is not kept, so a
   * large feed streams through; the sink must order versions itself (backends do).
   */
  sink?: (entry: FeedEntry, line: number) => void;
  /** Each reject as it is found (else they are collected for `result()`). */
  onReject?: (reject: FeedReject) => void;
}

/**
 * Incremental form of parseFeed for streams, and the one place the feed's rules are applied
 * line by line: validation, and one id once per feed (the newer line wins, the other is
 * reported). The embedded load, the indexer and parseFeed all go through it.
 */
export class FeedAccumulator {
  private readonly parser;
  /** Newest entry per id so far; the entry itself is dropped when a sink takes it. */
  private readonly byId = new Map<string, { entry?: FeedEntry; version: number; line: number }>();
  private readonly rejects: FeedReject[] = [];
  private lines = 0;

  constructor(
    catalog: Catalog,
    private readonly opts: FeedStreamOptions = {},
  ) {
    this.parser = createFeedParser(catalog);
  }

  private reject(r: FeedReject): void {
    if (this.opts.onReject) this.opts.onReject(r);
    else this.rejects.push(r);
  }

  push(text: string, line: number): void {
    this.lines = Math.max(this.lines, line);
    const t = text.trim();
    if (t === "") return;
    const { entry, rejects } = this.parser.parseLine(t, line);
    for (const r of rejects) this.reject(r);
    if (!entry) return;
    const id = entryId(entry);
    const version = versionOf(entryData(entry));
    const prev = this.byId.get(id);
    if (!prev) {
      this.keep(id, entry, version, line);
      return;
    }
    const newer = version > prev.version;
    const loser = newer ? prev.line : line;
    const winner = newer ? line : prev.line;
    this.reject({
      line: loser,
      id,
      path: "id",
      reason: `duplicate id "${id}" in one feed (also on line ${winner}); the newer updatedAt is kept`,
    });
    if (newer) this.keep(id, entry, version, line);
  }

  private keep(id: string, entry: FeedEntry, version: number, line: number): void {
    if (this.opts.sink) {
      this.opts.sink(entry, line);
      this.byId.set(id, { version, line });
    } else {
      this.byId.set(id, { entry, version, line });
    }
  }

  /** Accepted entries in feed order (empty when a sink took them), rejects, line count. */
  result(): FeedResult {
    const entries = [...this.byId.values()]
      .sort((a, b) => a.line - b.line)
      .flatMap((v) => (v.entry ? [v.entry] : []));
    const rejects = [...this.rejects].sort((a, b) => a.line - b.line);
    return { entries, rejects, lines: this.lines };
  }
}

export function entryId(e: FeedEntry): string {
  return e.kind === "upsert" ? e.profile.id : e.tombstone.id;
}

export function entryData(e: FeedEntry): { updatedAt: string } {
  return e.kind === "upsert" ? e.profile : e.tombstone;
}
