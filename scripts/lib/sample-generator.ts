// Seeded, deterministic sample partner profiles (CONTRACT.md section 1) for demos, tests and
// benchmarks. One seed gives byte-identical output on every machine, so nothing here may touch
// Math.random, the clock or the locale; the shape (countries, tier pyramid, accreditations rarer
// where they are not offered, multilingual text) is meant to look like a real program's feed.

import { type Catalog, defaultCatalog } from "../../src/catalog/catalog.js";
import { defaultPolicy, type MarketPolicy } from "../../src/catalog/policy.js";
import { hash53 } from "../../src/lib/hash.js";
import type { ProfileInput } from "../../src/partner/schema.js";
import {
  type CityRow,
  COUNTRIES,
  type CountrySpec,
  LEGAL_BY_CITY_LANG,
  type TextLang,
} from "./sample-geo.js";
import {
  CLOSING_SENTENCES,
  DESCRIPTION_TEMPLATES,
  FIRST_NAMES,
  INDUSTRY_TEXT,
  JA_HEADS,
  JA_TAILS,
  NAME_WORDS,
  SERVICE_TEXT,
  STAFF_NOTES,
} from "./sample-texts.js";

export type SampleProfile = ProfileInput;

// ---------------------------------------------------------------------------------------------
// Randomness

/** mulberry32: tiny, fast, good enough for sample data, and identical on every JS engine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seed per partner, mixed from the run seed and the index, so partner N does not depend on how
 * many random numbers partners 0..N-1 drew: the first 2,000 of a 100k run equal a 2,000 run
 * (up to name de-duplication, which looks at earlier partners).
 */
function partnerSeed(seed: number, index: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function at<T>(items: readonly T[], i: number): T {
  const v = items[i];
  if (v === undefined) throw new Error(`sample generator: index ${i} out of range`);
  return v;
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }
  /** Log-uniform: money and customer counts spread over orders of magnitude. */
  logBetween(min: number, max: number): number {
    return Math.exp(this.between(Math.log(min), Math.log(max)));
  }
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return at(items, Math.floor(this.next() * items.length));
  }
  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [v, w] of items) {
      r -= w;
      if (r < 0) return v;
    }
    return at(items, items.length - 1)[0];
  }
  /** Up to k distinct items drawn by weight without replacement. */
  weightedSample<T>(items: readonly (readonly [T, number])[], k: number): T[] {
    const pool = items.filter(([, w]) => w > 0).map(([v, w]) => [v, w] as const);
    const out: T[] = [];
    while (out.length < k && pool.length > 0) {
      let total = 0;
      for (const [, w] of pool) total += w;
      let r = this.next() * total;
      let idx = pool.length - 1;
      for (let i = 0; i < pool.length; i++) {
        r -= at(pool, i)[1];
        if (r < 0) {
          idx = i;
          break;
        }
      }
      out.push(at(pool, idx)[0]);
      pool.splice(idx, 1);
    }
    return out;
  }
  shuffle<T>(items: readonly T[]): T[] {
    const a = [...items];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = at(a, i);
      a[i] = at(a, j);
      a[j] = t;
    }
    return a;
  }
}

// ---------------------------------------------------------------------------------------------
// The shape of the program: how each tier differs. Ranges are [min, max].

type TierKey = "provider" | "none" | "gold" | "platinum" | "diamond" | "elite";
type Range = readonly [number, number];

interface TierProfile {
  /** 0 (provider) .. 5 (elite): one scale for everything that grows with seniority. */
  level: number;
  /** Chance of holding at least one accreditation where accreditations are offered. */
  accredited: number;
  /** Chance of each further accreditation once one is held. */
  moreAccreditations: number;
  certifications: Range;
  customers: Range;
  soldMrr: Range;
  managedMrr: Range;
  retention: Range;
  toolUsage: Range;
  /** Weights over customer sizes micro..enterprise for the centre of the sizes served. */
  sizeCentre: readonly number[];
  noReviews: number;
  /** ln of the typical review count. */
  reviewsMu: number;
  maxReferrals: Range;
  secondLocation: number;
  statesBudget: number;
}

