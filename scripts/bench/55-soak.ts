// Soak: the real Node server (embedded engine, 10k sample) under 60 s of the load mix (80%
// directory / 20% match, as 50-load) at a steady 80% of the highest rate 50-load passes, sent
// by 50-load's evenly paced open-loop generator. Goals: no errors, and a flat memory line: the
// server's RSS (VmRSS from /proc, sampled each second) after a 10 s warm-up against its highest
// and its last value, within 10%.
//
// The rate: `--rate=N` or SOAK_RATE; by default 200 req/s, 80% of 250 req/s, the lowest step of
// 50-load (the embedded server held it without an error in the last README run, its p99 over
// the 20 ms budget on that busy day). SOAK_SECONDS / `--seconds=N` changes the length.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { requestMix } from "./_requests.js";
import { cpuMs, startServer, stopServer, TOKEN } from "./_server.js";
import { table } from "./_stats.js";
import { pacedStep } from "./50-load.js";

const DEFAULT_RATE = 200;
const WARM_UP_SECONDS = 10;
const RSS_GROWTH_BUDGET = 0.1;

/** VmRSS of a process in MiB, from /proc; undefined where there is none. */
export function rssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function settings(): { rate: number; seconds: number } {
  const { values } = parseArgs({
    options: { rate: { type: "string" }, seconds: { type: "string" } },
    strict: false,
  });
  const num = (v: unknown, env: string | undefined, fallback: number) => {
    const n = Number(typeof v === "string" ? v : (env ?? fallback));
    if (!Number.isFinite(n) || n <= 0) throw new Error(`not a positive number: ${v ?? env}`);
    return n;
  };
  return {
    rate: num(values.rate, process.env.SOAK_RATE, DEFAULT_RATE),
    seconds: num(values.seconds, process.env.SOAK_SECONDS, 60),
  };
}

export default async function run(): Promise<void> {
  const { rate, seconds } = settings();
  const server = await startServer({});
  try {
    const pid = server.child.pid;
    const probe = await fetch(`${server.url}/v1/match`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ customer: { country: "US" } }),
    });
    if (probe.status !== 200) throw new Error(`POST /v1/match answered ${probe.status}`);
    const requests = requestMix(true);
    const [load1] = loadavg();
    console.log(
      `  embedded, 10k: ${rate} req/s for ${seconds} s (80% directory / 20% match, paced), RSS each second; load average ${load1?.toFixed(2)} before the run`,
    );
    const rss: number[] = [];
    const start = rssMiB(pid);
    const sampler = setInterval(() => {
      const v = rssMiB(pid);
      if (v !== undefined) rss.push(v);
    }, 1_000);
    const cpu0 = cpuMs(pid);
    let step: Awaited<ReturnType<typeof pacedStep>>;
    try {
      step = await pacedStep(server, rate, requests, seconds);
    } finally {
      clearInterval(sampler);
    }
    const cpu1 = cpuMs(pid);
    // Sample i is taken i + 1 seconds in: the level after the warm-up is sample WARM_UP - 1.
    const level = rss[WARM_UP_SECONDS - 1];
    const after = rss.slice(WARM_UP_SECONDS - 1);
    const end = rss.at(-1);
    if (level === undefined || end === undefined) {
      console.log(`  no RSS samples (no /proc here?); errors ${step.errors}`);
      return;
    }
    const max = Math.max(...after);
    const growthMax = (max - level) / level;
    const growthEnd = (end - level) / level;
    const flat = growthMax <= RSS_GROWTH_BUDGET && growthEnd <= RSS_GROWTH_BUDGET;
    console.log(
      `  RSS per second (MiB): ${rss.map((v) => v.toFixed(0)).join(" ")} (${start?.toFixed(0) ?? "?"} before the load)`,
    );
    const pct = (x: number) => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
    const total = Math.round(rate * seconds);
    console.log();
    table(
      [
        "backend",
        "rate, length",
        "requests",
        "errors",
        "achieved",
        "p50 / p99",
        "server CPU / request",
        `RSS after ${WARM_UP_SECONDS} s`,
        "RSS max / end",
        "growth max / end",
        "goal (0 errors, ≤ 10%)",
      ],
      [
        [
          "embedded (memory), 10k",
          `${rate} req/s, ${seconds} s`,
          total.toLocaleString("en"),
          step.errors,
          `${step.achieved.toFixed(0)}/s`,
          `${step.p50.toFixed(1)} / ${step.p99.toFixed(1)} ms`,
          cpu0 !== undefined && cpu1 !== undefined
            ? `${((cpu1 - cpu0) / total).toFixed(2)} ms`
            : "?",
          `${level.toFixed(0)} MiB`,
          `${max.toFixed(0)} / ${end.toFixed(0)} MiB`,
          `${pct(growthMax)} / ${pct(growthEnd)}`,
          step.errors === 0 && flat ? "met" : "not met",
        ],
      ],
    );
  } finally {
    await stopServer(server);
  }
}
