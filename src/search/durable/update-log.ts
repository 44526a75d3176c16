// Node-only: the embedded engine's append-only update log. Every apply is written here as feed
// lines (CONTRACT section 1: the profile, or the tombstone of a delete) and fsynced before the
// engine sees it, so an acknowledged update survives a restart or a kill -9. At start the log is
// read back (newest line per id), a torn last line is cut off, and a grown log is compacted.
import { createReadStream } from "node:fs";
import { type FileHandle, open, rename, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import type { Catalog } from "../../catalog/catalog.js";
import { readLines } from "../../lib/lines.js";
import type { Logger } from "../../lib/logger.js";
import { createFeedParser, entryData, entryId, type FeedReject } from "../../partner/feed.js";
import { type FeedEntry, versionOf } from "../../partner/schema.js";

/** One feed line for an entry; the feed parser reads it back as the same entry. */
export function toFeedLine(entry: FeedEntry): string {
  return JSON.stringify(entry.kind === "upsert" ? entry.profile : entry.tombstone);
}

export interface LogContents {
  /** The newest entry per id (the first of equal versions, as the engines keep it). */
  entries: FeedEntry[];
  /** Complete lines read, blank ones included (the numbering of `rejects` and `torn`). */
  lines: number;
  /** Of them, lines that are not blank. */
  held: number;
  /** Bytes up to the last line end: what remains once a torn last line is cut off. */
  completeBytes: number;
  /** Complete lines the parser refused, with their line numbers. */
  rejects: FeedReject[];
  /**
   * Refused lines that are valid JSON (a profile the catalog no longer accepts, say): kept
   * verbatim by compaction, since they may become valid again. Lines that are not JSON can only
   * come from an interrupted write, which was never acknowledged, and are dropped.
   */
  keptRaw: string[];
  /** A last line without its line end: a write cut short by a crash, never acknowledged. */
  torn?: { line: number; bytes: number };
}

/** Reads a log (absent: empty) with the feed parser, keeping the newest entry per id. */
export async function readUpdateLog(path: string, catalog: Catalog): Promise<LogContents> {
  const size = await fileSize(path);
  const completeBytes = size === 0 ? 0 : await lastLineEnd(path, size);
  const parser = createFeedParser(catalog);
  const newest = new Map<string, { entry: FeedEntry; version: number }>();
  const rejects: FeedReject[] = [];
  const keptRaw: string[] = [];
  let lines = 0;
  let held = 0;
  if (completeBytes > 0) {
    const stream = createReadStream(path, { start: 0, end: completeBytes - 1 });
    for await (const text of readLines(stream)) {
      lines++;
      const t = text.trim();
      if (t === "") continue;
      held++;
      const { entry, rejects: refused } = parser.parseLine(t, lines);
      if (!entry) {
        rejects.push(...refused);
        if (isJson(t)) keptRaw.push(t);
        continue;
      }
      const id = entryId(entry);
      const version = versionOf(entryData(entry));
      const prev = newest.get(id);
      if (!prev || version > prev.version) newest.set(id, { entry, version });
    }
  }
  const contents: LogContents = {
    entries: [...newest.values()].map((v) => v.entry),
    lines,
    held,
    completeBytes,
    rejects,
    keptRaw,
  };
  if (size > completeBytes) contents.torn = { line: lines + 1, bytes: size - completeBytes };
  return contents;
}

export interface CompactAt {
  /** Compact when the log holds more than this many lines ... */
  lines: number;
  /** ... or more than this many bytes. */
  bytes: number;
}

export interface OpenedLog {
  log: UpdateLog;
  /** What the log held: to be replayed over the feed, in one apply. */
  contents: LogContents;
  /** Lines before and after, when the log was compacted. */
  compacted?: { before: number; after: number };
}

/**
 * Reads the log, reports what it refuses and a torn last line (with line numbers), compacts it
 * when it has grown past `compactAt` (and compaction would drop something), otherwise cuts the
 * torn line off so that the next append starts on a line of its own; then opens it for appends.
 */
export async function openUpdateLog(
  path: string,
  opts: { catalog: Catalog; logger: Logger; compactAt?: CompactAt },
): Promise<OpenedLog> {
  const { logger } = opts;
  const contents = await readUpdateLog(path, opts.catalog);
  for (const r of contents.rejects.slice(0, 20)) {
    logger.warn("update log line rejected", { file: path, ...r });
  }
  if (contents.torn) {
    logger.warn("update log: torn last line skipped (a write cut short, never acknowledged)", {
      file: path,
      ...contents.torn,
    });
  }
  const held = contents.held;
  const kept = contents.entries.length + contents.keptRaw.length;
  const at = opts.compactAt;
  const grown = at !== undefined && (held > at.lines || contents.completeBytes > at.bytes);
  let compacted: OpenedLog["compacted"];
  let state = { bytes: contents.completeBytes, lines: held };
  if (grown && kept < held) {
    try {
      state = await compactInto(path, contents);
      compacted = { before: held, after: state.lines };
      logger.info("update log compacted", { file: path, ...compacted, bytes: state.bytes });
    } catch (e) {
      // The old log is still whole (the rename never happened); it is compacted next time.
      logger.warn("update log not compacted", { file: path, error: (e as Error).message });
    }
  }
  if (!compacted && contents.torn) await truncateTo(path, contents.completeBytes);
  const log = await UpdateLog.open(path, state);
  return { log, contents, ...(compacted ? { compacted } : {}) };
}

/**
 * Appends batches of entries as lines and fsyncs them. Appends arriving while a write is in
 * flight are written together by the next one (group commit), each promise resolving once its
 * own lines are on disk; lines of one call are never interleaved with another's.
 */
export class UpdateLog {
  private queue: { text: string; lines: number; done: (error?: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;
  private failure: Error | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
    private size: number,
    private count: number,
  ) {}

  static async open(path: string, state = { bytes: 0, lines: 0 }): Promise<UpdateLog> {
    const existed = (await fileSize(path, -1)) >= 0;
    const file = await open(path, "a");
    if (!existed) {
      // A new file's directory entry must be on disk too before anything in it is acknowledged.
      await file.sync();
      await syncDir(path);
    }
    return new UpdateLog(path, file, state.bytes, state.lines);
  }

  /** Lines (entries) the log holds. */
  get lines(): number {
    return this.count;
  }

  get bytes(): number {
    return this.size;
  }

  /** Resolves once the entries are written and fsynced; rejects when they are not in the log. */
  append(entries: readonly FeedEntry[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`update log ${this.path} is closed`));
    if (this.failure) return Promise.reject(this.failure);
    if (entries.length === 0) return Promise.resolve();
    const text = `${entries.map(toFeedLine).join("\n")}\n`;
    return new Promise((resolve, reject) => {
      this.queue.push({
        text,
        lines: entries.length,
        done: (error) => (error === undefined ? resolve() : reject(error)),
      });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      const bytes = Buffer.from(batch.map((b) => b.text).join(""), "utf8");
      let error: unknown;
      try {
        if (this.failure) throw this.failure;
        await this.file.appendFile(bytes);
        await this.file.datasync();
        this.size += bytes.length;
        this.count += batch.reduce((n, b) => n + b.lines, 0);
      } catch (e) {
        error = e;
        await this.rollBack(e);
      }
      for (const b of batch) b.done(error);
    }
    this.flushing = undefined;
  }

  /**
   * Cuts a failed write (disk full, I/O error) back off, so a later append never continues a
   * half-written line; if even that fails, every later append is refused.
   */
  private async rollBack(cause: unknown): Promise<void> {
    if (this.failure) return;
    try {
      await this.file.truncate(this.size);
      await this.file.datasync();
    } catch {
      this.failure = new Error(
        `update log ${this.path} is unusable after a failed write; restart the service`,
        { cause },
      );
    }
  }

  /** Waits for the writes in flight, then closes the file; later appends are refused. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flushing;
    await this.file.close();
  }
}

/**
 * Rewrites the log with the newest line per id (plus the kept refused lines): a temporary file
 * in the same directory, fsynced, renamed over the log, then the directory fsynced, so a crash
 * at any point leaves either the old log or the new one, both whole.
 */
async function compactInto(
  path: string,
  contents: LogContents,
): Promise<{ bytes: number; lines: number }> {
  const temp = `${path}.compacting`;
  const file = await open(temp, "w");
  let bytes = 0;
  let lines = 0;
  try {
    const chunk: string[] = [];
    const write = async () => {
      const buf = Buffer.from(chunk.join(""), "utf8");
      chunk.length = 0;
      await file.write(buf);
      bytes += buf.length;
    };
    for (const text of [...contents.keptRaw, ...contents.entries.map(toFeedLine)]) {
      chunk.push(`${text}\n`);
      lines++;
      if (chunk.length >= 512) await write();
    }
    await write();
    await file.sync();
  } catch (e) {
    await file.close();
    await rm(temp, { force: true });
    throw e;
  }
  await file.close();
  await rename(temp, path);
  await syncDir(path);
  return { bytes, lines };
}

async function truncateTo(path: string, bytes: number): Promise<void> {
  const file = await open(path, "r+");
  try {
    await file.truncate(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Where the last line end is (the byte after it), scanning back from the end of the file. */
async function lastLineEnd(path: string, size: number): Promise<number> {
  const file = await open(path, "r");
  try {
    const buf = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - buf.length);
      const { bytesRead } = await file.read(buf, 0, end - start, start);
      const at = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (at >= 0) return start + at + 1;
      end = start;
    }
    return 0;
  } finally {
    await file.close();
  }
}

async function syncDir(path: string): Promise<void> {
  const dir = await open(dirname(path), "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

async function fileSize(path: string, absent = 0): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return absent;
    throw e;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