const TIERS: Readonly<Record<TierKey, TierProfile>> = {
  provider: {
    level: 0,
    accredited: 0.01,
    moreAccreditations: 0,
    certifications: [1, 8],
    customers: [2, 15],
    soldMrr: [200, 8_000],
    managedMrr: [100, 5_000],
    retention: [0.6, 0.85],
    toolUsage: [1, 3.5],
    sizeCentre: [35, 40, 20, 5, 0],
    noReviews: 0.75,
    reviewsMu: 1,
    maxReferrals: [2, 3],
    secondLocation: 0.03,
    statesBudget: 0.2,
  },
  none: {
    level: 1,
    accredited: 0.03,
    moreAccreditations: 0.1,
    certifications: [2, 15],
    customers: [3, 25],
    soldMrr: [1_000, 15_000],
    managedMrr: [800, 12_000],
    retention: [0.6, 0.9],
    toolUsage: [1, 4.5],
    sizeCentre: [25, 40, 25, 8, 2],
    noReviews: 0.6,
    reviewsMu: 1.3,
    maxReferrals: [2, 4],
    secondLocation: 0.05,
    statesBudget: 0.3,
  },
  gold: {
    level: 2,
    accredited: 0.1,
    moreAccreditations: 0.2,
    certifications: [5, 30],
    customers: [10, 60],
    soldMrr: [10_000, 60_000],
    managedMrr: [8_000, 40_000],
    retention: [0.7, 0.93],
    toolUsage: [3, 5.5],
    sizeCentre: [10, 35, 35, 15, 5],
    noReviews: 0.35,
    reviewsMu: 2,
    maxReferrals: [2, 6],
    secondLocation: 0.08,
    statesBudget: 0.35,
  },
  platinum: {
    level: 3,
    accredited: 0.3,
    moreAccreditations: 0.3,
    certifications: [15, 60],
    customers: [30, 150],
    soldMrr: [50_000, 220_000],
    managedMrr: [35_000, 140_000],
    retention: [0.75, 0.95],
    toolUsage: [3.2, 6.5],
    sizeCentre: [3, 20, 40, 27, 10],
    noReviews: 0.2,
    reviewsMu: 2.7,
    maxReferrals: [3, 8],
    secondLocation: 0.15,
    statesBudget: 0.45,
  },
  diamond: {
    level: 4,
    accredited: 0.6,
    moreAccreditations: 0.45,
    certifications: [30, 120],
    customers: [80, 350],
    soldMrr: [180_000, 700_000],
    managedMrr: [120_000, 450_000],
    retention: [0.8, 0.97],
    toolUsage: [3.5, 7.5],
    sizeCentre: [0, 8, 32, 38, 22],
    noReviews: 0.1,
    reviewsMu: 3.3,
    maxReferrals: [4, 10],
    secondLocation: 0.25,
    statesBudget: 0.55,
  },
  elite: {
    level: 5,
    accredited: 0.9,
    moreAccreditations: 0.6,
    certifications: [60, 250],
    customers: [200, 900],
    soldMrr: [600_000, 3_000_000],
    managedMrr: [400_000, 2_000_000],
    retention: [0.85, 0.98],
    toolUsage: [4, 8],
    sizeCentre: [0, 3, 20, 40, 37],
    noReviews: 0.05,
    reviewsMu: 3.9,
    maxReferrals: [5, 10],
    secondLocation: 0.4,
    statesBudget: 0.6,
  },
};

/** Share of partners at each program level; within partners, the tier pyramid. */
const PROVIDER_SHARE = 0.17;
const PARTNER_TIERS: readonly (readonly [TierKey, number])[] = [
  ["none", 40],
  ["gold", 35],
  ["platinum", 15],
  ["diamond", 7.5],
  ["elite", 2.5],
];

/** Where accreditations are not offered a few partners still hold one (earned by a group team). */
const UNOFFERED_MARKET_FACTOR = 0.2;

const ACCREDITATION_WEIGHTS: readonly (readonly [string, number])[] = [
  ["crm_implementation", 5],
  ["onboarding", 4],
  ["crm_migration", 3],
  ["custom_integration", 2.5],
  ["solutions_architecture", 1.5],
];

/** Base chance that a partner offers a service. */
const SERVICE_BASE: readonly (readonly [string, number])[] = [
  ["crm_implementation", 0.55],
  ["onboarding", 0.5],
  ["custom_integration", 0.2],
  ["solutions_architecture", 0.12],
  ["crm_migration", 0.25],
  ["inbound_marketing", 0.6],
  ["content_marketing", 0.45],
  ["seo", 0.4],
  ["paid_ads", 0.3],
  ["web_design", 0.4],
  ["sales_enablement", 0.3],
  ["revops", 0.25],
  ["customer_service_setup", 0.15],
  ["training", 0.35],
  ["reporting_analytics", 0.3],
];
/** Technical services grow with seniority; agencies at the bottom are mostly marketing shops. */
const TECHNICAL = new Set([
  "crm_implementation",
  "onboarding",
  "custom_integration",
  "solutions_architecture",
  "crm_migration",
  "revops",
  "reporting_analytics",
]);
const TECH_FACTOR = [0.6, 0.9, 1, 1.25, 1.5, 1.7];

