// Partner features for the finder, precomputed once per market and laid out column by column
// (typed arrays indexed by candidate row). A request over a whole market then streams through
// a few contiguous arrays instead of chasing pointers through 20k profile objects, which is
// what keeps a US-wide match within a few milliseconds.
//
// A block is cached per country and list size, and reused only while the backend returns the very same
// profile objects in the same order, checked pointer by pointer: a feed update replaces profile
// objects, so a stale block can never be used. Languages are columns computed on first use, so
// every language variant of a market shares one block.
import type { Catalog } from "../catalog/catalog.js";
import type { MatchPolicy } from "../catalog/match-policy.js";
import type { Profile } from "../partner/schema.js";
import { bayesianRating } from "./directory.js";
import { writeUnitVector } from "./geo.js";
import { idHash } from "./rotation.js";
import { acceptingReferrals, hasCapacity, receivesReferrals, servesCountry } from "./rules.js";

/** Groups compared by vector similarity; the first three also carry track-record counts. */
export const FIT_GROUPS = ["products", "industry", "company_size", "services"] as const;
export type FitGroup = (typeof FIT_GROUPS)[number];
export type RecordGroup = Exclude<FitGroup, "services">;

/** Where each group's dimensions sit among the vector columns. */
export interface Layout {
  /** Catalog codes per group, in catalog order (the vector dimension order). */
  readonly codes: Readonly<Record<FitGroup, readonly string[]>>;
  readonly dim: Readonly<Record<FitGroup, ReadonlyMap<string, number>>>;
  /** First fit column of each group. */
  readonly fitAt: Readonly<Record<FitGroup, number>>;
  /** First count column of each record group. */
  readonly recAt: Readonly<Record<RecordGroup, number>>;
  readonly fitLength: number;
  readonly recLength: number;
  readonly accreditationBit: ReadonlyMap<string, number>;
}

export function buildLayout(catalog: Catalog): Layout {
  const codes: Record<FitGroup, readonly string[]> = {
    products: catalog.lists.product,
    industry: catalog.lists.industry,
    company_size: catalog.lists.customerSize,
    services: catalog.lists.service,
  };
  const dim = {} as Record<FitGroup, Map<string, number>>;
  const fitAt = {} as Record<FitGroup, number>;
  let at = 0;
  for (const g of FIT_GROUPS) {
    dim[g] = new Map(codes[g].map((c, i) => [c, i]));
    fitAt[g] = at;
    at += codes[g].length;
  }
  const recAt = {
    products: 0,
    industry: codes.products.length,
    company_size: codes.products.length + codes.industry.length,
  };
  return {
    codes,
    dim,
    fitAt,
    recAt,
    fitLength: at,
    recLength: recAt.company_size + codes.company_size.length,
    accreditationBit: new Map(catalog.lists.accreditation.map((c, i) => [c, i])),
  };
}

export const F_REFERRALS = 1;
export const F_ACCEPTING = 2;
/** Accepting referrals and at least one open slot left. */
export const F_CAPACITY = 4;
/** Located in or serving the block's country. */
export const F_SERVES = 8;

export function saturate(count: number, half: number): number {
  return count / (count + half);
}

/**
 * Features of the profiles the backend returned for one country, by row. Vectors are
 * column-major (`fit[column * n + row]`) so a request reads each requested dimension as one
 * contiguous run.
 */
export class MarketBlock {
  readonly n: number;
  readonly profiles: readonly Profile[];
  readonly flags: Uint8Array;
  readonly tierRank: Uint8Array;
  readonly accreditationMask: Int32Array;
  readonly retention: Float64Array;
  /** Tool-usage index over its target, capped at 1. */
  readonly toolUsage: Float64Array;
  /** Bayesian reviews average (0..5). */
  readonly rating: Float64Array;
  /** Free share of the referral slots, 0..1. */
  readonly headroom: Float64Array;
  readonly totalProductRecord: Float64Array;
  readonly idHash: Uint32Array;
  readonly languageCount: Uint16Array;
  /**
   * Per fit group: declaredPrior for a declared code plus its track-record count; services
   * are 0/1. Float32: ranking needs the order of magnitudes, not the last digits.
   */
  readonly fit: Float32Array;
  /** Squared L2 norm of each row's slice per fit group (`norm2[g * n + row]`). */
  readonly norm2: Float64Array;
  /** Raw track-record counts (products | industries | sizes); integers, exact in float32. */
  readonly counts: Float32Array;
  /** Unit vectors of located coordinates: rows' triples in coords[coordAt[r] .. coordAt[r+1]). */
  readonly coordAt: Int32Array;
  readonly coords: Float64Array;
  private readonly speaking = new Map<string, Uint8Array>();
  private rowOf: Map<string, number> | undefined;

