// Pages for people on the 10k sample, in process (app.request, no socket): the server time of
// each page and its HTML size as sent and compressed. The directory issue's bar: HTML <= 60 KB
// and server time <= 20 ms for the directory page. Distinct queries per request (a page number
// or a facet value cycled), so the directory's answer cache does not answer them all.
import { brotliCompressSync, gzipSync } from "node:zlib";
import { createApp } from "../../src/http/app.js";
import { catalog, loadBackend, loadProfiles, policy, SAMPLE_10K } from "./_feeds.js";
import { fmt, summarise, table } from "./_stats.js";

const ROUNDS = 60;
const HTML_BUDGET = 60 * 1024;
const TIME_BUDGET_MS = 20;

interface PageCase {
  name: string;
  /** The i-th URL of the case: varied so that repeated requests are not all cache hits. */
  url: (i: number) => string;
  /** Only this case's size is held to the HTML budget. */
  directory: boolean;
}

export default async function run(): Promise<void> {
  const backend = await loadBackend(SAMPLE_10K);
  const app = createApp({ backend, catalog, policy, matchTokens: [] });
  const ids = loadProfiles(SAMPLE_10K)
    .filter((p) => p.directoryListed)
    .slice(0, ROUNDS)
    .map((p) => p.id);
  const countries = ["US", "DE", "GB", "FR", "JP", "BR", "AU", "CA", "ES", "NL"];
  const cases: PageCase[] = [
    {
      name: "/directory (first page)",
      url: (i) => `/directory?page=${1 + (i % 20)}`,
      directory: true,
    },
    {
      name: "/directory, text + 2 filters",
      url: (i) =>
        `/directory?q=crm+migration&country=${countries[i % 10]}&tier=gold&page=${1 + (i % 3)}`,
      directory: true,
    },
    {
      name: "/directory, facets multi-select, ja",
      url: (i) =>
        `/directory?country=${countries[i % 10]}&country=${countries[(i + 3) % 10]}&industry=software&lang=ja`,
      directory: true,
    },
    { name: "/partners/{id}", url: (i) => `/partners/${ids[i % ids.length]}`, directory: false },
  ];
  const rows: (string | number)[][] = [];
  for (const c of cases) {
    // One warm-up request, then the measured rounds.
    await (await app.request(c.url(ROUNDS))).arrayBuffer();
    const times: number[] = [];
    let largest = 0;
    let body = new Uint8Array();
    let status = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      const res = await app.request(c.url(i));
      const bytes = new Uint8Array(await res.arrayBuffer());
      times.push(performance.now() - t0);
      status = res.status;
      if (bytes.length >= largest) {
        largest = bytes.length;
        body = bytes;
      }
    }
    const t = summarise(times);
    const gz = gzipSync(body).length;
    const br = brotliCompressSync(body).length;
    const met = c.directory
      ? largest <= HTML_BUDGET && t.median <= TIME_BUDGET_MS
        ? "met"
        : "not met"
      : "-";
    rows.push([
      c.name,
      status,
      `${fmt(t.median)} / ${fmt(t.p99)}`,
      `${(largest / 1024).toFixed(1)} KB`,
      `${(gz / 1024).toFixed(1)} / ${(br / 1024).toFixed(1)} KB`,
      met,
    ]);
  }
  table(
    [
      "page (10k sample, in process)",
      "status",
      "server time median / p99",
      "largest HTML",
      "gzip / brotli",
      "goal (≤ 60 KB, ≤ 20 ms)",
    ],
    rows,
  );
}
