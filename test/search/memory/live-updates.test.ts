// The embedded engine under updates: what queries see after any sequence of applies (through
// deltas and background rebuilds) equals a fresh build of the same final state, readers during
// an apply see the old or the new state and never a mix, and the generation only goes up.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FeedEntry } from "../../../src/partner/schema.js";
import { buildDirectoryPlan, type DirectoryQuery } from "../../../src/ranking/directory.js";
import { MemoryBackend, type MemoryTuning } from "../../../src/search/memory/memory-backend.js";
import { catalog, entries, policy } from "../../helpers.js";

const raws: Record<string, unknown>[] = readFileSync(
  new URL("../../../data/sample-partners.ndjson", import.meta.url),
  "utf8",
)
  .split("\n")
  .slice(0, 300)
  .map((l) => JSON.parse(l));

const SMALL: MemoryTuning = { mergeAt: 6, maxDelta: 20 };

function plan(q: Partial<DirectoryQuery>) {
  return buildDirectoryPlan(
    { filters: {}, page: 1, pageSize: 10, sort: "relevance", ...q },
    policy,
  );
}

const PLANS = [
  plan({}),
  plan({ sort: "tier", page: 2 }),
  plan({ sort: "rating", filters: { country: ["US", "GB"] } }),
  plan({ sort: "name", filters: { tier: ["gold", "platinum"] }, page: 3 }),
  plan({ filters: { accredited: ["true"] } }),
  plan({ q: "crm migration" }),
  plan({ q: "marketing", sort: "rating", filters: { tier: ["gold", "elite"] } }),
  // Near, budget and the distance order go through the delta too (a moved partner's old
  // location must stop matching at once).
  plan({ near: { lat: 51.5, lon: -0.12 }, radiusKm: 1000, sort: "distance" }),
  plan({ near: { lat: 40.7, lon: -74 }, radiusKm: 1000, budgetUsd: 10_000, page: 2 }),
  plan({ budgetUsd: 5000, filters: { country: ["DE", "GB", "US"] }, sort: "rating" }),
];
const TEXT = PLANS.map((p) => p.text !== undefined);

function snapshot(b: MemoryBackend) {
  return PLANS.map((p) => {
    const r = b.directorySync(p);
    return { total: r.total, facets: r.facets, ids: r.hits.map((h) => h.profile.id) };
  });
}

function fresh(all: FeedEntry[][]): MemoryBackend {
  const b = new MemoryBackend(catalog, policy);
  for (const batch of all) b.applySync(batch);
  return b;
}

const TIERS = ["none", "gold", "platinum", "diamond", "elite"];

/** One update of a sample profile: a field changed, a delete, a copy under a new id, or stale. */
const updateArb = fc.record({
  at: fc.nat({ max: raws.length - 1 }),
  kind: fc.constantFrom(
    "tier",
    "reviews",
    "capacity",
    "name",
    "unlist",
    "delete",
    "new",
    "stale",
    "move",
    "budget",
  ),
  value: fc.nat({ max: 1000 }),
});
type Update = typeof updateArb extends fc.Arbitrary<infer T> ? T : never;

function toEntry(u: Update, step: number): FeedEntry {
  const base = raws[u.at] as Record<string, unknown>;
  const when = new Date(Date.parse("2026-11-01T00:00:00Z") + step * 60_000).toISOString();
  const o: Record<string, unknown> = { ...structuredClone(base), updatedAt: when };
  const internal = o.internal as Record<string, Record<string, unknown>>;
  switch (u.kind) {
    case "tier":
      // Only the tiered program level has tiers; others change their reviews instead.
      if (o.programLevel === "partner") o.tier = TIERS[u.value % TIERS.length];
      else o.reviews = { count: u.value, average: 3 };
      break;
    case "reviews":
      o.reviews = { count: u.value, average: 1 + (u.value % 40) / 10 };
      break;
    case "capacity":
      (internal.capacity as Record<string, unknown>).openReferrals = u.value % 8;
      break;
    case "name":
      o.name = `Renamed ${u.value} CRM migration marketing`;
      break;
    case "unlist":
      o.directoryListed = false;
      break;
    case "delete":
      return entries([{ id: o.id, deleted: true, updatedAt: when }])[0] as FeedEntry;
    case "new":
      o.id = `p-new-${u.value}`;
      break;
    case "stale":
      o.updatedAt = "2020-01-01T00:00:00Z";
      break;
    case "move": {
      // Somewhere between Lisbon and Warsaw or between Boston and Washington.
      const [lat, lon] =
        u.value % 2
          ? [38 + (u.value % 15), -9 + (u.value % 30)]
          : [38 + (u.value % 5), -77 + (u.value % 6)];
      o.locations = [{ country: "US", city: "Moved", lat, lon }];
      break;
    }
    case "budget":
      if (u.value % 3 === 0) delete o.minProjectBudgetUsd;
      else o.minProjectBudgetUsd = u.value * 20;
      break;
  }
  return entries([o])[0] as FeedEntry;
}