const PRODUCT_BASE: readonly (readonly [string, number])[] = [
  ["smart_crm", 0.85],
  ["marketing_hub", 0.7],
  ["sales_hub", 0.5],
  ["service_hub", 0.3],
  ["content_hub", 0.18],
  ["operations_hub", 0.15],
  ["commerce_hub", 0.08],
];
/** A service makes the matching product likelier: a service-desk shop sells Service Hub. */
const SERVICE_PRODUCT_BOOST: readonly (readonly [string, string, number])[] = [
  ["customer_service_setup", "service_hub", 0.45],
  ["sales_enablement", "sales_hub", 0.3],
  ["revops", "sales_hub", 0.2],
  ["revops", "operations_hub", 0.15],
  ["custom_integration", "operations_hub", 0.3],
  ["inbound_marketing", "marketing_hub", 0.2],
  ["content_marketing", "content_hub", 0.15],
  ["web_design", "content_hub", 0.2],
  ["seo", "content_hub", 0.1],
];
/** Share of a partner's customers that use each product (for track-record counts). */
const PRODUCT_USE: Readonly<Record<string, number>> = {
  smart_crm: 0.8,
  marketing_hub: 0.6,
  sales_hub: 0.45,
  service_hub: 0.3,
  content_hub: 0.2,
  operations_hub: 0.15,
  commerce_hub: 0.1,
};

const INDUSTRY_BASE: readonly (readonly [string, number])[] = [
  ["software", 12],
  ["professional_services", 12],
  ["manufacturing", 9],
  ["financial_services", 7],
  ["healthcare", 6],
  ["education", 6],
  ["retail_ecommerce", 9],
  ["real_estate", 5],
  ["travel_hospitality", 4],
  ["media_publishing", 4],
  ["nonprofit", 4],
  ["government", 1.5],
  ["energy_utilities", 2],
  ["construction", 3],
  ["automotive", 2],
  ["logistics", 3],
  ["telecommunications", 2],
  ["consumer_goods", 4],
  ["agriculture", 1.5],
  ["legal", 2.5],
];

const SIZES = ["micro", "small", "medium", "large", "enterprise"] as const;
const BUDGETS = [1_000, 2_500, 5_000, 10_000, 15_000, 25_000, 50_000, 100_000];
/** Big markets that a top-tier partner with an international team also sells into. */
const GLOBAL_MARKETS = ["US", "GB", "DE", "FR", "ES", "BR", "AU", "SG", "NL", "CA"];

const TEXT_LANGS = new Set<string>(["en", "de", "fr", "ja", "es", "pt", "nl", "it", "sv"]);
const COUNTRY_BY_CODE = new Map(COUNTRIES.map((c) => [c.code, c]));
const COUNTRY_WEIGHTS = COUNTRIES.map((c) => [c, c.weight] as const);

// Fixed to calendar 2026 as the brief's sample world; a constant, not the clock, keeps output
// reproducible.
const UPDATED_FROM = Date.UTC(2026, 0, 1);
const UPDATED_UNTIL = Date.UTC(2026, 10, 1); // exclusive: everything is before 2026-11-01
const ACCREDITED_FROM = Date.UTC(2021, 8, 1);
const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Public API

export interface GeneratorOptions {
  catalog?: Catalog;
  policy?: MarketPolicy;
}

/** `count` profiles for `seed`; the same arguments always give the same profiles. */
export function generatePartners(
  count: number,
  seed: number,
  options: GeneratorOptions = {},
): SampleProfile[] {
  return [...iteratePartners(count, seed, options)];
}

/** The same profiles one at a time, so a 100k run can be streamed to disk. */
export function* iteratePartners(
  count: number,
  seed: number,
  options: GeneratorOptions = {},
): Generator<SampleProfile> {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`bad count ${count}`);
  const catalog = options.catalog ?? defaultCatalog();
  const policy = options.policy ?? defaultPolicy(catalog);
  const idWidth = Math.max(6, String(count).length);
  // Names and web addresses are unique across the run, as they are in a real directory.
  const names = new Set<string>();
  const slugs = new Set<string>();
  const suffixes = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const rng = new Rng(partnerSeed(seed, i));
    const id = `p-${String(i + 1).padStart(idWidth, "0")}`;
    yield makePartner(rng, id, { catalog, policy, names, slugs, suffixes });
  }
}

