// HTTP load on loopback: the real Node server (src/node.ts in a child process, so the load
// generator does not share its event loop) with the 10k sample and a 20% match / 80% directory
// mix taken from the evaluation cases, at fixed rates of 30 s each, driven two ways: autocannon
// (overallRate) and an evenly paced open-loop generator. A step passes with p99 <= 20 ms, no
// error or non-2xx answer and >= 97% of its rate. Reported per backend (embedded, then
// Elasticsearch when a node can run here): the highest passing rate, the highest rate
// sustained without errors whatever its p99, and the server's CPU time per request (from
// /proc), which other work on this shared machine does not inflate.
// Before the steps, the directory alone, unthrottled (scripts/bench/_directory-load.ts): a
// repeated mix and all-distinct queries, 10 connections, 10 s each, without and with
// Accept-Encoding, req/s and p50/p99 against issue 12's targets.
// `LOAD_QUICK=1` (or `--quick`) shortens steps to 5 s for a smoke run.

import http from "node:http";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import {
  type DirectoryRun,
  describeRun,
  directoryRun,
  medianRun,
  runMeetsTarget,
} from "./_directory-load.js";
import { MATCH_SHARE, type Req, requestMix } from "./_requests.js";
import {
  cpuMs,
  type Server,
  startServer,
  stopServer,
  TOKEN,
  withElasticsearch,
  withIndexedService,
} from "./_server.js";
import { percentile, table } from "./_stats.js";
import { recordSpeed } from "./_summary.js";

const QUICK =
  process.env.LOAD_QUICK === "1" ||
  parseArgs({ options: { quick: { type: "boolean" } }, strict: false }).values.quick === true;
const STEP_SECONDS = QUICK ? 5 : 30;
const P99_BUDGET_MS = 20;
/**
 * autocannon's rate limit is a per-second quota per connection: each connection sends
 * back-to-back until its quota is spent, then waits for the next second, so the connection
 * count is the burst concurrency and shapes the latencies. We keep autocannon's default (10)
 * rather than pick a count that flatters the figures.
 */
const CONNECTIONS = 10;
const ES_ALIAS = "load-partners";
/** The untimed distinct run before the measured ones, and how many measured runs. */
const DISTINCT_WARM_UP_SECONDS = QUICK ? 6 : 10;
const DISTINCT_RUNS = 3;

const STEPS = {
  memory: [250, 500, 750, 1000, 1250, 1500, 2000],
  elasticsearch: [25, 50, 100, 200, 300, 400, 600],
  elasticsearchDirectory: [100, 200, 400, 800, 1200, 1600],
};

export interface Step {
  rate: number;
  /** Server CPU per answered request: capacity without the noise of other work here. */
  cpuPerRequest?: number;
  achieved: number;
  p50: number;
  p99: number;
  /** autocannon's coordinated-omission corrected p99, for comparison. */
  p99Corrected?: number;
  errors: number;
  pass: boolean;
}

async function autocannonStep(
  server: Server,
  rate: number,
  requests: Req[],
  seconds: number,
): Promise<Step> {
  const cpu0 = cpuMs(server.child.pid);
  // The latencies clients saw, one per response. autocannon's own histogram adds synthetic
  // values for coordinated omission with an expected interval of ceil(1 / rate) = 1 ms whatever
  // the rate, which over-corrects; it is printed beside ours, the pass rule uses ours.
  const seen: number[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      {
        url: server.url,
        connections: CONNECTIONS,
        overallRate: rate,
        duration: seconds,
        requests,
        timeout: 5,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    run.on("response", (_client, _status, _bytes, ms) => {
      seen.push(ms);
    });
  });
  seen.sort((a, b) => a - b);
  const p50 = percentile(seen, 50);
  const p99 = percentile(seen, 99);
  const errors = r.errors + r.timeouts + r.non2xx;
  const achieved = r.requests.total / seconds;
  const cpu1 = cpuMs(server.child.pid);
  return {
    rate,
    ...(cpu0 !== undefined && cpu1 !== undefined && r.requests.total > 0
      ? { cpuPerRequest: (cpu1 - cpu0) / r.requests.total }
      : {}),
    achieved,
    p50,
    p99,
    p99Corrected: r.latency.p99,
    errors,
    pass: errors === 0 && p99 <= P99_BUDGET_MS && achieved >= rate * 0.97,
  };
}

