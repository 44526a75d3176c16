// Node start from the binary snapshot (SNAPSHOT_FILE) at 10k and 100k: build time and size,
// then in a fresh process per run the load (file read, checksum + decode) and the first query
// (profiles are columns viewed in place: nothing is parsed), beside the feed load it replaces.
// Goal: a 100k snapshot loads in <= 1 s.
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { buildSnapshot } from "../build-snapshot.js";
import { ensure100k, root, SAMPLE_10K } from "./_feeds.js";
import { startServer, stopServer } from "./_server.js";
import { fmt, summarise, table } from "./_stats.js";
import { recordSpeed, withinMb } from "./_summary.js";
import { rssMiB } from "./55-soak.js";

const MiB = 2 ** 20;
const mb = (b: number) => `${(b / MiB).toFixed(1)} MiB`;
const RUNS = 3;

interface Probe {
  bytes: number;
  readMs: number;
  decodeMs: number;
  checksumMs: number;
  firstQueryMs: number;
  cpuMs: number;
  heapUsed: number;
  arrayBuffers: number;
  rss: number;
}

/**
 * The server itself as `npm start` runs it (built, GC flags) on SNAPSHOT_FILE: time to ready,
 * its RSS right after a few directory searches, and settled: 15 s on, past the start-up
 * collections (src/lib/release-memory.ts), the figure an operator sees on an idle server.
 */
async function serverWith(file: string): Promise<string[]> {
  const t = performance.now();
  const server = await startServer({ SNAPSHOT_FILE: file });
  const readyMs = performance.now() - t;
  try {
    for (const q of ["crm implementation", "hubspot migration", "seo", "web design agency"]) {
      await (await fetch(`${server.url}/v1/directory/partners?q=${encodeURIComponent(q)}`)).text();
    }
    const busy = rssMiB(server.child.pid);
    await new Promise((r) => setTimeout(r, 15_000));
    const rss = rssMiB(server.child.pid);
    const mib = (x: number | undefined) => (x === undefined ? "n/a" : `${x.toFixed(0)} MiB`);
    recordSpeed(
      "memory100kSnapshot",
      `${mib(rss)} settled (${mib(busy)} right after 4 searches) / ready in ${fmt(readyMs)}`,
      rss !== undefined && withinMb(rss, 150) && readyMs <= 3000,
    );
    return [
      "100k: the server (npm start's build) on SNAPSHOT_FILE: ready / RSS after 4 searches / settled (15 s on)",
      `${fmt(readyMs)} / ${mib(busy)} / ${mib(rss)}`,
    ];
  } finally {
    await stopServer(server);
  }
}

function probe(file: string): Probe {
  const out = execFileSync(
    process.execPath,
    [
      "--expose-gc",
      "--import",
      "tsx",
      path.join(root, "scripts", "bench", "_index-load-probe.ts"),
      file,
    ],
    { cwd: root, encoding: "utf8", timeout: 300_000 },
  );
  return JSON.parse(out.trim().split("\n").pop() as string) as Probe;
}

export default async function bench(): Promise<void> {
  const dir = path.join(root, ".bench");
  mkdirSync(dir, { recursive: true });
  const rows: (string | number)[][] = [];
  for (const [name, feed] of [
    ["10k", SAMPLE_10K],
    ["100k", ensure100k()],
  ] as const) {
    const out = path.join(dir, `partners-${name}.index.bin`);
    const built = await buildSnapshot({ feed, out, log: () => {} });
    rows.push([`${name}: build:snapshot (parse feed + index + write)`, fmt(built.ms)]);
    rows.push([`${name}: snapshot size`, mb(built.bytes)]);
    const runs = Array.from({ length: RUNS }, () => probe(out));
    const med = (f: (p: Probe) => number) => fmt(summarise(runs.map(f)).median);
    rows.push([
      `${name}: load wall (read + decode [checksum] + first query)`,
      `${med((p) => p.readMs + p.decodeMs + p.firstQueryMs)} (${med((p) => p.readMs)} + ${med((p) => p.decodeMs)} [${med((p) => p.checksumMs)}] + ${med((p) => p.firstQueryMs)})`,
    ]);
    rows.push([`${name}: load CPU (process)`, med((p) => p.cpuMs)]);
    if (name === "100k") {
      const wall = summarise(runs.map((p) => p.readMs + p.decodeMs + p.firstQueryMs)).median;
      recordSpeed(
        "snapshot100k",
        `${fmt(wall)} wall to the first answer, ${med((p) => p.cpuMs)} CPU`,
        wall <= 1000,
      );
    }
    const last = runs[runs.length - 1] as Probe;
    rows.push([
      `${name}: memory after load (heap + array buffers, after GC; RSS)`,
      `${mb(last.heapUsed + last.arrayBuffers)} (${mb(last.heapUsed)} + ${mb(last.arrayBuffers)}); RSS ${mb(last.rss)}`,
    ]);
    if (name === "100k") rows.push(await serverWith(out));
  }
  table(["Node load from the binary snapshot", `median of ${RUNS} fresh processes`], rows);
}
