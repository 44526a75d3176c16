// Partner-finder speed and fairness: latency of a whole-market match (all US partners of the
// 100k feed, and of the 10k sample) through the same path as the HTTP handler
// (backend.candidates + ranking, via findMatches), the in-process HTTP round trip on top, and
// the exposure Gini of top-3 appearances among tied partners over 100 customers with identical
// needs.

import { createApp } from "../../src/http/app.js";
import type { Profile } from "../../src/partner/schema.js";
import { findMatches } from "../../src/ranking/find-matches.js";
import { gini } from "../../src/ranking/gini.js";
import { Matcher, type MatchRequest } from "../../src/ranking/match.js";
import { MemoryBackend } from "../../src/search/memory/memory-backend.js";
import { catalog, ensure100k, loadBackend, policy, SAMPLE_10K } from "./_feeds.js";
import { fmt, summarise, table } from "./_stats.js";

const NOW = new Date("2026-11-23T12:00:00Z");
const ROUNDS = 100;

/** A mix of realistic staff requests over the US market, from broad to specific. */
const MIX: Omit<MatchRequest, "limit">[] = [
  { customer: { country: "US" } },
  { customer: { country: "US", languages: ["en"], products: ["sales_hub"] } },
  {
    customer: {
      country: "US",
      languages: ["en"],
      industry: "manufacturing",
      companySize: "large",
      products: ["sales_hub", "service_hub"],
      needs: ["crm_implementation", "onboarding"],
      location: { lat: 41.88, lon: -87.63 },
    },
    motion: "difm",
  },
  {
    customer: {
      country: "US",
      languages: ["en", "es"],
      industry: "software",
      companySize: "medium",
      products: ["marketing_hub", "content_hub"],
      needs: ["seo", "inbound_marketing", "custom_integration"],
      location: { lat: 37.77, lon: -122.42 },
    },
    motion: "upmarket_referral",
  },
  {
    customer: {
      country: "US",
      industry: "healthcare",
      products: ["service_hub"],
      needs: ["customer_service_setup"],
      partnerOfRecord: "p-000042",
    },
  },
];

async function latency(backend: MemoryBackend, label: string) {
  const matcher = new Matcher(catalog, policy);
  const requests = MIX.map((m, i) => ({
    ...m,
    limit: 10,
    customer: { ...m.customer, id: `c${i}` },
  }));
  // First call per request shape builds the market's feature block.
  const cold: number[] = [];
  for (const r of requests) {
    const t = performance.now();
    await findMatches(backend, matcher, r, NOW);
    cold.push(performance.now() - t);
  }
  const samples: number[] = [];
  let considered = 0;
  let eligible = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, r] of requests.entries()) {
      const req = { ...r, customer: { ...r.customer, id: `c${i}-${round}` } };
      const t = performance.now();
      const out = await findMatches(backend, matcher, req, NOW);
      samples.push(performance.now() - t);
      considered = Math.max(considered, out.considered);
      eligible += out.eligible;
    }
  }
  const s = summarise(samples);
  return {
    row: [
      label,
      considered,
      Math.round(eligible / samples.length),
      fmt(s.median),
      fmt(s.p99),
      fmt(Math.max(...cold)),
    ],
    median: s.median,
  };
}

async function httpLatency(backend: MemoryBackend, label: string) {
  const token = "bench-token-0123456789";
  const app = createApp({ backend, catalog, policy, matchTokens: [token], clock: () => NOW });
  const body = (i: number) =>
    JSON.stringify({ ...MIX[2], customer: { ...MIX[2]?.customer, id: `h${i}` }, limit: 10 });
  const call = (i: number) =>
    app.request("/v1/match", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body(i),
    });
  for (let i = 0; i < 20; i++) await (await call(i)).arrayBuffer();
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    const r = await call(i);
    await r.arrayBuffer();
    samples.push(performance.now() - t);
    if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
  }
  const s = summarise(samples);
  return [label, fmt(s.median), fmt(s.p99)];
}

/**
 * 100 customers with the same needs (only their reference differs): how evenly do the partners
 * tied at the 3rd place share the top 3? The tie group is formed as the ranking forms it
 * (greedy from the top, within the policy's epsilon of its best). Partners above that group
 * always appear and are not counted.
 */