/**
 * An open-loop generator at evenly spaced send times (node:http, keep-alive): what "a fixed
 * rate" means to a server. Latency counts from each request's scheduled time, so a stalled
 * server or a late generator cannot hide queueing (no coordinated omission).
 */
export async function pacedStep(
  server: Server,
  rate: number,
  requests: Req[],
  seconds: number,
): Promise<Step> {
  const cpu0 = cpuMs(server.child.pid);
  const target = new URL(server.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const seen: number[] = [];
  let errors = 0;
  let done = 0;
  let sent = 0;
  const start = performance.now();
  let last = start;
  await new Promise<void>((resolve) => {
    const settle = (due: number, ok: boolean) => {
      last = performance.now();
      seen.push(last - due);
      if (!ok) errors++;
      if (++done === total) resolve();
    };
    const fire = (i: number) => {
      const due = start + i * interval;
      const r = requests[i % requests.length] as Req;
      const body = typeof r.body === "string" ? r.body : undefined;
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: r.path,
          method: r.method ?? "GET",
          headers: {
            ...(r.headers ?? {}),
            ...(body ? { "content-length": Buffer.byteLength(body) } : {}),
          },
          agent,
        },
        (res) => {
          res.resume();
          res.on("end", () => settle(due, (res.statusCode ?? 500) < 300));
        },
      );
      req.setTimeout(5_000, () => req.destroy(new Error("timeout")));
      req.on("error", () => settle(due, false));
      req.end(body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      while (sent < due) fire(sent++);
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  seen.sort((a, b) => a - b);
  const cpu1 = cpuMs(server.child.pid);
  const achieved = total / ((last - start) / 1000);
  const p99 = percentile(seen, 99);
  return {
    rate,
    ...(cpu0 !== undefined && cpu1 !== undefined ? { cpuPerRequest: (cpu1 - cpu0) / total } : {}),
    achieved,
    p50: percentile(seen, 50),
    p99,
    errors,
    pass: errors === 0 && p99 <= P99_BUDGET_MS && achieved >= rate * 0.97,
  };
}

/** The rate held without errors and the server is not yet plainly saturated (p99 <= 100 ms). */
const holds = (s: Step) =>
  s.errors === 0 && s.achieved >= s.rate * 0.97 && s.p99 <= 5 * P99_BUDGET_MS;

type Generator = "autocannon" | "paced";
const GENERATORS: Record<Generator, typeof pacedStep> = {
  autocannon: autocannonStep,
  paced: pacedStep,
};

async function loadBackend(
  label: string,
  server: Server,
  rates: number[],
  generator: Generator,
  allowMatch = true,
): Promise<string[]> {
  const step = GENERATORS[generator];
  const probe = await fetch(`${server.url}/v1/match`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ customer: { country: "US" } }),
  });
  const withMatch = allowMatch && probe.status === 200;
  const requests = requestMix(withMatch);
  const mix = withMatch
    ? `${Math.round(MATCH_SHARE * 100)}% match / ${100 - Math.round(MATCH_SHARE * 100)}% directory`
    : allowMatch
      ? `directory only (POST /v1/match answered ${probe.status})`
      : "directory only";
  // Other work on this machine skews every figure: say how busy it was.
  const [load1] = loadavg();
  console.log(`  ${label}: load average ${load1?.toFixed(2)} before the run`);
  // Warm-up: JIT, index build, the Elasticsearch caches, and every request of the mix once, so
  // that no step (and so not whichever generator runs first) meets answers never asked before.
  await warmUp(server, requests);
  await step(server, Math.min(rates[0] ?? 100, 500), requests, QUICK ? 2 : 5);
  const rows: Step[] = [];
  for (const rate of rates) {
    const s = await step(server, rate, requests, STEP_SECONDS);
    rows.push(s);
    console.log(
      `  ${label}, ${generator} ${rate}/s: achieved ${s.achieved.toFixed(0)}/s, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms ${s.p99Corrected === undefined ? "" : ` (autocannon CO-corrected ${s.p99Corrected} ms)`}, errors ${s.errors}, server CPU ${s.cpuPerRequest?.toFixed(2) ?? "?"} ms/request -> ${s.pass ? "pass" : "fail"}`,
    );
    // Past the p99 budget, keep stepping while the rate still holds without errors, to show
    // where throughput ends; stop once the server is plainly saturated.
    if (!s.pass && !holds(s)) break;
  }
  const best = [...rows].reverse().find((s) => s.pass);
  const sustained = [...rows].reverse().find(holds);
  const cpus = rows.flatMap((s) => (s.cpuPerRequest === undefined ? [] : [s.cpuPerRequest]));
  const cpu = cpus.length > 0 ? Math.min(...cpus) : undefined;
  const at = best ? `${best.rate.toLocaleString("en")} req/s` : `< ${rates[0]} req/s`;
  return [
    label,
    generator,
    mix,
    at,
    best ? `${best.p50.toFixed(1)} / ${best.p99.toFixed(1)} ms` : "",
    sustained
      ? `${sustained.rate.toLocaleString("en")} req/s (p99 ${sustained.p99.toFixed(1)} ms)`
      : "",
    cpu === undefined
      ? "?"
      : `${cpu.toFixed(2)} ms (~${Math.floor(1000 / cpu).toLocaleString("en")} req/s per core)`,
    rows.map((s) => `${s.rate}${s.pass ? "✓" : "✗"}`).join(" "),
  ];
}

