// Materialised profiles keep their identity while held (the finder's market blocks and the
// directory's JSON cache recognise profiles by object), with or without weak references.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cachedProfiles } from "../../../src/search/memory/profile-cache.js";
import { ProfileStore } from "../../../src/search/memory/profile-store.js";
import { profiles, rawProfile } from "../../helpers.js";

const store = ProfileStore.of(
  profiles([1, 2, 3, 4, 5].map((i) => rawProfile({ id: `p-${i}`, name: `Partner ${i}` }))),
);

describe("cachedProfiles", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("hands out the same object for a doc while it is held, equal to the stored profile", () => {
    const at = cachedProfiles(store, 2);
    const held = at(0);
    expect(held).toStrictEqual(store.profileAt(0));
    // More docs than the strong ring holds: doc 0 is kept by `held` alone.
    for (let d = 1; d < 5; d++) at(d);
    expect(at(0)).toBe(held);
    expect(at(1)).not.toBe(held);
  });

  it("without weak references keeps every profile it built, so identity always holds", () => {
    vi.stubGlobal("WeakRef", undefined);
    const at = cachedProfiles(store, 2);
    const first = at(0);
    for (let d = 1; d < 5; d++) at(d);
    expect(at(0)).toBe(first);
    expect(first).toStrictEqual(store.profileAt(0));
  });
});
