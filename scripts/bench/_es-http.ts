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
 * Untimed passes of every request both row sets send, so that the figures are the steady state
 * of the service and of the node, not their first minutes. A server just started runs its first
 * few hundred requests before the JIT has optimised the route. A node that has just indexed the
 * feed has cold caches, and its JVM compiles the search path over its first ~1,500 searches on
 * two shared cores: in 35-es-http the directory's all-kinds median was 32.0 ms in the first
 * pass and 12.5-13.4 ms from the fifth of ten on; on a probe node, 16.6 ms in the second pass
 * and 10.5 ms in the ninth, where a fresh service on that warm node took 12.7 ms in its second.
 * `passes` directory passes (each of them 180 requests) go with `finderPasses` finder ones.
 * Returns each directory pass's all-kinds median and the first pass's figures; with `label`,
 * prints them.
 */
export async function warmUp(
  url: string,
  {
    passes = 1,
    finderPasses = 1,
    label,
  }: { passes?: number; finderPasses?: number; label?: string } = {},
): Promise<{ medians: number[]; first: ReturnType<typeof summarise> }> {
  const started = performance.now();
  const medians: number[] = [];
  let first: ReturnType<typeof summarise> | undefined;
  const n = Math.max(1, passes);
  for (let i = 0; i < Math.max(n, finderPasses); i++) {
    if (i < n) {
      const d = await directoryRows(url);
      first ??= d.all;
      medians.push(d.all.median);
    }
    if (i < finderPasses) await finderRows(url);
  }
  const warm = { medians, first: first as ReturnType<typeof summarise> };
  if (label !== undefined) {
    console.log(
      `${label}warm-up: ${n} directory passes in ${((performance.now() - started) / 1000).toFixed(0)} s, all-kinds medians ${medians.map((m) => m.toFixed(1)).join(", ")} ms (first pass p99 ${warm.first.p99.toFixed(1)} ms)\n`,
    );
  }
  return warm;
}