/** Sends each request of the mix once, one at a time (untimed). */
async function warmUp(server: Server, requests: Req[]): Promise<void> {
  for (const r of requests) {
    const res = await fetch(`${server.url}${r.path}`, {
      method: r.method ?? "GET",
      headers: (r.headers ?? {}) as Record<string, string>,
      ...(r.body ? { body: r.body as string } : {}),
    });
    await res.arrayBuffer();
  }
}

/** The rate of a row's "highest rate sustained" cell, 0 when none held. */
function sustainedRate(row: string[]): number {
  return Number((row[5] ?? "").split(" ")[0]?.replace(/,/g, "")) || 0;
}

export default async function run(): Promise<void> {
  console.log(
    `autocannon, ${CONNECTIONS} connections, fixed overallRate, ${STEP_SECONDS} s per step; a step passes with p99 (of the responses' latencies) <= ${P99_BUDGET_MS} ms, no errors or non-2xx, and >= 97% of the rate\n`,
  );
  const rows: string[][] = [];

  const memory = await startServer({});
  try {
    const seconds = QUICK ? 5 : 10;
    const runs: string[] = [];
    let met = true;
    for (const [label, headers] of [
      ["no compression", {}],
      ["gzip accepted", { "accept-encoding": "gzip, deflate, br" }],
    ] as const) {
      // Untimed: the repeated mix is answered from memory, so only distinct queries warm the
      // engine's code: a distinct run right after the repeated one cost 0.54 ms of CPU a request
      // where the next took 0.39 ms. A fresh server's distinct load settles over its first
      // ~10 s (0.37, then 0.30, 0.28 ms of CPU a request in back-to-back 8 s runs), so the
      // warm-up is that long and printed: the cold figure stays visible.
      await directoryRun(memory, "repeated", 2, headers);
      const cold = await directoryRun(memory, "distinct", DISTINCT_WARM_UP_SECONDS, headers);
      console.log(
        `  embedded (memory), 10k, ${label}, warm-up (${DISTINCT_WARM_UP_SECONDS} s, untimed): ${describeRun(cold)}`,
      );
      const repeated = await directoryRun(memory, "repeated", seconds, headers);
      console.log(`  embedded (memory), 10k, ${label}: ${describeRun(repeated)}`);
      runs.push(
        `repeated ${label} ${repeated.reqPerSec.toFixed(0)} req/s (p99 ${repeated.p99.toFixed(1)} ms)`,
      );
      met &&= runMeetsTarget(repeated);
      // One run passes or misses the line with what else the two cores do: the median of three
      // (by p99) is the figure, every run printed.
      const distinct: DirectoryRun[] = [];
      for (let i = 0; i < DISTINCT_RUNS; i++) {
        const r = await directoryRun(memory, "distinct", seconds, headers);
        console.log(`  embedded (memory), 10k, ${label}, run ${i + 1}: ${describeRun(r)}`);
        distinct.push(r);
      }
      const median = medianRun(distinct);
      console.log(
        `  embedded (memory), 10k, ${label}, median of ${DISTINCT_RUNS}: ${describeRun(median)}`,
      );
      runs.push(
        `distinct ${label} ${median.reqPerSec.toFixed(0)} req/s (p99 ${median.p99.toFixed(1)} ms; median of ${DISTINCT_RUNS} runs: ${distinct.map((r) => `${r.reqPerSec.toFixed(0)}/${r.p99.toFixed(1)}`).join(", ")}; first ${DISTINCT_WARM_UP_SECONDS} s ${cold.reqPerSec.toFixed(0)}/${cold.p99.toFixed(1)})`,
      );
      met &&= runMeetsTarget(median);
    }
    recordSpeed("httpDirectory", runs.join("; "), met);
    for (const g of ["autocannon", "paced"] as const) {
      rows.push(await loadBackend("embedded (memory), 10k", memory, STEPS.memory, g));
    }
  } finally {
    await stopServer(memory);
  }

  const skipped = await withElasticsearch(`load-${process.pid}`, async (esUrl) => {
    try {
      await withIndexedService(esUrl, ES_ALIAS, async (server) => {
        const es = "Elasticsearch 8.19, 10k";
        // Both generators: autocannon's per-second bursts and an even pace can hold different
        // rates; the row is met when either holds 300 req/s at p99 <= 100 ms.
        const held: string[] = [];
        let best = 0;
        for (const g of ["autocannon", "paced"] as const) {
          const mix = await loadBackend(es, server, STEPS.elasticsearch, g);
          rows.push(mix);
          held.push(
            `${g}: ${mix[5] ? `${mix[5]} held` : `nothing held at ${STEPS.elasticsearch[0]} req/s`}`,
          );
          best = Math.max(best, sustainedRate(mix));
          // The directory alone, to tell its share from the matches'.
          rows.push(await loadBackend(es, server, STEPS.elasticsearchDirectory, g, false));
        }
        // The same mix with no answer kept between index checks: every directory request
        // searches, as every query would if none were ever repeated.
        const uncached = await startServer({
          ELASTICSEARCH_URL: esUrl,
          ELASTICSEARCH_INDEX: ES_ALIAS,
          ELASTICSEARCH_ANSWER_CACHE_MS: "0",
        });
        try {
          const row = await loadBackend(
            `${es}, answers not kept`,
            uncached,
            STEPS.elasticsearch,
            "paced",
          );
          rows.push(row);
          held.push(`paced, answers not kept: ${row[5] ? `${row[5]} held` : "nothing held"}`);
        } finally {
          await stopServer(uncached);
        }
        recordSpeed(
          "esHttpMix",
          `${held.join("; ")} (10k feed, p99 <= 100 ms; directory answers kept between index checks at the default ELASTICSEARCH_ANSWER_CACHE_MS)`,
          best >= 300,
        );
      });
    } catch (e) {
      rows.push(["elasticsearch", "", `failed: ${(e as Error).message}`, "", "", "", "", ""]);
    }
  });
  if (skipped) rows.push(["elasticsearch", "", skipped, "", "", "", "", ""]);
  console.log();
  table(
    [
      "backend",
      "generator",
      "mix",
      "highest rate passing",
      "p50 / p99 there",
      "highest rate sustained",
      "server CPU / request",
      "steps",
    ],
    rows,
  );
}
