// Engine faults, end to end: the real Node service (start() of src/node.ts) on Elasticsearch
// behind a fault-injecting proxy, under a steady stream of directory, profile and match requests
// from four clients, while the proxy goes pass -> delay 3 s -> pass -> refuse (the node stopped)
// -> pass (restarted) -> drop (connections reset) -> pass. Every request must answer within the
// request timeout plus a small margin, with a 200 or a 503 search_unavailable problem carrying
// Retry-After (never a 500, never a stack); /readyz must say not ready while the node is away and
// ready again after; and the first requests after each fault must succeed, with no restart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start } from "../../src/node.js";
import { createClient } from "../../src/search/elasticsearch/client.js";
import { ElasticsearchBackend } from "../../src/search/elasticsearch/elasticsearch-backend.js";
import { type FaultMode, type FaultProxy, startFaultProxy } from "./fault-proxy.js";
import {
  catalog,
  dropAlias,
  esUrl,
  policy,
  sampleEntries,
  testAlias,
  testBackend,
  testClient,
} from "./helpers.js";
import { type Answer, percentile, requestMix, startTraffic } from "./service-traffic.js";

const TIMEOUT_MS = 1_000;
/** Scheduling on a busy 2-core machine, HTTP and the ranking on top of the engine's timeout. */
const MARGIN_MS = 500;
const TOKEN = "engine-faults-token-0123456789";
const PROFILES = 3_000;

interface Phase {
  name: string;
  mode: FaultMode;
  ms: number;
}

