// List sizes of the partner finder in every market where matching is offered (the staff-finder
// issue): a request with country, language, one product, one industry and one need should
// return at least min(limit, partners passing the basic hard rules at tier >= Gold). Counts,
// not timings: the same on any machine. For each market the request varies over its three most
// common products, two most common industries and two most common services among the partners
// that pass the basic rules, in the language most common among partners located there; the
// smallest list is reported.
import { findMatches } from "../../src/ranking/find-matches.js";
import { Matcher, type MatchRequest } from "../../src/ranking/match.js";
import { hasCapacity, receivesReferrals, servesCountry } from "../../src/ranking/rules.js";
import { catalog, loadBackend, loadProfiles, policy, SAMPLE_10K } from "./_feeds.js";
import { table } from "./_stats.js";

const LIMIT = 10;
const NOW = new Date("2026-11-23T12:00:00Z");

function top<T>(items: T[], n: number): T[] {
  const counts = new Map<T, number>();
  for (const x of items) counts.set(x, (counts.get(x) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))
    .slice(0, n)
    .map(([x]) => x);
}

export default async function run() {
  const profiles = loadProfiles(SAMPLE_10K);
  const backend = await loadBackend(SAMPLE_10K);
  const matcher = new Matcher(catalog, policy);
  const gold = catalog.tierRank.gold ?? 1;
  const markets = [...new Set(profiles.flatMap((p) => p.locations.map((l) => l.country)))]
    .filter((c) => policy.matchingOffered(c))
    .sort();
  const rows: string[][] = [];
  let short = 0;
  for (const country of markets) {
    const serving = profiles.filter(
      (p) => receivesReferrals(p, catalog) && servesCountry(p, country),
    );
    // The market's own language: the most common among partners located there.
    const local = serving.filter((p) => p.locations.some((l) => l.country === country));
    const [language] = top(
      (local.length > 0 ? local : serving).flatMap((p) => p.languages),
      1,
    );
    if (!language) continue;
    const basic = serving.filter((p) => p.languages.includes(language) && hasCapacity(p));
    const goldPlus = basic.filter((p) => (catalog.tierRank[p.tier] ?? 0) >= gold).length;
    if (basic.length === 0) continue;
    const target = Math.min(LIMIT, goldPlus);
    let smallest = Number.POSITIVE_INFINITY;
    let worst = "";
    for (const product of top(
      basic.flatMap((p) => p.products),
      3,
    )) {
      for (const industry of top(
        basic.flatMap((p) => p.industries),
        2,
      )) {
        for (const need of top(
          basic.flatMap((p) => p.services),
          2,
        )) {
          const request: MatchRequest = {
            customer: {
              country,
              languages: [language],
              products: [product],
              industry,
              needs: [need],
            },
            limit: LIMIT,
          };
          const n = (await findMatches(backend, matcher, request, NOW)).candidates.length;
          if (n < smallest) {
            smallest = n;
            worst = `${product}, ${industry}, ${need}`;
          }
        }
      }
    }
    const ok = smallest >= target;
    if (!ok) short++;
    rows.push([
      country,
      language,
      String(basic.length),
      String(goldPlus),
      String(target),
      String(smallest),
      ok ? "yes" : `no (${worst})`,
    ]);
  }
  table(
    [
      "market",
      "language",
      "pass basic rules",
      "of them Gold+",
      "target",
      "smallest list",
      "target met",
    ],
    rows,
  );
  console.log(
    `\n${markets.length} markets with matching offered; ${short} below target (limit ${LIMIT})`,
  );
}
