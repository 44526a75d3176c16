// The program catalog at run time: validated data plus the lookups every other module needs
// (code sets, tier order, region membership). Built once, then read-only.

import { describeIssues, type IssueLike } from "../lib/zod-issues.js";
import defaultCatalogJson from "./data/catalog.json" with { type: "json" };
import defaultGeographyJson from "./data/geography.json" with { type: "json" };
import { type CatalogData, CatalogDataSchema, type Geography, GeographySchema } from "./schema.js";

export type CodeKind =
  | "programLevel"
  | "tier"
  | "accreditation"
  | "product"
  | "service"
  | "industry"
  | "customerSize"
  | "country"
  | "language";

export interface Catalog {
  readonly data: CatalogData;
  readonly geography: Geography;
  readonly codes: Readonly<Record<CodeKind, ReadonlySet<string>>>;
  /** Ordered lists, for facets and vectors with a stable dimension order. */
  readonly lists: Readonly<Record<CodeKind, readonly string[]>>;
  readonly tierRank: Readonly<Record<string, number>>;
  readonly maxTierRank: number;
  /** The tier of rank 0, which every untiered partner and every untiered level holds. */
  readonly untieredTier: string;
  /** Program levels the vendor hands referrals to (the finder's program-level rule). */
  readonly referralLevels: readonly string[];
  /** True when partners of this program level hold a tier. */
  isTiered(programLevel: string): boolean;
  /** The directory badge of a program level and tier: the tier's own, else the level's. */
  levelBadge(programLevel: string, tier: string): string | undefined;
  /** A code's name for people: in `lang` when the catalog has it, else English, else the code. */
  label(kind: CodeKind, code: string, lang?: string): string;
  /** True when `country` is `area` itself or a member of the region named `area`. */
  inArea(country: string, area: string): boolean;
  inAnyArea(country: string, areas: readonly string[]): boolean;
}

export class CatalogError extends Error {
  override name = "CatalogError";
}

export function buildCatalog(rawCatalog: unknown, rawGeography: unknown = defaultGeographyJson) {
  const data = parseOrThrow(CatalogDataSchema, rawCatalog, "catalog");
  const geography = parseOrThrow(GeographySchema, rawGeography, "geography");
  const lists: Record<CodeKind, string[]> = {
    programLevel: data.programLevels.map((e) => e.code),
    tier: [...data.tiers].sort((a, b) => a.rank - b.rank).map((e) => e.code),
    accreditation: data.accreditations.map((e) => e.code),
    product: data.products.map((e) => e.code),
    service: data.services.map((e) => e.code),
    industry: data.industries.map((e) => e.code),
    customerSize: data.customerSizes.map((e) => e.code),
    country: geography.countries,
    language: geography.languages,
  };
  const codes = Object.fromEntries(
    Object.entries(lists).map(([k, v]) => [k, new Set(v)]),
  ) as Record<CodeKind, Set<string>>;
  const labels = new Map<string, string>();
  const labelled: [CodeKind, { code: string; label: string; labels?: Record<string, string> }[]][] =
    [
      ["programLevel", data.programLevels],
      ["tier", data.tiers],
      ["accreditation", data.accreditations],
      ["product", data.products],
      ["service", data.services],
      ["industry", data.industries],
      ["customerSize", data.customerSizes],
    ];
  for (const [kind, entries] of labelled) {
    for (const e of entries) {
      labels.set(`${kind}:${e.code}`, e.label);
      for (const [lang, l] of Object.entries(e.labels ?? {}))
        labels.set(`${kind}:${e.code}:${lang}`, l);
    }
  }
  for (const [region, members] of Object.entries(geography.regions)) {
    for (const c of members) {
      if (!codes.country.has(c))
        throw new CatalogError(`region ${region} names unknown country ${c}`);
    }
  }
  const regionSets = new Map(Object.entries(geography.regions).map(([r, m]) => [r, new Set(m)]));
  const tierRank = Object.fromEntries(data.tiers.map((t) => [t.code, t.rank]));
  const levels = new Map(data.programLevels.map((l) => [l.code, l]));
  const tierBadges = new Map(data.tiers.map((t) => [t.code, t.badge]));
  const catalog: Catalog = {
    data,
    geography,
    codes,
    lists,
    tierRank,
    maxTierRank: Math.max(...data.tiers.map((t) => t.rank)),
    untieredTier: (data.tiers.find((t) => t.rank === 0) as { code: string }).code,
    referralLevels: data.programLevels.filter((l) => l.receivesReferrals).map((l) => l.code),
    isTiered: (level) => levels.get(level)?.tiered ?? false,
    levelBadge: (level, tier) => {
      const l = levels.get(level);
      if (!l) return undefined;
      return (l.tiered ? tierBadges.get(tier) : undefined) ?? l.badge;
    },
    label: (kind, c, lang) =>
      (lang ? labels.get(`${kind}:${c}:${lang}`) : undefined) ?? labels.get(`${kind}:${c}`) ?? c,
    inArea: (country, area) => country === area || (regionSets.get(area)?.has(country) ?? false),
    inAnyArea: (country, areas) => areas.some((a) => catalog.inArea(country, a)),
  };
  return catalog;
}

let cached: Catalog | undefined;
/** The bundled catalog; shared because it is immutable. */
export function defaultCatalog(): Catalog {
  cached ??= buildCatalog(defaultCatalogJson);
  return cached;
}

export function parseOrThrow<T>(
  schema: {
    safeParse(
      v: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: readonly IssueLike[] } };
  },
  raw: unknown,
  what: string,
): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  throw new CatalogError(`invalid ${what}: ${describeIssues(r.error.issues)}`);
}
