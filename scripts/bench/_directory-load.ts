// Throughput of GET /v1/directory/partners on its own, autocannon unthrottled (10 connections):
// a repeated mix (the evaluation's directory cases, over and over: the answer cache's case)
// and all-distinct queries (each request a query not asked before by this process: every request
// runs the engine, serializes and tags). The targets: >= 5,000 req/s repeated,
// >= 2,500 req/s distinct, p99 <= 10 ms.
import autocannon from "autocannon";
import { DIRECTORY_CASES } from "../../eval/cases.js";
import type { Server } from "./_server.js";
import { cpuMs } from "./_server.js";

export const DIRECTORY_TARGETS = { repeated: 5_000, distinct: 2_500, p99Ms: 10 };

function casePath(c: (typeof DIRECTORY_CASES)[number], extra: [string, string][] = []): string {
  const qs = new URLSearchParams();
  if (c.q) qs.set("q", c.q);
  for (const [k, vs] of Object.entries(c.filters)) for (const v of vs ?? []) qs.append(k, v);
  for (const [k, v] of extra) qs.append(k, v);
  return `/v1/directory/partners?${qs}`;
}

/** The evaluation's directory cases as paths, each once. */
export function repeatedPaths(): string[] {
  return DIRECTORY_CASES.map((c) => casePath(c));
}

/**
 * Distinct paths without end: each case at pages 1-3 and page sizes 15-25 (answers about as
 * large as the repeated mix's, default 20), then again with a budget that grows each round, so
 * no two requests of a run share an answer.
 */
export function* distinctPaths(): Generator<string> {
  for (let round = 0; ; round++) {
    for (let page = 1; page <= 3; page++) {
      for (let size = 15; size <= 25; size++) {
        for (const c of DIRECTORY_CASES) {
          const extra: [string, string][] = [
            ["page", String(page)],
            ["pageSize", String(size)],
          ];
          if (round > 0) extra.push(["budgetUsd", String(1_000_000 * round)]);
          yield casePath(c, extra);
        }
      }
    }
  }
}

/**
 * One sequence for every run of a process: a later run (with compression, say) goes on where
 * the last one stopped, so it too asks only queries the server has not seen.
 */
const distinct = distinctPaths();

export interface DirectoryRun {
  kind: "repeated" | "distinct";
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  cpuPerRequest?: number;
}

/** One unthrottled autocannon run of `seconds` against the directory. */
export async function directoryRun(
  server: Server,
  kind: "repeated" | "distinct",
  seconds: number,
  headers: Record<string, string> = {},
): Promise<DirectoryRun> {
  const paths = repeatedPaths();
  const next = distinct;
  let i = 0;
  const requests: autocannon.Request[] = [
    {
      method: "GET",
      headers,
      setupRequest: (req) => ({
        ...req,
        path:
          kind === "repeated"
            ? (paths[i++ % paths.length] as string)
            : (next.next().value as string),
      }),
    },
  ];
  const seen: number[] = [];
  const cpu0 = cpuMs(server.child.pid);
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      { url: server.url, connections: 10, duration: seconds, requests, timeout: 5 },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    run.on("response", (_client, _status, _bytes, ms) => {
      seen.push(ms);
    });
  });
  const cpu1 = cpuMs(server.child.pid);
  seen.sort((a, b) => a - b);
  const at = (p: number) =>
    seen[Math.min(seen.length - 1, Math.floor((p / 100) * seen.length))] ?? 0;
  return {
    kind,
    reqPerSec: r.requests.total / seconds,
    p50: at(50),
    p99: at(99),
    errors: r.errors + r.timeouts + r.non2xx,
    ...(cpu0 !== undefined && cpu1 !== undefined && r.requests.total > 0
      ? { cpuPerRequest: (cpu1 - cpu0) / r.requests.total }
      : {}),
  };
}

export function runMeetsTarget(r: DirectoryRun): boolean {
  return (
    r.errors === 0 && r.reqPerSec >= DIRECTORY_TARGETS[r.kind] && r.p99 <= DIRECTORY_TARGETS.p99Ms
  );
}

/** The middle run by p99 (its rate and CPU come with it: one run, not a mix of three). */
export function medianRun(runs: readonly DirectoryRun[]): DirectoryRun {
  const sorted = [...runs].sort((a, b) => a.p99 - b.p99);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!middle) throw new Error("no runs");
  return middle;
}

export function describeRun(r: DirectoryRun): string {
  const target = DIRECTORY_TARGETS[r.kind];
  const ok = runMeetsTarget(r);
  return `directory ${r.kind}: ${r.reqPerSec.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors}, server CPU ${r.cpuPerRequest?.toFixed(3) ?? "?"} ms/request (target >= ${target} req/s, p99 <= ${DIRECTORY_TARGETS.p99Ms} ms: ${ok ? "met" : "not met"})`;
}
