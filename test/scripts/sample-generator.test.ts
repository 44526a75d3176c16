// The sample-data generator: every line it writes must load through the real feed parser, the
// output must be reproducible from the seed, and the data must keep the shape demos and
// benchmarks rely on (tier pyramid, accreditation shares by market, many countries, languages).
import { describe, expect, it } from "vitest";
import {
  generatePartners,
  mulberry32,
  type SampleProfile,
  seedFromString,
} from "../../scripts/lib/sample-generator.js";
import { defaultCatalog } from "../../src/catalog/catalog.js";
import { parseFeed } from "../../src/partner/feed.js";
import type { Profile } from "../../src/partner/schema.js";

const catalog = defaultCatalog();
const toFeed = (ps: readonly SampleProfile[]) => ps.map((p) => JSON.stringify(p)).join("\n");

function parsed(ps: readonly SampleProfile[]): Profile[] {
  const r = parseFeed(toFeed(ps), catalog);
  expect(r.rejects).toEqual([]);
  expect(r.entries).toHaveLength(ps.length);
  return r.entries.flatMap((e) => (e.kind === "upsert" ? [e.profile] : []));
}

const home = (p: Profile) => p.locations[0]?.country ?? "";
const accreditationExempt = (c: string) =>
  c === "JP" || c === "FR" || c === "ES" || catalog.inArea(c, "LATAM");
const accreditedShare = (ps: readonly Profile[]) =>
  ps.filter((p) => p.accreditations.length > 0).length / ps.length;
const levelOf = (p: Profile) => (p.programLevel === "provider" ? "provider" : p.tier);

// One 10k run shared by the shape tests: big enough for stable shares.
const big = generatePartners(10_000, 42);
let bigParsed: Profile[] | undefined;
/** The 10k run through the parser, once (parsing is the slow part). */
const bigProfiles = () => {
  bigParsed ??= parsed(big);
  return bigParsed;
};