const PHASES: Phase[] = [
  { name: "pass", mode: { kind: "pass" }, ms: 2_500 },
  { name: "delay 3 s", mode: { kind: "delay", ms: 3_000 }, ms: 4_000 },
  { name: "pass (after delay)", mode: { kind: "pass" }, ms: 2_500 },
  { name: "refuse (node stopped)", mode: { kind: "refuse" }, ms: 3_000 },
  { name: "pass (node restarted)", mode: { kind: "pass" }, ms: 2_500 },
  { name: "drop (connections reset)", mode: { kind: "drop" }, ms: 3_000 },
  { name: "pass (after drop)", mode: { kind: "pass" }, ms: 2_500 },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!esUrl)("engine faults: stopped, slow and restarted Elasticsearch", () => {
  const alias = testAlias("faults");
  const direct = testClient();
  let proxy: FaultProxy;
  let service: Awaited<ReturnType<typeof start>>;
  let base = "";
  let ids: string[] = [];

  beforeAll(async () => {
    const entries = (await sampleEntries()).slice(0, PROFILES);
    await testBackend(direct, alias).apply(entries);
    ids = entries.flatMap((e) =>
      e.kind === "upsert" && e.profile.directoryListed ? [e.profile.id] : [],
    );
    proxy = await startFaultProxy(esUrl);
    service = await start({
      PORT: "0",
      HOST: "127.0.0.1",
      ELASTICSEARCH_URL: proxy.url,
      ELASTICSEARCH_INDEX: alias,
      ELASTICSEARCH_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS),
      // Kept answers would be served up to that long into a fault (answer-cache.test.ts); here
      // every answer comes from the engine.
      ELASTICSEARCH_ANSWER_CACHE_MS: "0",
      MATCH_API_TOKENS: TOKEN,
      RATE_LIMIT_PER_MINUTE: "0",
      STAFF_RATE_LIMIT_PER_MINUTE: "0",
      LOG_LEVEL: "silent",
    });
    base = `http://127.0.0.1:${service.port}`;
  });
  afterAll(async () => {
    await service?.stop();
    await proxy?.close();
    await dropAlias(direct, alias);
    await direct.close();
  });

  it("a slow but answering cluster cannot stretch a read past the budget, page by page", async () => {
    await proxy.set({ kind: "delay", ms: 400 });
    try {
      const backend = new ElasticsearchBackend({
        client: createClient({ url: proxy.url, requestTimeoutMs: TIMEOUT_MS }),
        alias,
        catalog,
        policy,
        // Many pages (readiness: three calls) of 400 ms each: only the budget over all of them keeps the scan bounded.
        candidatePageSize: 50,
        readBudgetMs: TIMEOUT_MS,
      });
      for (const read of [
        () => backend.candidates({ country: "US", programLevels: catalog.referralLevels }),
        () => backend.readiness().then((r) => (r.ready ? r : Promise.reject(r.details.error))),
      ]) {
        const started = performance.now();
        const error = await read().then(
          () => undefined,
          (e: unknown) => e,
        );
        const ms = performance.now() - started;
        expect(String(error instanceof Error ? error.message : error)).toMatch(
          /did not answer in time \(1000 ms\)/,
        );
        expect(ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
      }
      await backend.close();
    } finally {
      await proxy.set({ kind: "pass" });
    }
  });

  it("every request answers in time with a 200 or a 503 problem, and recovers by itself", async () => {
    const traffic = startTraffic(base, requestMix(ids, TOKEN), { clients: 4, hangMs: 10_000 });
    const ready: { start: number; ms: number; status: number }[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const s = traffic.now();
        const status = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(10_000) }).then(
          async (r) => {
            await r.arrayBuffer();
            return r.status;
          },
          () => 0,
        );
        ready.push({ start: s, ms: traffic.now() - s, status });
        await sleep(150);
      }
    })();
    const windows: { phase: Phase; from: number; to: number }[] = [];
    for (const phase of PHASES) {
      await proxy.set(phase.mode);
      const from = traffic.now();
      await sleep(phase.ms);
      windows.push({ phase, from, to: traffic.now() });
    }
    polling = false;
    await traffic.stop();
    await poller;
    const answers = traffic.answers;

    // Every answer: in time, a 200 or a retryable 503 problem, never a 500 or a stack.
    const report: Record<string, unknown>[] = [];
    for (const a of answers) {
      expect(a.status, `${a.kind} at ${a.start.toFixed(0)} ms: ${a.body}`).toBeOneOf([200, 503]);
      expect(a.ms, `${a.kind} at ${a.start.toFixed(0)} ms`).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
      if (a.status === 503) expectSearchUnavailable(a);
    }
    for (const r of ready) {
      expect(r.status).toBeOneOf([200, 503]);
      expect(r.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    }

    for (const [i, { phase, from, to }] of windows.entries()) {
      const inPhase = answers.filter((a) => a.start >= from && a.start < to);
      const faulty = phase.mode.kind !== "pass";
      // Requests wholly inside the phase (a request started just before a switch meets the
      // next mode), and readiness checks alike.
      const settled = inPhase.filter((a) => a.start + a.ms < to - 200);
      const readyIn = ready.filter((r) => r.start >= from && r.start + r.ms < to - 200);
      expect(settled.length, phase.name).toBeGreaterThan(5);
      expect(readyIn.length, phase.name).toBeGreaterThanOrEqual(2);
      if (faulty) {
        expect(
          settled.map((a) => a.status),
          phase.name,
        ).not.toContain(200);
        expect(
          readyIn.map((r) => r.status),
          phase.name,
        ).not.toContain(200);
      } else {
        expect(
          settled.map((a) => a.status),
          phase.name,
        ).not.toContain(503);
        expect(
          readyIn.map((r) => r.status),
          phase.name,
        ).not.toContain(503);
      }
      const firstOk = inPhase.find((a) => a.status === 200);
      const firstReady = ready.find((r) => r.start >= from && r.status === 200);
      report.push({
        phase: phase.name,
        requests: inPhase.length,
        ok: inPhase.filter((a) => a.status === 200).length,
        unavailable: inPhase.filter((a) => a.status === 503).length,
        p50: Math.round(
          percentile(
            inPhase.map((a) => a.ms),
            50,
          ),
        ),
        worst: Math.round(Math.max(...inPhase.map((a) => a.ms))),
        ...(!faulty && i > 0
          ? {
              recoveredMs: firstOk ? Math.round(firstOk.start + firstOk.ms - from) : "never",
              readyAgainMs: firstReady
                ? Math.round(firstReady.start + firstReady.ms - from)
                : "never",
            }
          : {}),
      });
    }
    console.log(`engine faults, timeout ${TIMEOUT_MS} ms, 4 clients:`);
    console.table(report);
  }, 120_000);
});

function expectSearchUnavailable(a: Answer) {
  expect(a.contentType).toBe("application/problem+json");
  expect(Number(a.retryAfter)).toBeGreaterThan(0);
  const body = JSON.parse(a.body) as Record<string, unknown>;
  expect(body).toMatchObject({ status: 503, code: "search_unavailable", retryable: true });
  // Neither a stack nor the engine's own message (hosts, index names) reaches the caller.
  expect(a.body).not.toMatch(/\bat .+:\d+:\d+|Error:|127\.0\.0\.1|t-faults/);
}
