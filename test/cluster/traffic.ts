// Mixed traffic for the failover test: the load benchmarks' request mix (80% directory, 20%
// staff match), sent by a few concurrent clients at a fixed overall pace (a slow answer delays
// only its own client's next request), every answer recorded with its start and end time.
import { requestMix } from "../../scripts/bench/_requests.js";

export interface Sample {
  /** ms since the traffic started: when the request was due, and when it was sent. */
  due: number;
  start: number;
  end: number;
  ok: boolean;
  /** HTTP status, or the client-side failure (timeout, refused). */
  status: number | string;
  match: boolean;
}

export interface TrafficRun {
  samples: Sample[];
  seconds: number;
}

export async function runTraffic(opts: {
  baseUrl: string;
  token: string;
  seconds: number;
  /** Requests per second, all clients together. */
  rate: number;
  clients: number;
  /** Runs beside the traffic (e.g. kills a node), given the traffic's clock. */
  during?: (now: () => number) => Promise<void>;
}): Promise<TrafficRun> {
  const mix = requestMix(true, opts.token);
  const samples: Sample[] = [];
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const interval = 1000 / opts.rate;
  const total = Math.floor(opts.rate * opts.seconds);
  let next = 0;
  const client = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const due = i * interval;
      const wait = due - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const req = mix[i % mix.length] as (typeof mix)[number];
      const start = now();
      let status: number | string;
      try {
        const res = await fetch(`${opts.baseUrl}${req.path}`, {
          method: req.method ?? "GET",
          headers: req.headers as Record<string, string> | undefined,
          body: typeof req.body === "string" ? req.body : undefined,
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        status = res.status;
      } catch (e) {
        status = (e as Error).name;
      }
      samples.push({
        due,
        start,
        end: now(),
        ok: typeof status === "number" && status < 300,
        status,
        match: req.path === "/v1/match",
      });
    }
  };
  await Promise.all([
    ...Array.from({ length: opts.clients }, client),
    opts.during?.(now) ?? Promise.resolve(),
  ]);
  return { samples, seconds: opts.seconds };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * Errors against a failover window: from the kill until the cluster was healthy again without
 * the node (`recoveredAt`) and a request started after that had succeeded. Errors of requests
 * started inside the window count to it; any later one is an error after the failover.
 */
export function summarise(run: TrafficRun, killAt: number, recoveredAt: number) {
  const s = [...run.samples].sort((a, b) => a.start - b.start);
  const firstOk = s.find((x) => x.start >= recoveredAt && x.ok);
  const windowEnd = firstOk ? firstOk.end : Number.POSITIVE_INFINITY;
  const errors = s.filter((x) => !x.ok);
  const statuses: Record<string, number> = {};
  for (const e of errors) statuses[String(e.status)] = (statuses[String(e.status)] ?? 0) + 1;
  const perSecond = Array.from({ length: Math.ceil(run.seconds) }, () => ({ ok: 0, errors: 0 }));
  for (const x of s) {
    const b = perSecond[Math.min(perSecond.length - 1, Math.floor(x.start / 1000))];
    if (b) b[x.ok ? "ok" : "errors"]++;
  }
  const latencies = s.map((x) => x.end - x.start).sort((a, b) => a - b);
  return {
    total: s.length,
    matches: s.filter((x) => x.match).length,
    errors: errors.length,
    beforeKill: errors.filter((x) => x.end < killAt).length,
    inWindow: errors.filter((x) => x.end >= killAt && x.start <= windowEnd).length,
    afterWindow: errors.filter((x) => x.start > windowEnd).length,
    windowMs: windowEnd - killAt,
    statuses,
    perSecond,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
    /** How far the clients fell behind the pace at worst (a slow answer delays the next). */
    maxLagMs: Math.max(0, ...s.map((x) => x.start - x.due)),
  };
}
