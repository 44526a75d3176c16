// The columnar profile store gives back exactly the profiles put in: every field, optional
// fields absent or present as they were, numbers bit for bit (-0 too), strings UTF-16 unit for
// unit (lone surrogates, a leading BOM), and for parsed feed lines the same JSON text.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFeed } from "../../../src/partner/feed.js";
import type { Profile } from "../../../src/partner/schema.js";
import { ProfileStore, type StoreColumns } from "../../../src/search/memory/profile-store.js";
import { catalog } from "../../helpers.js";

const SAMPLE = new URL("../../../data/sample-partners.ndjson", import.meta.url);

// Any UTF-16 unit (lone surrogates included) or any code point.
const text = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    fc.constantFrom("\ufeff", "\ud800", "\udfff", "é", "😀"),
  ),
  maxLength: 12,
});
const code = fc.constantFrom("a", "b", "c", "DE", "US", "en", "x_y", "");
const num = fc.double({ noNaN: true });
const codes = fc.array(code, { maxLength: 4 });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const counts = fc.dictionary(code, num, { maxKeys: 3 });

/** A Profile as the type allows it, far wider than the feed schema lets through. */
const profile: fc.Arbitrary<Profile> = fc
  .record({
    id: text,
    name: text,
    description: text,
    website: maybe(text),
    programLevel: code,
    tier: code,
    accreditations: fc.array(fc.record({ code, since: maybe(text) }), { maxLength: 3 }),
    certificationsCount: num,
    languages: codes,
    industries: codes,
    services: codes,
    products: codes,
    customerSizes: codes,
    locations: fc.array(
      fc.record({ country: code, city: text, lat: maybe(num), lon: maybe(num) }),
      { maxLength: 3 },
    ),
    markets: codes,
    reviews: fc.record({ count: num, average: num }),
    directoryListed: fc.boolean(),
    minProjectBudgetUsd: maybe(num),
    internal: fc.record({
      soldMrr12m: num,
      managedMrr: num,
      retention: num,
      toolUsageIndex: num,
      trackRecord: fc.record({ products: counts, industries: counts, customerSizes: counts }),
      capacity: fc.record({
        acceptingReferrals: fc.boolean(),
        maxOpenReferrals: num,
        openReferrals: num,
      }),
      notes: text,
      contactEmails: fc.array(text, { maxLength: 3 }),
    }),
    updatedAt: text,
    deleted: fc.constant(false as const),
  })
  .map((p) => withoutUndefined(p) as Profile);

/** fc.option's "absent" is a key holding undefined; a parsed profile has no such key. */
function withoutUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutUndefined);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = withoutUndefined(x);
  return out;
}

describe("ProfileStore", () => {
  it("gives back any profile the type allows, field for field", () => {
    fc.assert(
      fc.property(fc.array(profile, { maxLength: 8 }), (ps) => {
        const store = ProfileStore.of(ps);
        expect(store.n).toBe(ps.length);
        // As a snapshot holds them too: texts coded with a dictionary.
        const coded = new ProfileStore(store.codedColumns());
        for (const s of [store, coded]) {
          ps.forEach((p, d) => {
            expect(s.profileAt(d)).toStrictEqual(p);
            expect(s.idAt(d)).toBe(p.id);
            expect(s.nameAt(d)).toBe(p.name);
            expect(s.updatedAtOf(d)).toBe(p.updatedAt);
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it("gives back every profile of the bundled sample as the feed parser wrote it, texts coded", () => {
    const ps = parseFeed(readFileSync(SAMPLE, "utf8"), catalog).entries.flatMap((e) =>
      e.kind === "upsert" ? [e.profile] : [],
    );
    expect(ps.length).toBeGreaterThan(9_000);
    const store = new ProfileStore(ProfileStore.of(ps).codedColumns());
    expect(store.columns.textDictionary).toBeDefined();
    ps.forEach((p, d) => {
      const back = store.profileAt(d);
      expect(back).toStrictEqual(p);
      // Same keys in the same order: the JSON a snapshot's data version is hashed from.
      expect(JSON.stringify(back)).toBe(JSON.stringify(p));
    });
  });

  it("stores ids in two bytes and whole numbers in four while they fit, and reads them back", () => {
    const ps = parseFeed(readFileSync(SAMPLE, "utf8"), catalog).entries.flatMap((e) =>
      e.kind === "upsert" ? [e.profile] : [],
    );
    const small = ProfileStore.of(ps.slice(0, 100)).columns;
    expect(small.codeLists.languages.items).toBeInstanceOf(Uint16Array);
    expect(small.numbers.reviewCount).toBeInstanceOf(Float32Array);
    expect(small.numbers.retention).toBeInstanceOf(Float64Array);
    // Past 65,536 interned strings (a city per profile here), ids take four bytes.
    const many = Array.from({ length: 70_000 }, (_, i) => {
      const p = ps[i % 100] as Profile;
      return { ...p, locations: [{ country: "DE", city: `Town ${i}` }] };
    });
    const store = ProfileStore.of(many);
    expect(store.columns.locationCity).toBeInstanceOf(Uint32Array);
    expect(store.columns.codeLists.languages.items).toBeInstanceOf(Uint16Array);
    for (const d of [0, 65_535, 65_536, 69_999]) {
      expect(store.profileAt(d)).toStrictEqual(many[d]);
    }
  });

  it("refuses columns that do not fit together", () => {
    const store = ProfileStore.of([]);
    const c: StoreColumns = { ...store.columns, n: 1 };
    expect(() => new ProfileStore(c)).toThrow(/do not fit together/);
  });
});