describe("memory backend: live updates", () => {
  it("after any sequence of applies, queries equal a fresh build of the final state", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(updateArb, { minLength: 1, maxLength: 8 }), { maxLength: 12 }),
        async (batches) => {
          const initial = entries(raws);
          const live = new MemoryBackend(catalog, policy, SMALL);
          live.applySync(initial);
          live.directorySync(PLANS[0] as never);
          const applied: FeedEntry[][] = [initial];
          let step = 0;
          for (const batch of batches) {
            const es = batch.map((u) => toEntry(u, step++));
            await live.apply(es);
            applied.push(es);
            // Text scores of a delta borrow the base's statistics, so only filter-only plans
            // must rank identically before the base is rebuilt; totals and facets always match.
            const want = snapshot(fresh(applied));
            snapshot(live).forEach((got, i) => {
              expect(got.total).toBe(want[i]?.total);
              expect(got.facets).toEqual(want[i]?.facets);
              if (!TEXT[i]) expect(got.ids).toEqual(want[i]?.ids);
            });
          }
          await live.settled();
          // Once rebuilt, everything equals a fresh build, text ranking included.
          if ((await live.readiness()).details.pendingUpdates === 0) {
            expect(snapshot(live)).toEqual(snapshot(fresh(applied)));
          }
        },
      ),
      { numRuns: 25, seed: 20261201 },
    );
  }, 120_000);

  it("a capacity change shows in the very next candidate list", async () => {
    const b = new MemoryBackend(catalog, policy);
    b.applySync(entries(raws));
    const query = { country: "GB", programLevels: ["partner"], withCapacity: true };
    const before = b.candidatesSync(query).map((p) => p.id);
    const full = raws.find((r) => before.includes(r.id as string)) as Record<string, unknown>;
    const o = structuredClone(full);
    const cap = (o.internal as { capacity: Record<string, number> }).capacity;
    cap.openReferrals = cap.maxOpenReferrals as number;
    o.updatedAt = "2026-12-01T00:00:00Z";
    const g0 = b.generation;
    await b.apply(entries([o]));
    expect(b.candidatesSync(query).map((p) => p.id)).not.toContain(full.id);
    expect(b.generation).toBeGreaterThan(g0);
    expect((await b.readiness()).details.generation).toBe(b.generation);
  });

  it("readers during a bulk apply see the old or the new state, never a mix", async () => {
    const b = new MemoryBackend(catalog, policy, { mergeAt: 10, maxDelta: 50 });
    b.applySync(entries(raws));
    const gold = plan({ filters: { tier: ["gold"] } });
    const old = b.directorySync(gold);
    // 200 profiles move to gold in one push: more than the delta takes, so the base is rebuilt
    // in slices while these readers keep querying.
    const push: Record<string, unknown>[] = raws
      .filter((r) => r.programLevel === "partner")
      .slice(0, 200)
      .map((r) => ({
        ...structuredClone(r),
        tier: "gold",
        updatedAt: "2026-12-01T00:00:00Z",
      }));
    const expected = fresh([entries(raws), entries(push)]).directorySync(gold);
    expect(expected.total).not.toBe(old.total);
    const pushed = push.find((r) => raws.find((o) => o.id === r.id)?.tier !== "gold") as {
      id: string;
    };
    const oldTier = raws.find((o) => o.id === pushed.id)?.tier;
    // What each reader saw: the search's total and the pushed profile's tier, read together.
    const seen: string[] = [];
    let done = false;
    const readers = (async () => {
      while (!done) {
        const total = b.directorySync(gold).total;
        seen.push(`${total}/${(await b.get(pushed.id))?.tier}`);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const g0 = b.generation;
    await b.apply(entries(push));
    done = true;
    await readers;
    expect(seen.length).toBeGreaterThan(3);
    for (const s of new Set(seen)) {
      expect([`${old.total}/${oldTier}`, `${expected.total}/gold`]).toContain(s);
    }
    expect(b.directorySync(gold).total).toBe(expected.total);
    expect(b.generation).toBeGreaterThan(g0);
  });

  it("stale and replayed updates change nothing; deletes stay final", async () => {
    const b = new MemoryBackend(catalog, policy);
    b.applySync(entries(raws));
    const first = raws[0] as Record<string, unknown>;
    const del = entries([{ id: first.id, deleted: true, updatedAt: "2026-12-01T00:00:00Z" }]);
    expect(await b.apply(del)).toMatchObject({ deleted: 1 });
    const g = b.generation;
    expect(await b.apply(del)).toMatchObject({ deleted: 0, stale: 1 });
    expect(await b.apply(entries([first]))).toMatchObject({ indexed: 0, stale: 1 });
    expect(b.generation).toBe(g);
    expect(await b.get(first.id as string)).toBeUndefined();
  });
});
