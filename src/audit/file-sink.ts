// The audit trail on Node: an append-only NDJSON file, one record a line, rotated by size
// (`audit.ndjson` -> `audit.ndjson.1` -> ... -> `audit.ndjson.<keep>`, the oldest dropped).
// Appends are queued and written in order by one writer, several records per write when they
// pile up, so an answer never waits for the disk; recent() first waits for the queue.
import { appendFile, open, rename, rm, stat } from "node:fs/promises";
import {
  type AuditDescription,
  type AuditEntry,
  type AuditSink,
  isSince,
  type RecentQuery,
} from "./audit-sink.js";

export interface FileAuditOptions {
  file: string;
  /** Rotate before a write would take the current file past this size. */
  maxBytes: number;
  /** Rotated files kept (`.1` newest ... `.<keep>` oldest). */
  keep: number;
}

export class FileAuditSink implements AuditSink {
  private readonly queue: string[] = [];
  private writing: Promise<void> | undefined;
  private size: number | undefined;

  constructor(private readonly options: FileAuditOptions) {}

  record(entry: AuditEntry): Promise<void> {
    this.queue.push(`${JSON.stringify(entry)}\n`);
    return this.drain();
  }

  async recent({ limit, since }: RecentQuery): Promise<AuditEntry[]> {
    while (this.writing || this.queue.length > 0) await this.drain().catch(() => {});
    const out: AuditEntry[] = [];
    for (const file of this.files()) {
      if (out.length >= limit) break;
      let older = true;
      for await (const line of linesBackward(file)) {
        let entry: AuditEntry;
        try {
          entry = JSON.parse(line) as AuditEntry;
        } catch {
          continue; // a line torn by a crash mid-write
        }
        if (isSince(entry, since)) {
          older = false;
          out.push(entry);
          if (out.length >= limit) break;
        }
      }
      // A file whose every record is older than `since`: the rotated ones are older still.
      if (since && older) break;
    }
    return out;
  }

  describe(): AuditDescription {
    const { file, maxBytes, keep } = this.options;
    return { kind: "file", file, maxBytes, keep };
  }

  async close(): Promise<void> {
    await this.drain();
  }

  /** The current file, then the rotated ones, newest first. */
  private files(): string[] {
    const { file, keep } = this.options;
    return [file, ...Array.from({ length: keep }, (_, i) => `${file}.${i + 1}`)];
  }

  /** The one writer: takes every queued line, in order, until none is left. */
  private drain(): Promise<void> {
    if (this.writing) return this.writing;
    if (this.queue.length === 0) return Promise.resolve();
    const run = Promise.resolve()
      .then(async () => {
        while (this.queue.length > 0) await this.write(this.queue.splice(0));
      })
      .catch((e: unknown) => {
        this.size = undefined; // measured again on the next write
        throw e;
      })
      .finally(() => {
        this.writing = undefined;
        // A line queued while this writer was finishing gets a writer of its own.
        if (this.queue.length > 0) void this.drain().catch(() => {});
      });
    this.writing = run;
    return run;
  }

  private async write(lines: string[]): Promise<void> {
    const { file, maxBytes } = this.options;
    this.size ??= await stat(file).then(
      (s) => s.size,
      () => 0,
    );
    let chunk = "";
    let chunkBytes = 0;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line);
      if (this.size + chunkBytes + bytes > maxBytes && this.size + chunkBytes > 0) {
        if (chunk) await appendFile(file, chunk, { mode: 0o600 });
        await this.rotate();
        chunk = "";
        chunkBytes = 0;
      }
      chunk += line;
      chunkBytes += bytes;
    }
    if (chunk) await appendFile(file, chunk, { mode: 0o600 });
    this.size += chunkBytes;
  }

  private async rotate(): Promise<void> {
    const [file, ...rotated] = this.files();
    const oldest = rotated.at(-1);
    if (oldest) await rm(oldest, { force: true });
    for (let i = rotated.length - 1; i > 0; i--) {
      await rename(rotated[i - 1] as string, rotated[i] as string).catch(ignoreMissing);
    }
    if (rotated[0]) await rename(file as string, rotated[0]).catch(ignoreMissing);
    else await rm(file as string, { force: true });
    this.size = 0;
  }
}

function ignoreMissing(e: unknown): void {
  if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
}

const CHUNK_BYTES = 64 * 1024;

/**
 * A file's non-empty lines, last first, read in chunks from the end: the newest records of a
 * large file cost a chunk, not the file. Nothing when the file does not exist.
 */
async function* linesBackward(file: string): AsyncGenerator<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  try {
    let position = (await handle.stat()).size;
    let rest = Buffer.alloc(0); // the start of a line whose beginning is in an earlier chunk
    while (position > 0) {
      const length = Math.min(CHUNK_BYTES, position);
      position -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, position);
      let buf = Buffer.concat([chunk, rest]);
      let nl = buf.lastIndexOf(0x0a);
      while (nl >= 0) {
        const line = buf.subarray(nl + 1).toString("utf8");
        if (line) yield line;
        buf = buf.subarray(0, nl);
        nl = buf.lastIndexOf(0x0a);
      }
      rest = buf;
    }
    const first = rest.toString("utf8");
    if (first) yield first;
  } finally {
    await handle.close();
  }
}