  constructor(
    profiles: readonly Profile[],
    readonly country: string,
    catalog: Catalog,
    layout: Layout,
    m: MatchPolicy,
  ) {
    const n = profiles.length;
    this.n = n;
    this.profiles = profiles.slice();
    this.flags = new Uint8Array(n);
    this.tierRank = new Uint8Array(n);
    this.accreditationMask = new Int32Array(n);
    this.retention = new Float64Array(n);
    this.toolUsage = new Float64Array(n);
    this.rating = new Float64Array(n);
    this.headroom = new Float64Array(n);
    this.totalProductRecord = new Float64Array(n);
    this.idHash = new Uint32Array(n);
    this.languageCount = new Uint16Array(n);
    this.fit = new Float32Array(layout.fitLength * n);
    this.norm2 = new Float64Array(FIT_GROUPS.length * n);
    this.counts = new Float32Array(layout.recLength * n);
    this.coordAt = new Int32Array(n + 1);
    let located = 0;
    for (const p of profiles) {
      for (const l of p.locations) if (l.lat !== undefined && l.lon !== undefined) located++;
    }
    this.coords = new Float64Array(located * 3);
    const { declaredPrior, toolUsageTarget, reviewsPrior } = m.features;
    const fit = this.fit;
    const counts = this.counts;
    const L = layout;
    // Float32 like the columns, so the norms are computed from exactly the stored values.
    const rowFit = new Float32Array(L.fitLength);
    const rowCounts = new Float32Array(L.recLength);
    let c = 0;
    for (let r = 0; r < n; r++) {
      const p = profiles[r] as Profile;
      const cap = p.internal.capacity;
      let flags = 0;
      if (receivesReferrals(p, catalog)) flags |= F_REFERRALS;
      if (acceptingReferrals(p)) flags |= F_ACCEPTING;
      if (hasCapacity(p)) flags |= F_CAPACITY;
      if (servesCountry(p, country)) flags |= F_SERVES;
      this.flags[r] = flags;
      this.tierRank[r] = catalog.tierRank[p.tier] ?? 0;
      let mask = 0;
      for (const a of p.accreditations) {
        const bit = L.accreditationBit.get(a.code);
        if (bit !== undefined) mask |= 1 << bit;
      }
      this.accreditationMask[r] = mask;
      this.retention[r] = p.internal.retention;
      this.toolUsage[r] = Math.min(1, p.internal.toolUsageIndex / toolUsageTarget);
      this.rating[r] = bayesianRating(p.reviews.count, p.reviews.average, reviewsPrior);
      this.headroom[r] =
        cap.maxOpenReferrals > 0
          ? Math.max(0, cap.maxOpenReferrals - cap.openReferrals) / cap.maxOpenReferrals
          : 0;
      this.idHash[r] = idHash(p.id);
      this.languageCount[r] = p.languages.length;

      // The row is assembled in small scratch arrays and only its non-zero values scattered
      // into the columns: touching all ~80 columns per row costs a cache miss each.
      rowFit.fill(0);
      rowCounts.fill(0);
      const tr = p.internal.trackRecord;
      declare(rowFit, L, "products", p.products, declaredPrior);
      declare(rowFit, L, "industry", p.industries, declaredPrior);
      declare(rowFit, L, "company_size", p.customerSizes, declaredPrior);
      declare(rowFit, L, "services", p.services, 1);
      this.totalProductRecord[r] = record(rowFit, rowCounts, L, "products", tr.products);
      record(rowFit, rowCounts, L, "industry", tr.industries);
      record(rowFit, rowCounts, L, "company_size", tr.customerSizes);
      for (let gi = 0; gi < FIT_GROUPS.length; gi++) {
        const g = FIT_GROUPS[gi] as FitGroup;
        const base = L.fitAt[g];
        const len = L.codes[g].length;
        let sum = 0;
        for (let i = 0; i < len; i++) {
          const v = rowFit[base + i] as number;
          if (v === 0) continue;
          fit[(base + i) * n + r] = v;
          sum += v * v;
        }
        this.norm2[gi * n + r] = sum;
      }
      for (let i = 0; i < rowCounts.length; i++) {
        const v = rowCounts[i] as number;
        if (v !== 0) counts[i * n + r] = v;
      }

      this.coordAt[r] = c;
      for (const l of p.locations) {
        if (l.lat === undefined || l.lon === undefined) continue;
        writeUnitVector(l.lat, l.lon, this.coords, c);
        c += 3;
      }
    }
    this.coordAt[n] = c;
  }

