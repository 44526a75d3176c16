// Fixtures for the durability tests: small feeds in temporary directories, a logger that keeps
// what it is told, and the embedded engine opened from files the way src/node.ts opens it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "../../../src/lib/logger.js";
import type { FeedEntry } from "../../../src/partner/schema.js";
import { openDurable } from "../../../src/search/durable/durable-backend.js";
import type { CompactAt } from "../../../src/search/durable/update-log.js";
import type { WatchTiming } from "../../../src/search/durable/watch-feed-file.js";
import { loadFeedFile } from "../../../src/search/memory/load-feed-file.js";
import { MemoryBackend } from "../../../src/search/memory/memory-backend.js";
import { catalog, entries, policy, rawProfile } from "../../helpers.js";

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "durable-"));
}

export const idOf = (i: number) => `p-${String(i).padStart(6, "0")}`;

/** A valid profile with this id and version (seconds after a fixed start). */
export function raw(i: number, second = 0, overrides: Record<string, unknown> = {}) {
  return rawProfile({
    id: idOf(i),
    name: `Partner ${i} v${second}`,
    updatedAt: new Date(Date.UTC(2026, 9, 15) + second * 1000).toISOString(),
    ...overrides,
  });
}

export const tombstone = (i: number, second: number) => ({
  id: idOf(i),
  updatedAt: new Date(Date.UTC(2026, 9, 15) + second * 1000).toISOString(),
  deleted: true,
});

/** One parsed entry. */
export const entry = (o: Record<string, unknown>): FeedEntry => entries([o])[0] as FeedEntry;

/** Writes a feed of profiles 1..n at version 0; returns its path. */
export function writeFeed(dir: string, n: number, name = "partners.ndjson"): string {
  const path = join(dir, name);
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify(raw(i + 1)));
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

export interface Logged {
  level: "info" | "warn" | "error";
  msg: string;
  data: Record<string, unknown>;
}

export function memoryLogger(): Logger & { logged: Logged[] } {
  const logged: Logged[] = [];
  const at =
    (level: Logged["level"]) =>
    (msg: string, data: Record<string, unknown> = {}) =>
      void logged.push({ level, msg, data });
  return { logged, info: at("info"), warn: at("warn"), error: at("error") };
}

/** What node.ts does at start: the feed into a fresh engine, then the log replayed over it. */
export async function openFromFiles(
  partnersFile: string,
  logFile: string | undefined,
  opts: {
    logger?: Logger;
    compactAt?: CompactAt;
    watch?: WatchTiming;
    afterReload?: () => void;
    afterApply?: (entries: number) => void;
  } = {},
) {
  const inner = new MemoryBackend(catalog, policy);
  await loadFeedFile(inner, partnersFile, catalog);
  const logger = opts.logger ?? memoryLogger();
  return openDurable(inner, {
    catalog,
    logger,
    logFile,
    ...(opts.compactAt ? { compactAt: opts.compactAt } : {}),
    ...(opts.watch ? { watch: { file: partnersFile, ...opts.watch } } : {}),
    afterReload: opts.afterReload,
    afterApply: opts.afterApply,
  });
}