async function exposure(
  backend: MemoryBackend,
  label: string,
  needs: MatchRequest["customer"],
  customers = 100,
) {
  const matcher = new Matcher(catalog, policy);
  const eps = policy.data.match.tieEpsilon;
  const wide = await findMatches(backend, matcher, { customer: needs, limit: 500 }, NOW);
  const scores = wide.candidates.map((c) => ({ id: c.profile.id, score: c.score }));
  scores.sort((a, b) => b.score - a.score);
  let start = 0;
  let group: typeof scores = [];
  while (start < scores.length) {
    const head = scores[start]?.score ?? 0;
    let end = start + 1;
    while (end < scores.length && (scores[end]?.score ?? 0) >= head - eps) end++;
    if (end >= 3) {
      group = scores.slice(start, end);
      break;
    }
    start = end;
  }
  const above = new Set(scores.slice(0, start).map((x) => x.id));
  const seen = new Map(group.map((x) => [x.id, 0]));
  for (let i = 0; i < customers; i++) {
    const out = await findMatches(
      backend,
      matcher,
      { customer: { ...needs, id: `customer-${i}` }, limit: 3 },
      NOW,
    );
    for (const c of out.candidates) {
      const id = c.profile.id;
      if (above.has(id)) continue;
      const n = seen.get(id);
      if (n === undefined) throw new Error(`${id} reached the top 3 from outside the tie group`);
      seen.set(id, n + 1);
    }
  }
  const counts = [...seen.values()];
  const slots = counts.reduce((a, b) => a + b, 0);
  // Independent per-customer rotation cannot beat sampling noise: counts ~ Binomial.
  const mean = slots / counts.length;
  const floor = Math.sqrt((1 - mean / customers) / mean / Math.PI);
  return [
    customers === 100 ? label : `${label} (${customers} customers)`,
    above.size,
    counts.length,
    `${Math.min(...counts)}-${Math.max(...counts)}`,
    gini(counts).toFixed(3),
    floor.toFixed(3),
  ];
}

/** Identical partners (clones of one real profile under new ids): every score ties. */
function clonesBackend(source: MemoryBackend, n: number): MemoryBackend {
  const base = source
    .candidatesSync({ country: "US", programLevels: catalog.referralLevels })
    .find(
      (p) =>
        p.programLevel === "partner" &&
        p.accreditations.length > 0 &&
        p.internal.capacity.acceptingReferrals &&
        p.internal.capacity.openReferrals < p.internal.capacity.maxOpenReferrals,
    ) as Profile;
  const clones = Array.from({ length: n }, (_, i) => ({
    kind: "upsert" as const,
    profile: { ...base, id: `clone-${String(i).padStart(3, "0")}` },
  }));
  const b = new MemoryBackend(catalog, policy);
  b.applySync(clones);
  return b;
}

export default async function run() {
  const sample = await loadBackend(SAMPLE_10K);
  const big = await loadBackend(ensure100k());
  console.log(
    `\nMatch latency through findMatches (backend.candidates + ranking), limit 10, ${MIX.length} request shapes x ${ROUNDS} rounds; cold = first call per shape (builds the market block):\n`,
  );
  const rows = [await latency(sample, "10k sample, US"), await latency(big, "100k feed, US")];
  table(
    ["feed", "US candidates", "eligible (avg)", "median", "p99", "cold (max)"],
    rows.map((r) => r.row),
  );
  const goal = rows[1]?.median ?? Number.NaN;
  console.log(
    `\ngoal <= 5 ms median for the 100k US market: ${goal <= 5 ? "met" : "MISSED"} (${fmt(goal)})`,
  );

  console.log(
    "\nIn-process HTTP round trip (auth, validation, ranking, staff projection, JSON):\n",
  );
  table(
    ["feed", "median", "p99"],
    [await httpLatency(sample, "10k sample, US"), await httpLatency(big, "100k feed, US")],
  );

  console.log(
    "\nExposure over 100 customers with identical needs: Gini of top-3 appearances among the partners tied at 3rd place (goal <= 0.2). `noise floor` approximates the Gini that independent per-customer rotation cannot beat (binomial counts, about 1/sqrt(pi * mean)); a very large tie group needs more customers to show its evenness:\n",
  );
  const broad = { country: "US", languages: ["en"] };
  const inbound = { ...broad, products: ["marketing_hub"], needs: ["seo", "inbound_marketing"] };
  const crm = {
    ...broad,
    industry: "manufacturing",
    companySize: "large",
    products: ["sales_hub"],
    needs: ["crm_implementation"],
  };
  table(
    ["scenario", "always above", "tied", "appearances", "Gini", "noise floor"],
    [
      await exposure(big, "100k US: en only", broad),
      await exposure(big, "100k US: en only", broad, 1000),
      await exposure(big, "100k US: marketing_hub, seo + inbound", inbound),
      await exposure(big, "100k US: manufacturing, large, sales_hub, crm_implementation", crm),
      await exposure(sample, "10k US: marketing_hub, seo + inbound", inbound),
      await exposure(clonesBackend(big, 12), "12 identical partners", broad),
    ],
  );
}