describe("sample generator", () => {
  it("mulberry32 is a deterministic stream in [0, 1)", () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
  });

  it("writes 2,000 profiles that all pass the real feed parser", () => {
    const ps = parsed(generatePartners(2_000, 7));
    expect(ps.map((p) => p.id).slice(0, 2)).toEqual(["p-000001", "p-000002"]);
    expect(new Set(ps.map((p) => p.id)).size).toBe(2_000);
  });

  it("is deterministic: same seed same output, another seed another output", () => {
    const a = toFeed(generatePartners(2_000, 7));
    expect(toFeed(generatePartners(2_000, 7))).toBe(a);
    expect(toFeed(generatePartners(2_000, 8))).not.toBe(a);
    // A longer run starts with the same partners (per-partner seeds).
    expect(generatePartners(50, 7)[10]).toEqual(generatePartners(200, 7)[10]);
  });

  it("seedFromString reads an integer as itself and hashes any other string with hash53", () => {
    expect(seedFromString("42")).toBe(42);
    expect(seedFromString(" 7 ")).toBe(7);
    expect(seedFromString("-1")).toBe(0xffffffff); // as an unsigned 32-bit seed
    // cyrb53's published value for "a" (7929297801672961), its low 32 bits.
    expect(seedFromString("a")).toBe(7929297801672961 % 2 ** 32);
    expect(seedFromString("revenge")).toBe(4051478007546757 % 2 ** 32);
  });

  it("pads ids to at least six digits", () => {
    expect(generatePartners(3, 1).map((p) => p.id)).toEqual(["p-000001", "p-000002", "p-000003"]);
  });

  // Its speed is not asserted here (a timed unit test fails on a busy machine, not on slow code);
  // `npm run generate:sample` prints how long it took.
  it("generates 10,000 valid profiles", () => {
    expect(bigProfiles()).toHaveLength(10_000);
  });

  it("has a tier pyramid and 15-20% providers, all untiered", () => {
    const ps = bigProfiles();
    const n = (level: string) => ps.filter((p) => levelOf(p) === level).length;
    expect(n("gold")).toBeGreaterThan(n("platinum"));
    expect(n("none")).toBeGreaterThan(n("platinum"));
    expect(n("platinum")).toBeGreaterThan(n("diamond"));
    expect(n("diamond")).toBeGreaterThan(n("elite"));
    expect(n("elite")).toBeGreaterThan(0);
    expect(n("elite") / ps.length).toBeLessThan(0.04);
    const providers = ps.filter((p) => p.programLevel === "provider");
    expect(providers.length / ps.length).toBeGreaterThanOrEqual(0.15);
    expect(providers.length / ps.length).toBeLessThanOrEqual(0.2);
    expect(providers.every((p) => p.tier === "none")).toBe(true);
  });

  it("accredits 8-18% overall, far fewer where accreditations are not offered", () => {
    const ps = bigProfiles();
    const overall = accreditedShare(ps);
    expect(overall).toBeGreaterThanOrEqual(0.08);
    expect(overall).toBeLessThanOrEqual(0.18);
    const exempt = ps.filter((p) => accreditationExempt(home(p)));
    expect(exempt.length).toBeGreaterThan(500);
    expect(accreditedShare(exempt)).toBeLessThan(0.05);
    expect(accreditedShare(exempt)).toBeLessThan(overall / 2);
    for (const c of ["JP", "FR", "ES"]) {
      expect(accreditedShare(ps.filter((p) => home(p) === c))).toBeLessThan(0.06);
    }
    // Higher tiers hold accreditations more often.
    const byLevel = (l: string) => accreditedShare(ps.filter((p) => levelOf(p) === l));
    expect(byLevel("elite")).toBeGreaterThan(byLevel("platinum"));
    expect(byLevel("platinum")).toBeGreaterThan(byLevel("gold"));
    expect(byLevel("gold")).toBeGreaterThan(byLevel("provider"));
  });

  it("keeps profiles internally consistent", () => {
    const ps = bigProfiles();
    let trackKeys = 0;
    let declaredKeys = 0;
    for (const p of ps) {
      // An accredited partner offers that service.
      for (const a of p.accreditations) expect(p.services).toContain(a.code);
      for (const a of p.accreditations) expect(a.since && a.since < p.updatedAt).toBe(true);
      for (const l of p.locations) expect(p.markets).toContain(l.country);
      expect(p.languages.length).toBeGreaterThan(0);
      expect(p.updatedAt >= "2026-01-01" && p.updatedAt < "2026-11-01").toBe(true);
      expect(p.website).toMatch(/^https:\/\/[a-z0-9-]+\.example$/);
      const cap = p.internal.capacity;
      expect(cap.openReferrals).toBeLessThanOrEqual(cap.maxOpenReferrals);
      expect(cap.maxOpenReferrals).toBeGreaterThanOrEqual(2);
      expect(cap.maxOpenReferrals).toBeLessThanOrEqual(10);
      expect(p.internal.retention).toBeGreaterThanOrEqual(0.6);
      expect(p.internal.retention).toBeLessThanOrEqual(0.98);
      expect(p.internal.toolUsageIndex).toBeGreaterThanOrEqual(1);
      expect(p.internal.toolUsageIndex).toBeLessThanOrEqual(8);
      if (p.reviews.count > 0) expect(p.reviews.average).toBeGreaterThanOrEqual(3.5);
      const tr = p.internal.trackRecord;
      const declared = new Set<string>([...p.products, ...p.industries, ...p.customerSizes]);
      for (const k of [
        ...Object.keys(tr.products),
        ...Object.keys(tr.industries),
        ...Object.keys(tr.customerSizes),
      ]) {
        trackKeys++;
        if (declared.has(k)) declaredKeys++;
      }
    }
    // Track records follow the declared products/industries/sizes, with a little noise.
    expect(declaredKeys / trackKeys).toBeGreaterThan(0.9);
    expect(declaredKeys / trackKeys).toBeLessThan(1);
    const listed = ps.filter((p) => p.directoryListed).length / ps.length;
    expect(listed).toBeGreaterThan(0.92);
    expect(listed).toBeLessThan(0.98);
    expect(ps.filter((p) => p.reviews.count === 0).length / ps.length).toBeGreaterThan(0.2);
    expect(new Set(ps.map((p) => p.name)).size).toBe(ps.length);
  });

  it("lets top tiers serve bigger customers and sell more", () => {
    const ps = bigProfiles();
    const upmarket = (l: string) => {
      const g = ps.filter((p) => levelOf(p) === l);
      return g.filter((p) => p.customerSizes.includes("enterprise")).length / g.length;
    };
    expect(upmarket("elite")).toBeGreaterThan(upmarket("gold"));
    expect(upmarket("diamond")).toBeGreaterThan(upmarket("none"));
    const medianSold = (l: string) => {
      const v = ps
        .filter((p) => levelOf(p) === l)
        .map((p) => p.internal.soldMrr12m)
        .sort((a, b) => a - b);
      return v[Math.floor(v.length / 2)] ?? 0;
    };
    expect(medianSold("elite")).toBeGreaterThan(medianSold("diamond"));
    expect(medianSold("diamond")).toBeGreaterThan(medianSold("platinum"));
    expect(medianSold("platinum")).toBeGreaterThan(medianSold("gold"));
  });

  it("spreads partners over 40+ countries with the US biggest", () => {
    const ps = bigProfiles();
    const byCountry = new Map<string, number>();
    for (const p of ps) byCountry.set(home(p), (byCountry.get(home(p)) ?? 0) + 1);
    expect(byCountry.size).toBeGreaterThanOrEqual(40);
    const ranked = [...byCountry].sort((a, b) => b[1] - a[1]).map(([c]) => c);
    expect(ranked[0]).toBe("US");
    expect(ranked.slice(1, 3)).toEqual(["GB", "DE"]);
  });

  it("writes names and descriptions in the partners' languages", () => {
    const ps = bigProfiles();
    const text = (c: string) =>
      ps.filter((p) => home(p) === c).map((p) => `${p.name} ${p.description}`);
    const some = (c: string, re: RegExp) => text(c).filter((t) => re.test(t)).length;
    expect(some("JP", /株式会社|合同会社/)).toBeGreaterThan(50);
    expect(some("JP", /[\u3040-\u30ff].*支援/)).toBeGreaterThan(50);
    expect(some("DE", / für .*\.|GmbH/)).toBeGreaterThan(200);
    expect(some("DE", /[A-ZÄÖÜ][a-zäöüß]{12,}/)).toBeGreaterThan(100); // compounds
    expect(some("FR", / pour | et /)).toBeGreaterThan(100);
    expect(some("ES", / para | y /)).toBeGreaterThan(100);
    expect(some("BR", / para | e |ção/)).toBeGreaterThan(100);
    expect(some("NL", / voor | en /)).toBeGreaterThan(100);
    expect(some("IT", / per | e /)).toBeGreaterThan(50);
    // A share of non-English partners also writes in English.
    expect(some("DE", / for /)).toBeGreaterThan(20);
    // And they speak their language, often English as well.
    const de = ps.filter((p) => home(p) === "DE");
    expect(de.every((p) => p.languages.includes("de"))).toBe(true);
    expect(de.filter((p) => p.languages.includes("en")).length / de.length).toBeGreaterThan(0.5);
  });
});