/** A CLI `--seed` value: integers as they are, any other text hashed (hash53) to one. */
export function seedFromString(s: string): number {
  if (/^-?\d+$/.test(s.trim())) return Number(s) >>> 0;
  return hash53(s) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// One partner

interface RunState {
  catalog: Catalog;
  policy: MarketPolicy;
  names: Set<string>;
  slugs: Set<string>;
  suffixes: Map<string, number>;
}

function makePartner(rng: Rng, id: string, run: RunState): SampleProfile {
  const { catalog, policy } = run;
  const country = rng.weighted(COUNTRY_WEIGHTS);
  const city = rng.pick(country.cities);
  const isProvider = rng.chance(PROVIDER_SHARE);
  const tierKey: TierKey = isProvider ? "provider" : rng.weighted(PARTNER_TIERS);
  const tp = TIERS[tierKey];

  const cityLang = city[3] ?? country.lang;
  const lang: TextLang = TEXT_LANGS.has(cityLang) ? (cityLang as TextLang) : "en";
  const languages = spokenLanguages(rng, country, cityLang);

  const industries = pickIndustries(rng, country);
  const updatedMs =
    UPDATED_FROM + Math.floor(rng.float() * ((UPDATED_UNTIL - UPDATED_FROM) / 1000)) * 1000;
  const accreditations = pickAccreditations(rng, tp, country, policy, updatedMs);
  const services = pickServices(
    rng,
    tp,
    accreditations.map((a) => a.code),
  );
  const products = pickProducts(rng, tp, services);
  const customerSizes = pickSizes(rng, tp);

  const certificationsCount = Math.max(
    rng.int(tp.certifications[0], tp.certifications[1]),
    // An accreditation needs at least three certified people on the team.
    accreditations.length > 0 ? 3 * accreditations.length + rng.int(0, 6) : 0,
  );

  const locations = pickLocations(rng, tp, country, city);
  const markets = pickMarkets(rng, tp, country, locations);
  const customers = Math.round(rng.logBetween(tp.customers[0], tp.customers[1]));

  // Text: mostly in the local language; a share writes in English or adds an English sentence.
  const englishName = lang !== "en" && rng.chance(lang === "ja" ? 0.1 : 0.15);
  const { name, slug } = uniqueName(rng, run, lang, englishName, country, city, cityLang);
  const orderedServices = [
    ...accreditations.map((a) => a.code),
    ...rng.shuffle(services.filter((s) => !accreditations.some((a) => a.code === s))),
  ];
  const slots = {
    services: orderedServices,
    industry: industries[0] ?? "professional_services",
    product: catalog.label("product", rng.pick(products)),
    city,
    team: Math.max(2, Math.round(certificationsCount / 3)),
    customers: Math.max(10, Math.floor(customers / 10) * 10),
    us: country.code === "US" || country.code === "CA",
  };
  let description: string;
  const englishText = lang === "en" ? 0 : rng.float();
  if (englishText > 0 && englishText < 0.12) {
    description = describe(rng, "en", slots);
  } else if (englishText > 0 && englishText < 0.3) {
    description = `${describe(rng, lang, slots)} ${describe(rng, "en", { ...slots, closing: false })}`;
  } else {
    description = describe(rng, lang, slots);
  }
  // Whoever writes an English description works in English (a brand name alone says nothing).
  const writesEnglish = lang === "en" || (englishText > 0 && englishText < 0.3);
  if (writesEnglish && !languages.includes("en")) languages.push("en");

  const reviews = rng.chance(tp.noReviews)
    ? { count: 0, average: 0 }
    : {
        count: clamp(Math.round(Math.exp(tp.reviewsMu + rng.normal() * 0.8)), 1, 2500),
        average: clamp(round(4.7 - Math.abs(rng.normal()) * 0.35, 1), 3.5, 5),
      };

  const budget = rng.chance(tp.statesBudget)
    ? at(BUDGETS, clamp(Math.round(tp.level * 1.2 + rng.normal() * 1.2), 0, BUDGETS.length - 1))
    : undefined;
  const directoryListed = rng.chance(0.95);
  const internal = makeInternal(rng, tp, catalog, {
    customers,
    products,
    industries,
    customerSizes,
    lang,
    slug,
    isProvider,
  });

  // Key order follows the contract example, so the sample file reads like the documentation.
  return {
    id,
    name,
    description,
    website: `https://${slug}.example`,
    programLevel: isProvider ? "provider" : "partner",
    tier: isProvider ? "none" : tierKey,
    accreditations,
    certificationsCount,
    languages,
    industries,
    services,
    products,
    customerSizes,
    locations,
    markets,
    reviews,
    directoryListed,
    ...(budget === undefined ? {} : { minProjectBudgetUsd: budget }),
    internal,
    updatedAt: isoSeconds(updatedMs),
    deleted: false,
  };
}

function spokenLanguages(rng: Rng, country: CountrySpec, cityLang: string): string[] {
  const langs = [cityLang];
  const add = (l: string) => {
    if (!langs.includes(l)) langs.push(l);
  };
  // A Genève or Montréal partner usually also works in the country's main language.
  if (cityLang !== country.lang && rng.chance(0.4)) add(country.lang);
  for (const [l, p] of country.extra ?? []) if (rng.chance(p)) add(l);
  if (rng.chance(country.en)) add("en");
  return langs;
}

function pickIndustries(rng: Rng, country: CountrySpec): string[] {
  const n = rng.weighted([
    [1, 30],
    [2, 35],
    [3, 22],
    [4, 13],
  ] as const);
  const bias = country.industryBias ?? {};
  return rng.weightedSample(
    INDUSTRY_BASE.map(([code, w]) => [code, w * (bias[code] ?? 1)] as const),
    n,
  );
}

function pickAccreditations(
  rng: Rng,
  tp: TierProfile,
  country: CountrySpec,
  policy: MarketPolicy,
  updatedMs: number,
): { code: string; since: string }[] {
  const offered = ACCREDITATION_WEIGHTS.filter(([code]) =>
    policy.accreditationOffered(code, country.code),
  );
  const p = offered.length > 0 ? tp.accredited : tp.accredited * UNOFFERED_MARKET_FACTOR;
  if (!rng.chance(p)) return [];
  const pool = offered.length > 0 ? offered : ACCREDITATION_WEIGHTS;
  let n = 1;
  while (n < pool.length && rng.chance(tp.moreAccreditations)) n++;
  const lastDay = Math.floor(updatedMs / DAY) - 1;
  const firstDay = Math.floor(ACCREDITED_FROM / DAY);
  return rng.weightedSample(pool, n).map((code) => ({
    code,
    since: new Date(rng.int(firstDay, lastDay) * DAY).toISOString().slice(0, 10),
  }));
}

function pickServices(rng: Rng, tp: TierProfile, accredited: readonly string[]): string[] {
  const techFactor = at(TECH_FACTOR, tp.level);
  const chosen = new Set<string>(accredited);
  for (const [code, p] of SERVICE_BASE) {
    if (rng.chance(Math.min(0.95, TECHNICAL.has(code) ? p * techFactor : p))) chosen.add(code);
  }
  // Every listing names at least three services (the directory form asks for them).
  const fill = rng.shuffle(SERVICE_BASE.map(([code]) => code));
  for (const code of fill) {
    if (chosen.size >= 3) break;
    chosen.add(code);
  }
  // Catalog order reads better in a listing than draw order.
  return SERVICE_BASE.map(([code]) => code).filter((c) => chosen.has(c));
}

function pickProducts(rng: Rng, tp: TierProfile, services: readonly string[]): string[] {
  const scale = 0.8 + 0.12 * tp.level;
  const out: string[] = [];
  for (const [code, base] of PRODUCT_BASE) {
    let p = base * scale;
    for (const [service, product, boost] of SERVICE_PRODUCT_BOOST) {
      if (product === code && services.includes(service)) p += boost;
    }
    if (rng.chance(Math.min(0.97, p))) out.push(code);
  }
  if (out.length === 0) out.push("smart_crm");
  return out;
}

function pickSizes(rng: Rng, tp: TierProfile): string[] {
  const centre = rng.weighted(tp.sizeCentre.map((w, i) => [i, w] as const));
  const width = rng.weighted([
    [1, 30],
    [2, 45],
    [3, 25],
  ] as const);
  let lo = centre;
  let hi = centre;
  while (hi - lo + 1 < width) {
    const down = lo > 0 && (hi >= SIZES.length - 1 || rng.chance(0.5));
    if (down) lo--;
    else hi++;
  }
  return SIZES.slice(lo, hi + 1);
}

type Loc = { country: string; city: string; lat: number; lon: number };

function locationIn(rng: Rng, country: CountrySpec, city: CityRow): Loc {
  // A few km of jitter: offices are spread over a city, and distance ranking needs no ties.
  return {
    country: country.code,
    city: city[0],
    lat: round(city[1] + rng.between(-0.02, 0.02), 4),
    lon: round(city[2] + rng.between(-0.02, 0.02), 4),
  };
}

function pickLocations(rng: Rng, tp: TierProfile, country: CountrySpec, city: CityRow) {
  const locations = [locationIn(rng, country, city)];
  const extra = rng.chance(tp.secondLocation) ? (rng.chance(tp.level / 10) ? 2 : 1) : 0;
  for (let k = 0; k < extra; k++) {
    const abroad = country.neighbours
      .map((c) => COUNTRY_BY_CODE.get(c))
      .filter((c): c is CountrySpec => c !== undefined);
    const home = country.cities.filter((c) => !locations.some((l) => l.city === c[0]));
    if (home.length > 0 && (abroad.length === 0 || rng.chance(0.6))) {
      locations.push(locationIn(rng, country, rng.pick(home)));
    } else if (abroad.length > 0) {
      const other = rng.pick(abroad);
      const otherCity = rng.pick(other.cities);
      if (!locations.some((l) => l.city === otherCity[0])) {
        locations.push(locationIn(rng, other, otherCity));
      }
    }
  }
  return locations;
}

function pickMarkets(
  rng: Rng,
  tp: TierProfile,
  country: CountrySpec,
  locations: readonly Loc[],
): string[] {
  const markets = new Set([country.code]);
  for (const n of country.neighbours) if (rng.chance(0.2 + 0.06 * tp.level)) markets.add(n);
  for (const l of locations) markets.add(l.country);
  if (tp.level >= 4 && rng.chance(0.25)) {
    for (const m of rng.weightedSample(
      GLOBAL_MARKETS.map((m) => [m, 1] as const),
      rng.int(1, 3),
    )) {
      markets.add(m);
    }
  }
  return [...markets];
}

// ---------------------------------------------------------------------------------------------
// Names and descriptions

function uniqueName(
  rng: Rng,
  run: RunState,
  lang: TextLang,
  english: boolean,
  country: CountrySpec,
  city: CityRow,
  cityLang: string,
): { name: string; slug: string } {
  // Names and web addresses are unique across the run: duplicates would make directory results
  // and test failures hard to read.
  const taken = (name: string) => run.names.has(name);
  let made = brandName(rng, lang, english, country, cityLang, false);
  for (let tries = 0; taken(made.name) && tries < 6; tries++) {
    // After two misses switch to the roomy pattern so big runs rarely need a suffix.
    made = brandName(rng, lang, english, country, cityLang, tries >= 1);
  }
  if (taken(made.name)) {
    // Real directories disambiguate the same brand by its city ("Faro Digital Sevilla").
    const ja = lang === "ja" && !english;
    const brand = ja ? `${made.brand}${city[4] ?? city[0]}` : `${made.brand} ${city[0]}`;
    made = { ...made, brand, name: withLegal(brand, made.legal) };
    if (taken(made.name)) {
      const key = `n:${country.code}|${made.name}`;
      const n = nextFree(run.suffixes, key, (k) => !taken(withLegal(`${brand} ${k}`, made.legal)));
      made = { ...made, name: withLegal(`${brand} ${n}`, made.legal) };
    }
  }
  run.names.add(made.name);
  let slug = made.slug || "partner";
  if (run.slugs.has(slug)) slug = `${slug}-${slugify(city[0])}`;
  if (run.slugs.has(slug)) {
    const base = slug;
    slug = `${base}-${nextFree(run.suffixes, `s:${base}`, (k) => !run.slugs.has(`${base}-${k}`))}`;
  }
  run.slugs.add(slug);
  return { name: made.name, slug };
}

/** Smallest free numeric suffix from 2, remembering where the last search ended (big runs). */
function nextFree(memo: Map<string, number>, key: string, free: (n: number) => boolean): number {
  let n = memo.get(key) ?? 2;
  while (!free(n)) n++;
  memo.set(key, n + 1);
  return n;
}

interface Brand {
  brand: string;
  slug: string;
  legal: string;
  name: string;
}

function withLegal(brand: string, legal: string): string {
  if (legal === "") return brand;
  if (legal === "株式会社:pre") return `株式会社${brand}`;
  if (legal === "合同会社:pre") return `合同会社${brand}`;
  if (legal.endsWith(" ")) return `${legal}${brand}`;
  if (/^[\u3000-\u9fff]/.test(legal)) return `${brand}${legal}`;
  return `${brand} ${legal}`;
}

/** A brand in the partner's language; `roomy` picks the pattern with the most combinations. */
function brandName(
  rng: Rng,
  lang: TextLang,
  english: boolean,
  country: CountrySpec,
  cityLang: string,
  roomy: boolean,
): Brand {
  if (lang === "ja" && !english) {
    const [h, hr] = rng.pick(JA_HEADS);
    const [t, tr] = rng.pick(JA_TAILS);
    let brand = `${h}${t}`;
    let slug = `${hr}-${tr}`;
    if (roomy) {
      const [t2, t2r] = rng.pick(JA_TAILS.filter(([x]) => x !== t));
      brand += t2;
      slug += `-${t2r}`;
    }
    // 前株 and 後株 are both common; 合同会社 is the small-company form.
    const legal = rng.weighted([
      ["株式会社:pre", 60],
      ["株式会社", 30],
      ["合同会社:pre", 10],
    ] as const);
    return { brand, slug, legal, name: withLegal(brand, legal) };
  }
  const en = english || lang === "en" || lang === "ja";
  const words = en ? NAME_WORDS.en : NAME_WORDS[lang];
  const compound = () => {
    const [a, b] = words.compound as [readonly string[], readonly string[]];
    return `${rng.pick(a)}${rng.pick(b)}`;
  };
  const r = roomy ? 1 : rng.float();
  let brand: string;
  if (r < 0.35) {
    brand = `${rng.pick(words.heads)} ${rng.pick(words.tails)}`;
  } else if (r < 0.55 && words.compound) {
    brand = compound();
    if (rng.chance(0.4)) brand += ` ${rng.pick(words.tails)}`;
  } else if (r < 0.7 && words.lead) {
    brand = `${rng.pick(words.lead)} ${rng.pick(words.heads)}`;
  } else if (r < 0.8) {
    const s1 = rng.pick(words.surnames);
    const tail = rng.pick(words.firmTail);
    if (tail.startsWith("&")) brand = `${s1} ${tail}`;
    else {
      let s2 = rng.pick(words.surnames);
      if (s2 === s1) s2 = rng.pick(words.surnames);
      brand = `${s1} & ${s2}${tail ? ` ${tail}` : ""}`;
    }
  } else if (r < 0.88 && country.flavour && en) {
    brand = `${rng.pick(country.flavour)} ${rng.pick(words.tails)}`;
  } else if (en) {
    // "Iron Harbor Marketing": two heads and a tail, tens of thousands of combinations.
    const h1 = rng.pick(words.heads);
    let h2 = rng.pick(words.heads);
    if (h2 === h1) h2 = rng.pick(words.heads);
    brand = `${h1} ${h2} ${rng.pick(words.tails)}`;
  } else if (words.compound) {
    brand = `${rng.pick(words.heads)} ${compound()}`;
  } else {
    const t1 = rng.pick(words.tails);
    let t2 = rng.pick(words.tails);
    if (t2 === t1) t2 = rng.pick(words.tails);
    brand =
      words.lead && rng.chance(0.5)
        ? `${rng.pick(words.lead)} ${rng.pick(words.heads)} ${t1}`
        : `${rng.pick(words.heads)} ${t1} ${t2}`;
  }
  const legal =
    country.code === "JP"
      ? rng.pick(["Inc.", "Co., Ltd.", ""])
      : rng.pick(LEGAL_BY_CITY_LANG[`${country.code}:${cityLang}`] ?? country.legal);
  return { brand, slug: slugify(brand), legal, name: withLegal(brand, legal) };
}

interface TextSlots {
  services: readonly string[];
  industry: string;
  product: string;
  city: CityRow;
  team: number;
  customers: number;
  us: boolean;
  closing?: boolean;
}

function describe(rng: Rng, lang: TextLang, x: TextSlots): string {
  const svc = (i: number) => {
    const code = x.services[i] ?? x.services[0] ?? "crm_implementation";
    return SERVICE_TEXT[code]?.[lang] ?? code;
  };
  const first = rng.pick(DESCRIPTION_TEMPLATES[lang])({
    s1: svc(0),
    s2: svc(1),
    s3: svc(2),
    industry: INDUSTRY_TEXT[x.industry]?.[lang] ?? x.industry,
    product: x.product,
    us: x.us,
  });
  if (x.closing === false || !rng.chance(0.5)) return first;
  const city = lang === "ja" ? (x.city[4] ?? x.city[0]) : x.city[0];
  const closing = rng
    .pick(CLOSING_SENTENCES[lang])
    .replace("{CITY}", city)
    .replace("{TEAM}", String(x.team))
    .replace("{CUSTOMERS}", String(x.customers));
  return lang === "ja" ? `${first}${closing}` : `${first} ${closing}`;
}

/** ASCII web-address label: accents dropped, everything else a hyphen. */
export function slugify(s: string): string {
  let slug = slugCache.get(s);
  if (slug === undefined) {
    slug = computeSlug(s);
    // Brands repeat a lot and Unicode normalisation is the slow part; the cache stays small.
    if (slugCache.size < 50_000) slugCache.set(s, slug);
  }
  return slug;
}
const slugCache = new Map<string, string>();

function computeSlug(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/æ/g, "ae")
    .replace(/[øœ]/g, "o")
    .replace(/ł/g, "l")
    .replace(/ı/g, "i")
    .replace(/&/g, "and")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
}

