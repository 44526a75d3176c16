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
