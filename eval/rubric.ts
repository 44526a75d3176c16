// The grading rubric behind the judgment sets: how a person who knows the partner program
// (shared/DOMAIN.md beside the repository) grades one partner for one directory search or one staff match request,
// 0 (not relevant / not a candidate) to 3 (what the searcher or the staff member should see
// first). It reads the profile and the market policy's facts (where matching and accreditations
// are offered, the program's conditions for a non-accredited candidate), never a ranking score,
// so the grades do not inherit our ranking's choices. Every grade comes with a one-line reason.
//
// Directory (a public searcher):
//   0  not listed, does not match the filters, or does none of what the search asks for;
//   1  covers part of the search, or all of it without any proof of quality;
//   2  covers all of it and is tiered (Gold or above), accredited, or well reviewed; or covers
//      part of it while holding the accreditation the search needs or a Platinum+ tier;
//   3  covers all of it and proves the team: holds the accreditation the need calls for (for a
//      need without one, any accreditation offered there plus a tier), since the program puts
//      accredited partners first "so that customers find the right partner faster". Where the
//      market offers no accreditation (JP, FR, ES, LATAM) partners are judged on other criteria:
//      Platinum or above, or Gold and well reviewed.
//   "Covers" is judged on the partner's declared services, industries, products, sizes,
//   languages and cities against the intent written for the query (eval/cases.ts).
//
// Staff match (a CSM or GS handing over a customer):
//   0  not a candidate: a Solutions Provider, does not serve the country, shares no language,
//      not accepting referrals or at capacity, neither accredited (in this market) nor meeting
//      the program's conditions for a non-accredited partner, an upmarket referral without an
//      accreditation where one is offered, or any partner where matching is not offered;
//   3  the partner of record, when it is a candidate (the customer already works with it);
//   1..3 otherwise from a fit fraction over the aspects the request names (table below), with
//      thresholds 0.75 (3) and 0.5 (2); a partner without any accreditation the need calls for
//      (where offered) is capped at 2, because accreditation relevant to the need is the
//      strongest signal.
import type { Catalog } from "../src/catalog/catalog.js";
import type { MarketPolicy } from "../src/catalog/policy.js";
import type { Profile } from "../src/partner/schema.js";
import type { MatchRequest } from "../src/ranking/match.js";
import type { DirectoryCase, DirectoryIntent } from "./cases.js";

export type Grade = 0 | 1 | 2 | 3;
export interface Judgment {
  grade: Grade;
  why: string;
}

/** Fit aspects of a match request and their weight in the fit fraction. */
export const MATCH_ASPECT_WEIGHTS = {
  /** Holds the accreditations the need names (where offered): the strongest signal. */
  accreditation: 3,
  /** Holds any accreditation offered here, when the need names none (the program favours it). */
  accredited: 1,
  /** Customers using the requested products (sold and managed track record). */
  products: 2,
  /** Customers in the requested industry. */
  industry: 2,
  /** Customers of the requested size. */
  size: 1,
  /** Offers the needed services. */
  services: 1.5,
  /** Speaks every language the customer speaks. */
  languages: 0.5,
  /** Tier: proven selling and servicing at volume. */
  tier: 1,
  /** An office near the customer. */
  proximity: 0.75,
} as const;

const TIER_CREDIT: Record<string, number> = {
  none: 0,
  gold: 0.3,
  platinum: 0.6,
  diamond: 1,
  elite: 1,
};
const STRONG_TIERS = new Set(["platinum", "diamond", "elite"]);
const TIERED = new Set(["gold", "platinum", "diamond", "elite"]);

const fold = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();

export function servesCountry(p: Profile, country: string): boolean {
  return p.locations.some((l) => l.country === country) || p.markets.includes(country);
}

function wellReviewed(p: Profile): boolean {
  return p.reviews.count >= 5 && p.reviews.average >= 4.5;
}

export interface RubricContext {
  catalog: Catalog;
  policy: MarketPolicy;
}

