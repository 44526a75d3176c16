// Starts src/worker.ts in the real Workers runtime (workerd, through wrangler's programmatic
// API and the project's wrangler.toml) for tests and the benchmark: headless, offline (no
// telemetry, no `Request.cf` download, no update check, no login) and on free loopback ports.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const WRANGLER_CONFIG = path.join(ROOT, "wrangler.toml");
/** How src/edge/edge-app.ts imports src/edge/bundled-snapshot.ts (the specifier aliased). */
const BUNDLED_SNAPSHOT_SPECIFIER = "./bundled-snapshot.js";

/** Wrangler and Miniflare read these at call time; they keep a run off the network. */
export const OFFLINE_ENV: Record<string, string> = {
  CI: "true",
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_HIDE_BANNER: "true",
};

export interface LocalWorkerOptions {
  /** Plain-text vars and secrets, as `wrangler dev --var` or `.dev.vars` would give them. */
  vars?: Record<string, string>;
  /**
   * The binary snapshot to bundle into the Worker instead of the one build:snapshot writes
   * (dist/worker-assets/partners.index.bin), which then need not exist.
   */
  snapshotFile?: string;
  /** Open the DevTools inspector (heap and CPU measurements); off for tests. */
  inspector?: boolean;
  logLevel?: "none" | "error" | "warn" | "info" | "log" | "debug";
}

export interface LocalWorker {
  url: URL;
  inspectorUrl: URL | undefined;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The workerd processes this Node process started, for CPU and RSS readings. */
  workerdPids(): number[];
  dispose(): Promise<void>;
}

export async function startLocalWorker(opts: LocalWorkerOptions = {}): Promise<LocalWorker> {
  Object.assign(process.env, OFFLINE_ENV);
  const { unstable_startWorker } = await import("wrangler");
  const bindings = Object.fromEntries(
    Object.entries(opts.vars ?? {}).map(([k, v]) => [k, { type: "plain_text" as const, value: v }]),
  );
  const shim = opts.snapshotFile ? snapshotShim(opts.snapshotFile) : undefined;
  const removeShim = () => {
    if (shim) rmSync(shim.dir, { recursive: true, force: true });
  };
  const worker = await unstable_startWorker({
    config: WRANGLER_CONFIG,
    bindings,
    sendMetrics: false,
    build: {
      // Adds to wrangler.toml's [alias]: the bundled-snapshot module becomes one importing the
      // chosen file, which wrangler's module rules make a Data module as they do the default.
      ...(shim ? { alias: { [BUNDLED_SNAPSHOT_SPECIFIER]: shim.file } } : {}),
      // The programmatic API does not derive this from compatibility_flags as `wrangler dev`
      // does; without it the bundle would not resolve the node: imports nodejs_compat provides.
      nodejsCompatMode: (config) =>
        config.compatibility_flags.includes("nodejs_compat") ? "v2" : null,
    },
    dev: {
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: opts.inspector ? { hostname: "127.0.0.1", port: 0 } : false,
      watch: false,
      liveReload: false,
      persist: false,
      logLevel: opts.logLevel ?? "warn",
      enableContainers: false,
    },
  });
  try {
    await worker.ready;
  } catch (e) {
    await worker.dispose().catch(() => {});
    removeShim();
    throw e;
  }
  const url = await worker.url;
  const inspectorUrl = await worker.inspectorUrl;
  return {
    url,
    inspectorUrl,
    fetch: (p, init) => fetch(new URL(p, url), init),
    workerdPids: () =>
      descendants(process.pid)
        .filter((p) => p.comm === "workerd")
        .map((p) => p.pid),
    dispose: async () => {
      try {
        await worker.dispose();
      } finally {
        removeShim();
      }
    },
  };
}

/**
 * A module re-exporting `snapshotFile` as src/edge/bundled-snapshot.ts does its default. An
 * alias cannot name the .bin itself: wrangler resolves an alias before its module rules see it.
 */
function snapshotShim(snapshotFile: string): { dir: string; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "worker-snapshot-"));
  const file = path.join(dir, "bundled-snapshot.js");
  writeFileSync(file, `export { default } from ${JSON.stringify(path.resolve(snapshotFile))};\n`);
  return { dir, file };
}

interface ProcStat {
  pid: number;
  ppid: number;
  comm: string;
  /** user + system CPU in milliseconds. */
  cpuMs: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

export function procStat(pid: number): ProcStat | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = s.lastIndexOf(")");
    const fields = s.slice(close + 2).split(" ");
    return {
      pid,
      ppid: Number(fields[1]),
      comm: s.slice(s.indexOf("(") + 1, close),
      cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS,
    };
  } catch {
    return undefined;
  }
}

/** Resident set size in bytes (VmRSS), Linux only. */
export function rssBytes(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function descendants(root: number): ProcStat[] {
  const all: ProcStat[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    const s = procStat(Number(d));
    if (s) all.push(s);
  }
  const mine = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (!mine.has(p.pid) && mine.has(p.ppid)) {
        mine.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => p.pid !== root && mine.has(p.pid));
}
