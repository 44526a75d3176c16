// The reasons staff see for each candidate on the page: one per signal that applies, with a
// human-readable detail and its contribution. Contributions are rounded to whole millionths
// and the score is their sum, so the reasons add up to the score exactly. Only the page's rows
// are explained, after ranking, which is why the text is built here and not in the hot loop.
import { SIGNALS, type Signal } from "../catalog/match-policy.js";
import type { Profile } from "../partner/schema.js";
import { accredited } from "./eligibility.js";
import type { Bound, MatchContext } from "./match-plan.js";
import type { RankedCandidate, Reason } from "./match-types.js";
import { fillSignals, nearestKm } from "./signals.js";

/** Contributions are whole millionths, so the reasons add up to the score exactly. */
const UNIT = 1_000_000;

/** Score and reasons of one eligible row; the contributions add up to the score. */
export function explain(ctx: MatchContext, x: Bound, r: number, rank: number): RankedCandidate {
  const { plan, block } = x;
  const p = block.profiles[r] as Profile;
  const out = new Float64Array(SIGNALS.length);
  fillSignals(ctx, x, r, out);
  const reasons: Reason[] = [];
  let units = 0;
  for (let i = 0; i < SIGNALS.length; i++) {
    if (!plan.applies[i]) continue;
    const signal = SIGNALS[i] as Signal;
    if (signal === "partner_of_record" && r !== x.porRow) continue;
    const u = Math.round((plan.weights[i] as number) * (out[i] as number) * UNIT);
    units += u;
    reasons.push({
      signal,
      detail: detail(ctx, signal, x, r, out[i] as number),
      contribution: u / UNIT,
    });
  }
  return {
    rank,
    score: units / UNIT,
    eligibility: accredited(x, r) ? "accredited" : "qualified",
    profile: p,
    reasons,
  };
}

/** The human-readable side of one reason: what the partner offers against what was asked. */
function detail(ctx: MatchContext, signal: Signal, x: Bound, r: number, value: number): string {
  const { plan, block: b } = x;
  const p = b.profiles[r] as Profile;
  const label = ctx.catalog.label;
  const c = plan.request.customer;
  const tr = p.internal.trackRecord;
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  const sim = `similarity ${value.toFixed(2)}`;
  switch (signal) {
    case "partner_of_record":
      return "already manages this customer; the partner of record ranks first when eligible";
    case "accreditation_match":
      return plan.accreditationNeeds
        .map((need) => {
          const name = label("accreditation", need.code);
          if (!need.offered) {
            const svc = need.serviceDim >= 0 && b.fit[need.serviceDim * b.n + r] === 1;
            return `${name}: not offered in ${plan.country}, judged by the service (${svc ? "offered" : "not offered"})`;
          }
          const held = ((b.accreditationMask[r] as number) & (1 << need.bit)) !== 0;
          return `${name}: ${held ? "accredited" : "not accredited"}`;
        })
        .join("; ");
    case "accredited": {
      const held = p.accreditations
        .map((a) => a.code)
        .filter((code) => ctx.policy.accreditationOffered(code, plan.country));
      return held.length > 0
        ? `holds ${held.map((h) => label("accreditation", h)).join(", ")}`
        : `holds no accreditation offered in ${plan.country}`;
    }
    case "products":
      return `${[...new Set(c.products ?? [])]
        .map(
          (h) => `${label("product", h)}: ${declaredAnd(p.products.includes(h), tr.products[h])}`,
        )
        .join("; ")}; ${sim}`;
    case "industry": {
      const ind = c.industry ?? "";
      return `${label("industry", ind)}: ${declaredAnd(p.industries.includes(ind), tr.industries[ind])}; ${sim}`;
    }
    case "company_size": {
      const size = c.companySize ?? "";
      return `${label("customerSize", size)}: ${declaredAnd(p.customerSizes.includes(size), tr.customerSizes[size])}; ${sim}`;
    }
    case "services": {
      const needs = [...new Set(c.needs ?? [])];
      const has = needs.filter((h) => p.services.includes(h));
      const missing = needs.filter((h) => !p.services.includes(h));
      const names = (a: string[]) => a.map((h) => label("service", h)).join(", ");
      return `offers ${has.length} of ${needs.length} needed services${has.length ? `: ${names(has)}` : ""}${missing.length ? `; not ${names(missing)}` : ""}`;
    }
    case "languages": {
      const shared = plan.languages.filter((l) => p.languages.includes(l));
      return `speaks ${shared.join(", ")} of ${plan.languages.join(", ")}`;
    }
    case "track_record": {
      if (plan.recordGroups.length === 0) {
        return `${b.totalProductRecord[r]} customers across products (${pct(value)} of full credit)`;
      }
      const parts = [
        ...[...new Set(c.products ?? [])].map(
          (h) => `${tr.products[h] ?? 0} ${label("product", h)}`,
        ),
        ...(c.industry
          ? [`${tr.industries[c.industry] ?? 0} ${label("industry", c.industry)}`]
          : []),
        ...(c.companySize
          ? [`${tr.customerSizes[c.companySize] ?? 0} ${label("customerSize", c.companySize)}`]
          : []),
      ];
      return `customers: ${parts.join(", ")} (${pct(value)} of full credit)`;
    }
    case "tier":
      return `${label("tier", p.tier)} (tier ${b.tierRank[r]} of ${ctx.catalog.maxTierRank})`;
    case "retention":
      return `retains ${pct(p.internal.retention)} of managed customers`;
    case "tool_usage":
      return `tool-usage index ${p.internal.toolUsageIndex} (full credit at ${ctx.m.features.toolUsageTarget})`;
    case "reviews":
      return `${p.reviews.average} from ${p.reviews.count} reviews (weighted ${(b.rating[r] as number).toFixed(2)})`;
    case "proximity": {
      const km = plan.location ? nearestKm(b, r, plan.location) : undefined;
      return km === undefined
        ? "no office with known coordinates"
        : `nearest office ${Math.round(km)} km away`;
    }
    case "capacity": {
      const cap = p.internal.capacity;
      return `${cap.maxOpenReferrals - cap.openReferrals} of ${cap.maxOpenReferrals} referral slots free`;
    }
  }
}

function declaredAnd(declared: boolean, count: number | undefined): string {
  return `${declared ? "declared" : "not declared"}, ${count ?? 0} customers`;
}
