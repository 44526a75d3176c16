// The service as a client sees it, one request at a time on a kept-alive connection: directory
// searches of each kind and the partner finder per market. Shared by the Elasticsearch sections
// at 100k (35-es-http) and at one million profiles (70-million).
import { TOKEN } from "./_server.js";
import { fmt, summarise } from "./_stats.js";

const WARM = 5;
const REPS = 40;

/** Each kind's queries; several per kind so no single cached answer stands for the kind. */
const DIRECTORY: [string, string[]][] = [
  ["filter-only", ["country=US", "industry=manufacturing&tier=gold&tier=platinum", "country=DE"]],
  ["text-only", ["q=crm+implementation", "q=Marketingagentur+M%C3%BCnchen", "q=seo+agency"]],
  ["text + filters", ["q=crm&country=US&industry=software", "q=hubspot+onboarding&language=en"]],
  ["browse (no filter)", ["", "sort=rating", "accredited=true"]],
];

/** Markets of different depth (US is the deepest), each in its own language. */
const MARKETS: [string, string][] = [
  ["US", "en"],
  ["DE", "de"],
  ["GB", "en"],
  ["MX", "es"],
  ["FR", "fr"],
  ["AU", "en"],
];
const PRODUCTS = ["sales_hub", "marketing_hub", "service_hub"];
const INDUSTRIES = ["software", "manufacturing"];

async function timed(send: () => Promise<Response>): Promise<number> {
  const t = performance.now();
  const r = await send();
  await r.arrayBuffer();
  const ms = performance.now() - t;
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  return ms;
}

/**
 * Each directory URL gets a parameter no other request has in one pass (the page size, 20-49),
 * and the callers run the service with ELASTICSEARCH_ANSWER_CACHE_MS=0, so no answer kept by the
 * service serves a repeat: the figure is the engine's. The engine's own request cache still keeps
 * the size-0 counting searches of a query asked before; `beforeEach` (untimed) may clear it, for
 * the figure of queries never asked before.
 */
export async function directoryRows(url: string, beforeEach?: () => Promise<unknown>) {
  const rows: string[][] = [];
  const all: number[] = [];
  for (const [kind, queries] of DIRECTORY) {
    const samples: number[] = [];
    for (let i = 0; i < WARM + REPS; i++) {
      const q = queries[i % queries.length] as string;
      await beforeEach?.();
      const ms = await timed(() =>
        fetch(
          `${url}/v1/directory/partners?${q}&pageSize=${20 + (Math.floor(i / queries.length) % 30)}`,
        ),
      );
      if (i >= WARM) samples.push(ms);
    }
    const s = summarise(samples);
    all.push(...samples);
    rows.push([`directory: ${kind}`, fmt(s.median), fmt(s.p99)]);
  }
  return { rows, all: summarise(all) };
}

export async function finderRows(url: string) {
  const rows: string[][] = [];
  const medians: [string, number][] = [];
  for (const [country, language] of MARKETS) {
    const samples: number[] = [];
    for (let i = 0; i < WARM + REPS; i++) {
      const body = {
        customer: {
          country,
          languages: [language],
          industry: INDUSTRIES[i % INDUSTRIES.length],
          products: [PRODUCTS[i % PRODUCTS.length]],
          needs: ["crm_implementation"],
        },
        limit: 10,
      };
      const ms = await timed(() =>
        fetch(`${url}/v1/match`, {
          method: "POST",
          headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      );
      if (i >= WARM) samples.push(ms);
    }
    const s = summarise(samples);
    medians.push([country, s.median]);
    rows.push([`finder: ${country} (${language})`, fmt(s.median), fmt(s.p99)]);
  }
  return { rows, medians };
}

/**
 * One untimed pass of every request both row sets send: the figures are the service's steady
 * state, not its first minute. A server just started runs its first few hundred requests
 * before the JIT has optimised the route, and a node that has just indexed the feed has cold
 * caches; the five warm-up requests per kind alone left the first kind 20-40% slower than the
 * same kind a pass later.
 */
export async function warmUp(url: string): Promise<void> {
  await directoryRows(url);
  await finderRows(url);
}