/** Accreditation codes offered in `market` (all of them when no market is known). */
function offeredIn(ctx: RubricContext, market: string | undefined): Set<string> {
  return new Set(
    ctx.catalog.lists.accreditation.filter(
      (a) => market === undefined || ctx.policy.accreditationOffered(a, market),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Directory

const FILTER_VALUES: Record<string, (p: Profile) => string[]> = {
  country: (p) => [...p.locations.map((l) => l.country), ...p.markets],
  language: (p) => p.languages,
  industry: (p) => p.industries,
  service: (p) => p.services,
  product: (p) => p.products,
  customerSize: (p) => p.customerSizes,
  tier: (p) => [p.tier],
  accredited: (p) => [String(p.accreditations.length > 0)],
};

export function matchesFilters(p: Profile, filters: DirectoryCase["filters"]): boolean {
  return Object.entries(filters).every(([field, values]) => {
    if (!values || values.length === 0) return true;
    const have = FILTER_VALUES[field]?.(p) ?? [];
    return values.some((v) => have.includes(v));
  });
}

/** Share of the intent's aspects the partner covers, and the aspects it misses. */
function coverage(p: Profile, intent: DirectoryIntent): { share: number; missing: string[] } {
  const parts: [string, number][] = [];
  const share = (want: string[], have: string[]) =>
    want.filter((w) => have.includes(w)).length / want.length;
  if (intent.services?.length) parts.push(["services", share(intent.services, p.services)]);
  if (intent.anyServices?.length)
    parts.push(["services", intent.anyServices.some((s) => p.services.includes(s)) ? 1 : 0]);
  if (intent.industries?.length)
    parts.push(["industry", intent.industries.some((s) => p.industries.includes(s)) ? 1 : 0]);
  if (intent.products?.length) parts.push(["products", share(intent.products, p.products)]);
  if (intent.customerSizes?.length)
    parts.push(["sizes", intent.customerSizes.some((s) => p.customerSizes.includes(s)) ? 1 : 0]);
  if (intent.languages?.length)
    parts.push(["language", intent.languages.some((s) => p.languages.includes(s)) ? 1 : 0]);
  if (intent.cities?.length) {
    const cities = p.locations.map((l) => fold(l.city));
    parts.push(["city", intent.cities.some((c) => cities.includes(fold(c))) ? 1 : 0]);
  }
  if (parts.length === 0) return { share: 1, missing: [] };
  return {
    share: parts.reduce((s, [, v]) => s + v, 0) / parts.length,
    missing: parts.filter(([, v]) => v < 1).map(([k]) => k),
  };
}

export function gradeDirectory(p: Profile, c: DirectoryCase, ctx: RubricContext): Judgment {
  if (!p.directoryListed) return { grade: 0, why: "not listed in the directory" };
  if (!matchesFilters(p, c.filters)) return { grade: 0, why: "does not match the filters" };
  const cov = coverage(p, c.intent);
  if (cov.share === 0) return { grade: 0, why: `does none of what was asked (${cov.missing})` };

  const market = c.filters.country?.[0] ?? c.intent.market;
  const offered = offeredIn(ctx, market);
  const exempt = offered.size === 0;
  const needAcc = [...(c.intent.services ?? []), ...(c.intent.anyServices ?? [])].filter((s) =>
    ctx.catalog.codes.accreditation.has(s),
  );
  const held = p.accreditations.map((a) => a.code).filter((a) => offered.has(a));
  const heldForNeed = held.filter((a) => needAcc.includes(a));
  const tier = p.tier;
  const reviewed = wellReviewed(p);
  const quality = `${tier === "none" ? p.programLevel : tier}${reviewed ? ", well reviewed" : ""}`;

  if (cov.share === 1) {
    if (!exempt && heldForNeed.length > 0)
      return { grade: 3, why: `covers the search; accredited for ${heldForNeed.join("+")}` };
    if (!exempt && needAcc.length === 0 && held.length > 0 && TIERED.has(tier))
      return { grade: 3, why: `covers the search; accredited (${held.join("+")}), ${quality}` };
    if (exempt && (STRONG_TIERS.has(tier) || (TIERED.has(tier) && reviewed)))
      return { grade: 3, why: `covers the search; no accreditation offered here, ${quality}` };
    if (held.length > 0 || TIERED.has(tier) || reviewed) {
      const acc = held.length > 0 ? `accredited (${held.join("+")}) ` : "";
      const lacks = !exempt && needAcc.length > 0 ? `; not accredited for ${needAcc}` : "";
      return { grade: 2, why: `covers the search; ${acc}${quality}${lacks}` };
    }
    return { grade: 1, why: `covers the search but shows no proof of quality (${quality})` };
  }
  const part = `covers ${Math.round(cov.share * 100)}% (misses ${cov.missing.join(", ")})`;
  if ((!exempt && heldForNeed.length > 0) || STRONG_TIERS.has(tier))
    return {
      grade: 2,
      why: `${part}; ${heldForNeed.length > 0 ? `accredited for ${heldForNeed}, ` : ""}${quality}`,
    };
  return { grade: 1, why: `${part}; ${quality}` };
}

// ---------------------------------------------------------------------------------------------
// Staff match

/** Distance in km between two points (haversine). */
export function km(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The first program rule that keeps `p` from being a candidate, or undefined. */
export function matchIneligibility(
  p: Profile,
  req: MatchRequest,
  ctx: RubricContext,
): string | undefined {
  const c = req.customer;
  const policy = ctx.policy;
  if (!policy.matchingOffered(c.country)) return `matching is not offered in ${c.country}`;
  if (p.programLevel !== "partner") return "a Solutions Provider, not a referral candidate";
  if (!servesCountry(p, c.country)) return `does not serve ${c.country}`;
  if (c.languages?.length && !c.languages.some((l) => p.languages.includes(l)))
    return `speaks none of ${c.languages.join(", ")}`;
  const cap = p.internal.capacity;
  if (!cap.acceptingReferrals) return "not accepting referrals";
  if (cap.openReferrals >= cap.maxOpenReferrals)
    return `at capacity (${cap.openReferrals}/${cap.maxOpenReferrals} referrals open)`;
  const offered = offeredIn(ctx, c.country);
  const accredited = p.accreditations.some((a) => offered.has(a.code));
  // The market's conditions, read from the policy data: the first byMarket entry naming the
  // country or a region holding it, else the default.
  const mq = policy.data.match.qualified;
  const q =
    mq.byMarket.find((b) => b.in.some((a) => ctx.catalog.inArea(c.country, a)))?.conditions ??
    mq.default;
  if (!accredited) {
    const tierOk = (ctx.catalog.tierRank[p.tier] ?? 0) >= (ctx.catalog.tierRank[q.minTier] ?? 0);
    const tr = p.internal.trackRecord;
    const record = [
      ...(c.products ?? []).map((x) => tr.products[x] ?? 0),
      ...(c.industry ? [tr.industries[c.industry] ?? 0] : []),
    ];
    const proven =
      record.length > 0
        ? record.some((n) => n >= q.minTrackRecord)
        : Object.values(tr.products).reduce((s: number, n) => s + (n ?? 0), 0) >= q.minTrackRecord;
    if (!tierOk || p.internal.retention < q.minRetention || !proven)
      return `not accredited here and does not meet the conditions (tier >= ${q.minTier}, retention >= ${q.minRetention}, ${q.minTrackRecord}+ customers in the requested product or industry)`;
    if (
      req.motion &&
      policy.data.match.motions[req.motion].requireAccreditation &&
      offered.size > 0
    )
      return `${req.motion} requires an accreditation`;
  }
  return undefined;
}

function recordCredit(count: number, declared: boolean): number {
  if (count >= 5) return 1;
  if (count >= 1) return 0.6;
  return declared ? 0.3 : 0;
}

export function gradeMatch(p: Profile, req: MatchRequest, ctx: RubricContext): Judgment {
  const rule = matchIneligibility(p, req, ctx);
  if (rule) return { grade: 0, why: rule };
  const c = req.customer;
  if (c.partnerOfRecord === p.id)
    return {
      grade: 3,
      why: "partner of record and a candidate: the customer already works with it",
    };

  const offered = offeredIn(ctx, c.country);
  const held = p.accreditations.map((a) => a.code).filter((a) => offered.has(a));
  const needs = [...new Set(c.needs ?? [])];
  const needAcc = needs.filter((n) => offered.has(n));
  const tr = p.internal.trackRecord;
  const W = MATCH_ASPECT_WEIGHTS;
  let got = 0;
  let max = 0;
  const notes: string[] = [];
  const add = (w: number, credit: number, note: string) => {
    got += w * credit;
    max += w;
    notes.push(note);
  };

  if (needAcc.length > 0) {
    const have = needAcc.filter((a) => held.includes(a));
    add(
      W.accreditation,
      have.length / needAcc.length,
      `accredited ${have.length}/${needAcc.length}`,
    );
  } else if (offered.size > 0) {
    add(W.accredited, held.length > 0 ? 1 : 0, held.length > 0 ? "accredited" : "not accredited");
  }
  if (c.products?.length) {
    const ps = [...new Set(c.products)];
    const credit =
      ps.reduce((s, x) => s + recordCredit(tr.products[x] ?? 0, p.products.includes(x)), 0) /
      ps.length;
    add(W.products, credit, `products ${ps.map((x) => `${x}:${tr.products[x] ?? 0}`).join(",")}`);
  }
  if (c.industry) {
    const n = tr.industries[c.industry] ?? 0;
    add(W.industry, recordCredit(n, p.industries.includes(c.industry)), `${c.industry}:${n}`);
  }
  if (c.companySize) {
    const n = tr.customerSizes[c.companySize] ?? 0;
    const sizes = ctx.catalog.lists.customerSize;
    const i = sizes.indexOf(c.companySize);
    const adjacent = [sizes[i - 1], sizes[i + 1]].some((s) => s && p.customerSizes.includes(s));
    const credit =
      n >= 3 ? 1 : n >= 1 || p.customerSizes.includes(c.companySize) ? 0.5 : adjacent ? 0.25 : 0;
    add(W.size, credit, `${c.companySize}:${n}`);
  }
  if (needs.length > 0) {
    const has = needs.filter((n) => p.services.includes(n)).length;
    add(W.services, has / needs.length, `services ${has}/${needs.length}`);
  }
  if (c.languages?.length) {
    const all = c.languages.every((l) => p.languages.includes(l));
    add(W.languages, all ? 1 : 0, all ? "speaks all" : "speaks some");
  }
  add(W.tier, TIER_CREDIT[p.tier] ?? 0, p.tier);
  if (c.location) {
    const at = c.location;
    const near = Math.min(
      ...p.locations.map((l) =>
        l.lat === undefined || l.lon === undefined
          ? Number.POSITIVE_INFINITY
          : km({ lat: l.lat, lon: l.lon }, at),
      ),
    );
    const where = Number.isFinite(near) ? `${Math.round(near)} km` : "no known office coordinates";
    add(W.proximity, near <= 100 ? 1 : near <= 300 ? 0.5 : 0, where);
  }

  const fit = max > 0 ? got / max : 0;
  let grade: Grade = fit >= 0.75 ? 3 : fit >= 0.5 ? 2 : 1;
  let cap = "";
  if (needAcc.length > 0 && !needAcc.some((a) => held.includes(a)) && grade === 3) {
    grade = 2;
    cap = "; capped: no accreditation the need calls for";
  }
  return { grade, why: `fit ${fit.toFixed(2)}: ${notes.join("; ")}${cap}` };
}
