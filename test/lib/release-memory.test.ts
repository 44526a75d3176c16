// The start-up collection (src/lib/release-memory.ts) must really collect in a process started
// without --expose-gc, as `npm start` is: a weakly held graph is gone right after it, where a
// no-op would leave it (nothing else in these tests allocates enough to collect it meanwhile).
import { setImmediate as tick } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { bulkCollector, collectGarbage, releaseLoadMemory } from "../../src/lib/release-memory.js";

/** A weak reference to a large object graph that nothing else holds. */
async function droppedGraph(): Promise<WeakRef<object>> {
  const graph = Array.from({ length: 200_000 }, (_, i) => ({ i, tag: `n${i}` }));
  const ref = new WeakRef(graph);
  // A WeakRef's target is kept to the end of the job that made it.
  await tick();
  return ref;
}

describe("releasing a load's memory", () => {
  it("collects what is no longer held, with or without --expose-gc", async () => {
    const ref = await droppedGraph();
    await tick();
    collectGarbage();
    expect(ref.deref()).toBeUndefined();
  });

  it("leaves gc hidden from the rest of the process when Node did not expose it", () => {
    collectGarbage();
    expect(process.execArgv.includes("--expose-gc") || !("gc" in globalThis)).toBe(true);
  });

  it("releaseLoadMemory resolves after its last collection", async () => {
    const ref = await droppedGraph();
    await tick();
    await releaseLoadMemory({ delayMs: 10, settleMs: 10 });
    expect(ref.deref()).toBeUndefined();
  });
});

describe("collecting after bulk changes", () => {
  // Fake timers: the quiet period is about order, not speed, and must not depend on the load.
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function collector(minEntries: number) {
    const events: string[] = [];
    let settle: () => void = () => {};
    const c = bulkCollector(
      () =>
        new Promise<void>((r) => {
          events.push("settling");
          settle = () => r();
        }),
      {
        minEntries,
        quietMs: 1_000,
        release: async () => {
          events.push("released");
        },
      },
    );
    return { c, events, settle: () => settle() };
  }

  it("waits for enough changes, then for them to stop, then for the engine to settle", async () => {
    const { c, events, settle } = collector(100);
    c.afterApply(60);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(events).toEqual([]);
    c.afterApply(60);
    await vi.advanceTimersByTimeAsync(900);
    // Another push inside the quiet period starts the wait again.
    c.afterApply(10);
    await vi.advanceTimersByTimeAsync(900);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(100);
    expect(events).toEqual(["settling"]);
    settle();
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual(["settling", "released"]);
    // The count starts again from zero after a collection.
    c.afterApply(99);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(events).toEqual(["settling", "released"]);
  });

  it("collects after a whole feed's reload without waiting for a count", async () => {
    const { c, events, settle } = collector(1_000_000);
    c.afterReload();
    expect(events).toEqual(["settling"]);
    settle();
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual(["settling", "released"]);
  });
});
