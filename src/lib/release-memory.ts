// Node-only. Loading 100k profiles from a feed builds ~400 MB of short-lived objects (parsed
// lines, validated profiles, index buffers); once the engine holds its columns, the live data is
// ~130 MB. V8 does not give the rest back to the OS on its own while the server is idle or
// lightly used: a server started on the 100k feed stayed at ~460 MB RSS for as long as it was
// watched. Two full collections right after the load bring it to ~250 MB.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | undefined;

/**
 * A full, synchronous garbage collection: `gc` when Node runs with --expose-gc, else one taken
 * from a fresh context with the flag on for that moment only (as jest's leak detector does).
 */
export function collectGarbage(): void {
  if (!collect) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) {
      collect = exposed;
    } else {
      setFlagsFromString("--expose-gc");
      collect = runInNewContext("gc") as () => void;
      setFlagsFromString("--no-expose-gc");
    }
  }
  collect();
}

/**
 * Hands the memory of a bulk load back to the OS: a full collection now and another a moment
 * later, once V8 has released the pages the first one freed (the second is what shrinks the
 * old generation: one alone left ~310 MB of the ~460, two ~260), then a third once the load's
 * allocation has left the window (~5 s) V8 sizes the young generation by. The load grows that
 * generation to twice `--max-semi-space-size` (64 MB for `npm start`); a collection that sees a
 * low allocation rate shrinks it to 1 MB, where on its own V8 did so only after 20-40 s idle.
 * A busy server's rate stays high and keeps it; the third collection then costs one full pass
 * of a heap that is by then small.
 */
export function releaseLoadMemory(
  opts: { delayMs?: number; settleMs?: number; unref?: boolean } = {},
): Promise<void> {
  collectGarbage();
  const later = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        collectGarbage();
        resolve();
      }, ms);
      // A server's listening socket keeps the process up meanwhile; a stop (SIGTERM) soon after
      // the start then exits at once instead of waiting for the last collection.
      if (opts.unref) t.unref();
    });
  return later(opts.delayMs ?? 250).then(() => later(opts.settleMs ?? 6_000));
}

export interface BulkCollector {
  /** A whole feed was applied (a watched file's new version): collect once it has settled. */
  afterReload(): void;
  /** `entries` more changes were applied (an admin push): collect once enough came and stopped. */
  afterApply(entries: number): void;
}

/**
 * Collections after bulk changes, as after the start-up load. A push of the 100k feed through
 * the admin API (ten requests of 10,000 lines) took a server from 101 to 539 MiB, where it
 * stayed for over 20 s idle, against ~210 MiB for the same feed loaded at start. A push comes in
 * several requests, so the collections wait until changes stop for `quietMs`, and only after
 * `minEntries` or more (a steady trickle of updates is left to V8): full collections cost a
 * pause each, worth it for a push's garbage, not for a few lines'.
 */
export function bulkCollector(
  /** Resolves once the engine's rebuild in the background, if any, is done. */
  settled: () => Promise<void>,
  opts: { minEntries?: number; quietMs?: number; release?: () => Promise<void> } = {},
): BulkCollector {
  const minEntries = opts.minEntries ?? 5_000;
  const quietMs = opts.quietMs ?? 2_000;
  const release = opts.release ?? (() => releaseLoadMemory({ unref: true }));
  const run = () => void settled().then(release);
  let pending = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    afterReload: run,
    afterApply(entries) {
      pending += entries;
      if (pending < minEntries) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        pending = 0;
        run();
      }, quietMs);
      // A stop soon after a push exits at once rather than waiting to collect.
      timer.unref?.();
    },
  };
}
