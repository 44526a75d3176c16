// The start-up collection (src/lib/release-memory.ts) must really collect in a process started
// without --expose-gc, as `npm start` is: a weakly held graph is gone right after it, where a
// no-op would leave it (nothing else in these tests allocates enough to collect it meanwhile).
import { setImmediate as tick } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { collectGarbage, releaseLoadMemory } from "../../src/lib/release-memory.js";

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