// ---------------------------------------------------------------------------------------------
// Internal (staff-only) data

interface InternalInputs {
  customers: number;
  products: readonly string[];
  industries: readonly string[];
  customerSizes: readonly string[];
  lang: TextLang;
  slug: string;
  isProvider: boolean;
}

function makeInternal(rng: Rng, tp: TierProfile, catalog: Catalog, x: InternalInputs) {
  const total = x.customers;
  const products: Record<string, number> = {};
  for (const p of x.products) {
    products[p] = Math.max(1, Math.round(total * (PRODUCT_USE[p] ?? 0.2) * rng.between(0.5, 1.2)));
  }
  const industries = spread(rng, x.industries, total * rng.between(0.6, 0.95));
  const customerSizes = spread(rng, x.customerSizes, total * rng.between(0.7, 1));
  // Staff records lag the public profile a little: a dropped line here, a stray one there.
  addNoise(rng, products, catalog.lists.product);
  addNoise(rng, industries, catalog.lists.industry);
  addNoise(rng, customerSizes, catalog.lists.customerSize);

  const maxOpenReferrals = rng.int(tp.maxReferrals[0], tp.maxReferrals[1]);
  const openReferrals = rng.chance(0.15) ? maxOpenReferrals : rng.int(0, maxOpenReferrals - 1);
  const notes = rng.chance(0.7)
    ? rng
        .weightedSample(
          STAFF_NOTES.map((n) => [n, 1] as const),
          rng.int(1, 2),
        )
        .map((n) =>
          n.replace("{IND}", catalog.label("industry", rng.pick(x.industries)).toLowerCase()),
        )
        .join(" ")
    : "";

  const internal: NonNullable<SampleProfile["internal"]> = {
    soldMrr12m: Math.round(rng.logBetween(tp.soldMrr[0], tp.soldMrr[1]) / 100) * 100,
    managedMrr: Math.round(rng.logBetween(tp.managedMrr[0], tp.managedMrr[1]) / 100) * 100,
    retention: round(rng.between(tp.retention[0], tp.retention[1]), 2),
    toolUsageIndex: round(rng.between(tp.toolUsage[0], tp.toolUsage[1]), 1),
    trackRecord: { products, industries, customerSizes },
    capacity: {
      acceptingReferrals: rng.chance(x.isProvider ? 0.55 : 0.88),
      maxOpenReferrals,
      openReferrals,
    },
    notes,
  };
  if (rng.chance(0.35)) {
    const people = rng.weightedSample(
      FIRST_NAMES[x.lang].map((n) => [n, 1] as const),
      rng.int(1, 3),
    );
    internal.contactEmails = people.map((first) => {
      const local = rng.chance(0.5)
        ? first
        : `${first}.${String.fromCharCode(97 + rng.int(0, 25))}`;
      return `${local}@${x.slug}.example`;
    });
  }
  return internal;
}

/** Splits `total` over `keys`, the first key heaviest (it is the partner's main focus). */
function spread(rng: Rng, keys: readonly string[], total: number): Record<string, number> {
  const weights = keys.map((_, i) => rng.between(0.5, 1.5) / (i + 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  keys.forEach((k, i) => {
    out[k] = Math.max(1, Math.round((total * at(weights, i)) / sum));
  });
  return out;
}

function addNoise(rng: Rng, record: Record<string, number>, all: readonly string[]): void {
  const keys = Object.keys(record);
  if (keys.length > 1 && rng.chance(0.08)) delete record[rng.pick(keys)];
  if (rng.chance(0.1)) {
    const missing = all.filter((k) => !(k in record));
    if (missing.length > 0) record[rng.pick(missing)] = rng.int(1, 3);
  }
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function clamp(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, v));
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