  /** 1 per row that speaks `lang`; computed on first use, then kept with the block. */
  speaks(lang: string): Uint8Array {
    let col = this.speaking.get(lang);
    if (!col) {
      col = new Uint8Array(this.n);
      for (let r = 0; r < this.n; r++) {
        if ((this.profiles[r] as Profile).languages.includes(lang)) col[r] = 1;
      }
      this.speaking.set(lang, col);
    }
    return col;
  }

  /** True when `profiles` is the very list this block was built from (same objects, order). */
  sameProfiles(profiles: readonly Profile[]): boolean {
    if (profiles.length !== this.n) return false;
    const mine = this.profiles;
    for (let i = 0; i < profiles.length; i++) if (profiles[i] !== mine[i]) return false;
    return true;
  }

  /** Row of a partner id, or -1. */
  rowOfId(id: string): number {
    this.rowOf ??= new Map(this.profiles.map((p, i) => [p.id, i]));
    return this.rowOf.get(id) ?? -1;
  }
}

function declare(
  row: Float32Array,
  L: Layout,
  g: FitGroup,
  codes: readonly string[],
  value: number,
): void {
  const dims = L.dim[g];
  for (const code of codes) {
    const d = dims.get(code);
    if (d !== undefined) row[L.fitAt[g] + d] = value;
  }
}

/** Adds a record group's counts to the row's fit values and counts; returns their sum. */
function record(
  rowFit: Float32Array,
  rowCounts: Float32Array,
  L: Layout,
  g: RecordGroup,
  rec: Partial<Record<string, number>>,
): number {
  const dims = L.dim[g];
  let total = 0;
  for (const code in rec) {
    const count = rec[code];
    const d = dims.get(code);
    if (d === undefined || count === undefined || count <= 0) continue;
    rowCounts[L.recAt[g] + d] = count;
    rowFit[L.fitAt[g] + d] = (rowFit[L.fitAt[g] + d] as number) + count;
    total += count;
  }
  return total;
}

/**
 * Least-recently-used blocks, bounded by their total rows so a few large markets and many
 * small ones fit the same budget.
 */
export class BlockCache {
  private readonly blocks = new Map<string, MarketBlock>();
  private rows = 0;

  constructor(
    private readonly catalog: Catalog,
    private readonly layout: Layout,
    private readonly m: MatchPolicy,
    private readonly maxRows = 250_000,
  ) {}

  get(profiles: readonly Profile[], country: string): MarketBlock {
    // Pre-filtered candidate lists of one market (per motion) differ in size: each keeps its
    // own block instead of evicting the others'.
    const key = `${country}:${profiles.length}`;
    const hit = this.blocks.get(key);
    if (hit) {
      this.blocks.delete(key);
      this.rows -= hit.n;
    }
    const block =
      hit?.sameProfiles(profiles) === true
        ? hit
        : new MarketBlock(profiles, country, this.catalog, this.layout, this.m);
    this.blocks.set(key, block);
    this.rows += block.n;
    for (const [k, b] of this.blocks) {
      if (this.rows <= this.maxRows || b === block) break;
      this.blocks.delete(k);
      this.rows -= b.n;
    }
    return block;
  }

  /** A block that is not cached, for one-off checks. */
  build(profiles: readonly Profile[], country: string): MarketBlock {
    return new MarketBlock(profiles, country, this.catalog, this.layout, this.m);
  }
}
