// A real single-node Elasticsearch for tests, benchmarks and users without Docker: fetches the
// integ-test distribution from Maven Central, configures a loopback node with security off and a
// small heap, starts it as an unprivileged user (Elasticsearch refuses to run as root) and waits
// for cluster health. Usable as a CLI (`npm run es:start` / `es:stop`) and as a library (the
// vitest global setup and the bench start their own ephemeral nodes with it).
//
// `--nodes N` starts N nodes on loopback forming one cluster instead (startCluster), for failover
// drills: `kill --node I` SIGKILLs one member, `restart --node I` brings it back.
//
//   tsx scripts/elasticsearch-node.ts start [--name N] [--port P] [--heap 512m]   prints the URL
//   tsx scripts/elasticsearch-node.ts start --nodes 3 [...]     prints the URLs, comma-separated
//   tsx scripts/elasticsearch-node.ts stop [--name N] [--purge]
//   tsx scripts/elasticsearch-node.ts status [--name N]
//   tsx scripts/elasticsearch-node.ts kill|restart --node I [--name N]

import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export const ES_VERSION = "8.19.7";
const ARTIFACT = `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip`;
const RUN_AS = "esnode";
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface NodeOptions {
  /** Several nodes can run side by side (a user's node, a test node, a bench node). */
  name?: string;
  /** 0 picks a free port. */
  port?: number;
  heap?: string;
  /** Where distribution and node directories live; default `.es/` in the repository. */
  baseDir?: string;
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunningNode {
  name: string;
  url: string;
  pid: number;
  dir: string;
}

interface NodeState {
  pid: number;
  url: string;
  port: number;
}

/** Thrown when this machine cannot run a node at all (no Java, no Maven); tests may skip then. */
export class NodePrerequisiteError extends Error {
  override name = "NodePrerequisiteError";
}

export function defaultBaseDir(): string {
  return process.env.ES_NODE_DIR ?? path.join(REPO_ROOT, ".es");
}

function nodeDir(baseDir: string, name: string): string {
  return path.join(baseDir, "nodes", name);
}

/** Starts the named node, or returns it when it already runs and answers. */
export async function startNode(opts: NodeOptions = {}): Promise<RunningNode> {
  const name = opts.name ?? "default";
  const baseDir = opts.baseDir ?? defaultBaseDir();
  const log = opts.log ?? ((l: string) => console.error(l));
  const dir = nodeDir(baseDir, name);

  const existing = readState(dir);
  if (existing && isAlive(existing.pid) && (await health(existing.url, 2_000))) {
    log(`elasticsearch node "${name}" already runs at ${existing.url} (pid ${existing.pid})`);
    return { name, url: existing.url, pid: existing.pid, dir };
  }
  if (clusterOf({ name, baseDir, log })?.members.some((m) => readState(m.dir))) {
    throw new Error(`a cluster "${name}" is set up there; stop it or choose another name`);
  }

  const javaHome = findJavaHome();
  const home = await ensureDistribution(baseDir, log);
  const port = opts.port && opts.port > 0 ? opts.port : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const heap = opts.heap ?? "512m";
  log(`starting elasticsearch ${ES_VERSION} node "${name}" on ${url} (heap ${heap})`);
  const started = Date.now();
  const timeoutMs = opts.startTimeoutMs ?? 180_000;
  const pid = await launch({
    javaHome,
    home,
    baseDir,
    dir,
    port,
    heap,
    timeoutMs,
    logName: name,
    settings: [
      `cluster.name: partner-match-${name}`,
      `node.name: ${name}`,
      "discovery.type: single-node",
    ],
  });
  const deadline = started + timeoutMs;
  while (!(await health(url, 2_000))) {
    if (!isAlive(pid))
      throw new Error(
        `elasticsearch exited during startup\n${tailLog(path.join(dir, "logs"), name)}`,
      );
    if (Date.now() > deadline) {
      await stopNode({ name, baseDir, log });
      throw new Error(
        `elasticsearch did not become healthy in time\n${tailLog(path.join(dir, "logs"), name)}`,
      );
    }
    await sleep(500);
  }
  log(
    `elasticsearch node "${name}" healthy at ${url} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { name, url, pid, dir };
}

interface LaunchSpec {
  javaHome: string;
  home: string;
  baseDir: string;
  dir: string;
  /** HTTP port. */
  port: number;
  heap: string;
  timeoutMs: number;
  /** The log file is named after the cluster. */
  logName: string;
  /** Node-specific elasticsearch.yml lines (names, discovery). */
  settings: string[];
  /** More JVM options, after the heap. */
  javaOpts?: string[];
}

/**
 * Writes the node's config, starts it daemonised as the node user and records its pid; resolves
 * once the daemon has started (not yet healthy). Asynchronous, so several nodes of one cluster
 * can start side by side (each waits for the others before it completes its start).
 */
async function launch(spec: LaunchSpec): Promise<number> {
  const { home, dir, javaHome } = spec;
  const asRoot = process.getuid?.() === 0;
  if (asRoot) ensureUser();
  const conf = path.join(dir, "config");
  const data = path.join(dir, "data");
  const logs = path.join(dir, "logs");
  mkdirSync(data, { recursive: true });
  mkdirSync(logs, { recursive: true });
  rmSync(conf, { recursive: true, force: true });
  cpSync(path.join(home, "config"), conf, { recursive: true });
  writeFileSync(
    path.join(conf, "elasticsearch.yml"),
    [
      ...spec.settings,
      // Loopback only: with security off, nothing beyond this machine may reach the node.
      "network.host: 127.0.0.1",
      `http.port: ${spec.port}`,
      "xpack.security.enabled: false",
      `path.data: ${data}`,
      `path.logs: ${logs}`,
      // A nearly full disk on a dev machine must not turn our indices read-only mid-test.
      "cluster.routing.allocation.disk.threshold_enabled: false",
      "",
    ].join("\n"),
  );
  const pidFile = path.join(dir, "es.pid");
  rmSync(pidFile, { force: true });
  if (asRoot) execFileSync("chown", ["-R", `${RUN_AS}:${RUN_AS}`, dir]);
  // The node user must traverse every parent directory of the node and distribution dirs.
  if (asRoot) assertReadableBy(RUN_AS, path.join(home, "bin", "elasticsearch"), spec.baseDir);

  const env = {
    ES_JAVA_HOME: javaHome,
    ES_PATH_CONF: conf,
    ES_JAVA_OPTS: [`-Xms${spec.heap}`, `-Xmx${spec.heap}`, ...(spec.javaOpts ?? [])].join(" "),
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dir,
  };
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const cmd = [path.join(home, "bin", "elasticsearch"), "-d", "-p", pidFile];
  const argv = asRoot
    ? ["runuser", "-u", RUN_AS, "--", "env", "-i", ...envArgs, ...cmd]
    : ["env", "-i", ...envArgs, ...cmd];
  // `-d` returns once the node has started or has failed to; errors go to its stderr.
  const r = await run(argv, spec.timeoutMs);
  if (r.status !== 0) {
    throw new Error(
      `elasticsearch failed to start (exit ${r.status ?? r.signal}): ${r.output.slice(-4000)}\n${tailLog(logs, spec.logName)}`,
    );
  }
  const pid = await waitForPid(pidFile, 30_000);
  writeFileSync(
    path.join(dir, "node.json"),
    JSON.stringify({
      pid,
      url: `http://127.0.0.1:${spec.port}`,
      port: spec.port,
    } satisfies NodeState),
  );
  return pid;
}

/** Runs a command to its exit (not its pipes' close: a daemon may inherit them). */
function run(
  argv: string[],
  timeoutMs: number,
): Promise<{ status: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (b: Buffer) => {
      output = (output + b.toString()).slice(-16_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("exit", (status, signal) => {
      clearTimeout(timer);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ status, signal, output });
    });
  });
}

/** Stops the named node (SIGTERM, then SIGKILL after 30 s); `purge` removes its data too. */
export async function stopNode(
  opts: { name?: string; baseDir?: string; purge?: boolean; log?: (l: string) => void } = {},
): Promise<boolean> {
  const name = opts.name ?? "default";
  const dir = nodeDir(opts.baseDir ?? defaultBaseDir(), name);
  const log = opts.log ?? ((l: string) => console.error(l));
  const state = readState(dir);
  let stopped = false;
  if (state && isAlive(state.pid)) {
    process.kill(state.pid, "SIGTERM");
    const deadline = Date.now() + 30_000;
    while (isAlive(state.pid) && Date.now() < deadline) await sleep(200);
    if (isAlive(state.pid)) process.kill(state.pid, "SIGKILL");
    stopped = true;
    log(`elasticsearch node "${name}" (pid ${state.pid}) stopped`);
  } else {
    log(`elasticsearch node "${name}" is not running`);
  }
  if (opts.purge) rmSync(dir, { recursive: true, force: true });
  else rmSync(path.join(dir, "node.json"), { force: true });
  return stopped;
}

export async function nodeStatus(
  opts: { name?: string; baseDir?: string } = {},
): Promise<RunningNode | undefined> {
  const name = opts.name ?? "default";
  const dir = nodeDir(opts.baseDir ?? defaultBaseDir(), name);
  const state = readState(dir);
  if (!state || !isAlive(state.pid) || !(await health(state.url, 2_000))) return undefined;
  return { name, url: state.url, pid: state.pid, dir };
}

export interface ClusterOptions {
  /** Members are named `<name>-0` .. `<name>-<n-1>`; default `cluster`. */
  name?: string;
  /** Master-eligible data nodes; default 3. */
  nodes?: number;
  /** Per node; default 512m. */
  heap?: string;
  /** HTTP port of the first node, the others on the next ones; 0 (default) picks free ports. */
  port?: number;
  /**
   * More JVM options for every node. A test cluster may pass `-XX:TieredStopAtLevel=1`: C1
   * only halves a node's start-up CPU (11 vs 21 s here) at the price of slower peak code.
   */
  javaOpts?: string[];
  baseDir?: string;
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface ClusterMember {
  index: number;
  name: string;
  url: string;
  port: number;
  transportPort: number;
  dir: string;
}

interface ClusterState {
  heap: string;
  javaOpts?: string[];
  members: ClusterMember[];
}

export interface RunningCluster {
  name: string;
  members: ClusterMember[];
  /** Every node's HTTP URL, in member order. */
  urls: string[];
  /** The current pid of member i (changes on restart); undefined when it is not running. */
  pid(i: number): number | undefined;
  /** SIGKILLs member i, as a crash would (no shutdown); resolves once the process is gone. */
  kill(i: number): Promise<void>;
  /** Starts member i again with its data, ports and settings; resolves once the cluster has it. */
  restart(i: number): Promise<void>;
  /** Stops every member (SIGTERM, then SIGKILL); `purge` removes their data. */
  stop(opts?: { purge?: boolean }): Promise<void>;
}

/**
 * Starts `nodes` nodes on loopback forming one cluster (every node master-eligible and data, so
 * 3 nodes keep a quorum when one dies): transport ports picked up front and given to each as
 * discovery.seed_hosts, the first election bootstrapped by cluster.initial_master_nodes, and a
 * directory per node for config, data and logs. Resolves once every node has joined and the
 * cluster is at least yellow. A cluster of that name already running is reused.
 */
export async function startCluster(opts: ClusterOptions = {}): Promise<RunningCluster> {
  const name = opts.name ?? "cluster";
  const n = opts.nodes ?? 3;
  if (!Number.isInteger(n) || n < 1) throw new Error(`--nodes must be a positive integer`);
  const baseDir = opts.baseDir ?? defaultBaseDir();
  const log = opts.log ?? ((l: string) => console.error(l));
  const timeoutMs = opts.startTimeoutMs ?? 240_000;
  const dir = nodeDir(baseDir, name);
  const existing = readClusterState(dir);
  if (existing && existing.members.length === n) {
    const urls = existing.members.map((m) => m.url);
    if (await clusterHealth(urls[0] as string, n, 2_000)) {
      log(`elasticsearch cluster "${name}" already runs at ${urls.join(",")}`);
      return clusterHandle(name, baseDir, existing, log, timeoutMs);
    }
  }
  const single = readState(dir);
  if (single && isAlive(single.pid)) {
    throw new Error(
      `a single node "${name}" runs at ${single.url}; stop it or choose another name`,
    );
  }
  const javaHome = findJavaHome();
  const home = await ensureDistribution(baseDir, log);
  const heap = opts.heap ?? "512m";
  const members: ClusterMember[] = [];
  for (let i = 0; i < n; i++) {
    const port = opts.port && opts.port > 0 ? opts.port + i : await freePort();
    const transportPort = await freePort();
    const member = `${name}-${i}`;
    members.push({
      index: i,
      name: member,
      url: `http://127.0.0.1:${port}`,
      port,
      transportPort,
      dir: path.join(dir, member),
    });
  }
  const state: ClusterState = {
    heap,
    members,
    ...(opts.javaOpts ? { javaOpts: opts.javaOpts } : {}),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "cluster.json"), JSON.stringify(state, null, 2));
  log(
    `starting elasticsearch ${ES_VERSION} cluster "${name}": ${n} nodes on ${members.map((m) => m.url).join(", ")} (heap ${heap} each)`,
  );
  const started = Date.now();
  // All at once: a node's start completes only once it has found a master, which needs a quorum.
  await Promise.all(
    members.map((m) =>
      launch(memberSpec(m, state, { javaHome, home, baseDir, name, timeoutMs, bootstrap: true })),
    ),
  );
  const handle = clusterHandle(name, baseDir, state, log, timeoutMs);
  await waitForCluster(handle, n, started + timeoutMs);
  log(
    `elasticsearch cluster "${name}" formed (${n} nodes) after ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return handle;
}

function memberSpec(
  m: ClusterMember,
  state: ClusterState,
  o: {
    javaHome: string;
    home: string;
    baseDir: string;
    name: string;
    timeoutMs: number;
    bootstrap: boolean;
  },
): LaunchSpec {
  const list = (xs: string[]) => `[${xs.map((x) => `"${x}"`).join(", ")}]`;
  return {
    javaHome: o.javaHome,
    home: o.home,
    baseDir: o.baseDir,
    dir: m.dir,
    port: m.port,
    heap: state.heap,
    ...(state.javaOpts ? { javaOpts: state.javaOpts } : {}),
    timeoutMs: o.timeoutMs,
    logName: o.name,
    settings: [
      `cluster.name: partner-match-${o.name}`,
      `node.name: ${m.name}`,
      `transport.port: ${m.transportPort}`,
      `discovery.seed_hosts: ${list(state.members.map((x) => `127.0.0.1:${x.transportPort}`))}`,
      // Only for the very first election; a restarted member rejoins the cluster it knows.
      ...(o.bootstrap
        ? [`cluster.initial_master_nodes: ${list(state.members.map((x) => x.name))}`]
        : []),
    ],
  };
}

function clusterHandle(
  name: string,
  baseDir: string,
  state: ClusterState,
  log: (l: string) => void,
  timeoutMs: number,
): RunningCluster {
  const member = (i: number): ClusterMember => {
    const m = state.members[i];
    if (!m) throw new Error(`cluster "${name}" has no node ${i}`);
    return m;
  };
  const pid = (i: number) => {
    const s = readState(member(i).dir);
    return s && isAlive(s.pid) ? s.pid : undefined;
  };
  const handle: RunningCluster = {
    name,
    members: state.members,
    urls: state.members.map((m) => m.url),
    pid,
    async kill(i) {
      const p = pid(i);
      if (p === undefined) return;
      process.kill(p, "SIGKILL");
      while (isAlive(p)) await sleep(20);
      log(`elasticsearch node "${member(i).name}" (pid ${p}) killed`);
    },
    async restart(i) {
      const m = member(i);
      if (pid(i) !== undefined) throw new Error(`node "${m.name}" still runs`);
      const started = Date.now();
      const home = await ensureDistribution(baseDir, log);
      await launch(
        memberSpec(m, state, {
          javaHome: findJavaHome(),
          home,
          baseDir,
          name,
          timeoutMs,
          bootstrap: false,
        }),
      );
      await waitForCluster(handle, state.members.length, started + timeoutMs);
      log(
        `elasticsearch node "${m.name}" rejoined after ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    },
    async stop(o = {}) {
      await Promise.all(
        state.members.map((m) => stopNode({ name: path.join(name, m.name), baseDir, log })),
      );
      if (o.purge) rmSync(nodeDir(baseDir, name), { recursive: true, force: true });
      else rmSync(path.join(nodeDir(baseDir, name), "cluster.json"), { force: true });
    },
  };
  return handle;
}

async function waitForCluster(c: RunningCluster, n: number, deadline: number): Promise<void> {
  for (;;) {
    const live = c.members.filter((m) => c.pid(m.index) !== undefined);
    if (live.length < n) {
      const dead = c.members.find((m) => c.pid(m.index) === undefined) as ClusterMember;
      throw new Error(
        `elasticsearch node "${dead.name}" exited during startup\n${tailLog(path.join(dead.dir, "logs"), c.name)}`,
      );
    }
    for (const m of live) if (await clusterHealth(m.url, n, 2_000)) return;
    if (Date.now() > deadline) {
      await c.stop();
      throw new Error(`elasticsearch cluster "${c.name}" did not form in time`);
    }
    await sleep(500);
  }
}

/** The cluster answers with `nodes` nodes joined and at least yellow. */
export async function clusterHealth(url: string, nodes: number, timeoutMs: number) {
  try {
    const res = await fetch(
      `${url}/_cluster/health?wait_for_nodes=${nodes}&wait_for_status=yellow&timeout=1s`,
      { signal: AbortSignal.timeout(timeoutMs) },
    );
    const body = (await res.json()) as { status?: string; number_of_nodes?: number };
    return (body.status === "green" || body.status === "yellow") && body.number_of_nodes === nodes;
  } catch {
    return false;
  }
}

function readClusterState(dir: string): ClusterState | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, "cluster.json"), "utf8")) as ClusterState;
  } catch {
    return undefined;
  }
}

/** The cluster of that name as its state file describes it, whether or not it runs. */
export function clusterOf(
  opts: { name?: string; baseDir?: string; log?: (l: string) => void } = {},
): RunningCluster | undefined {
  const name = opts.name ?? "cluster";
  const baseDir = opts.baseDir ?? defaultBaseDir();
  const state = readClusterState(nodeDir(baseDir, name));
  if (!state) return undefined;
  return clusterHandle(name, baseDir, state, opts.log ?? ((l) => console.error(l)), 240_000);
}

/** Downloads (Maven, cached in ~/.m2) and unpacks the distribution once; returns its home. */
export async function ensureDistribution(baseDir: string, log: (l: string) => void) {
  const home = path.join(baseDir, "dist", `elasticsearch-${ES_VERSION}`);
  if (existsSync(path.join(home, "bin", "elasticsearch"))) return home;
  if (spawnSync("mvn", ["-v"], { stdio: "ignore" }).status !== 0) {
    throw new NodePrerequisiteError("Maven (mvn) is needed to fetch Elasticsearch; not found");
  }
  const download = path.join(baseDir, "download");
  mkdirSync(download, { recursive: true });
  log(`fetching ${ARTIFACT} from Maven Central`);
  const mvn = spawnSync(
    "mvn",
    ["-q", "-B", "dependency:copy", `-Dartifact=${ARTIFACT}`, `-DoutputDirectory=${download}`],
    { encoding: "utf8", timeout: 600_000 },
  );
  const zip = path.join(download, `elasticsearch-${ES_VERSION}.zip`);
  if (mvn.status !== 0 || !existsSync(zip)) {
    throw new Error(`mvn dependency:copy failed: ${(mvn.stdout + mvn.stderr).slice(-3000)}`);
  }
  const distDir = path.join(baseDir, "dist");
  // Unpack beside, then rename, so an interrupted unzip never looks like a distribution.
  const tmp = path.join(distDir, `.unpack-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  execFileSync("unzip", ["-q", zip, "-d", tmp]);
  const unpacked = path.join(tmp, `elasticsearch-${ES_VERSION}`);
  // The zip stores config files as 0660 and ES must read the distribution as another user.
  execFileSync("chmod", ["-R", "a+rX", unpacked]);
  chmodSync(path.join(unpacked, "bin", "elasticsearch"), 0o755);
  // A rename is atomic: a concurrent start (tests beside the bench) sees all or nothing.
  if (!existsSync(home)) renameSync(unpacked, home);
  rmSync(tmp, { recursive: true, force: true });
  log(`unpacked to ${home} (modules: ${readdirSync(path.join(home, "modules")).join(", ")})`);
  return home;
}

function findJavaHome(): string {
  const fromEnv = process.env.ES_JAVA_HOME ?? process.env.JAVA_HOME;
  if (fromEnv && existsSync(path.join(fromEnv, "bin", "java"))) return fromEnv;
  const which = spawnSync("sh", ["-c", 'readlink -f "$(command -v java)"'], { encoding: "utf8" });
  const java = (which.stdout ?? "").trim();
  if (which.status !== 0 || !java || !existsSync(java)) {
    throw new NodePrerequisiteError("Java 17+ is needed to run Elasticsearch 8; none found");
  }
  return path.dirname(path.dirname(java));
}

function ensureUser(): void {
  if (spawnSync("id", ["-u", RUN_AS], { stdio: "ignore" }).status === 0) return;
  const r = spawnSync(
    "useradd",
    ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", RUN_AS],
    { encoding: "utf8" },
  );
  // Another process may have created the user meanwhile (exit 9: already exists).
  if (r.status !== 0 && r.status !== 9) throw new Error(`useradd ${RUN_AS} failed: ${r.stderr}`);
}

function assertReadableBy(user: string, file: string, baseDir: string): void {
  const r = spawnSync("runuser", ["-u", user, "--", "test", "-x", file]);
  if (r.status !== 0) {
    throw new Error(
      `user ${user} cannot reach ${file}; a parent of ${baseDir} is not traversable by others. ` +
        "Set ES_NODE_DIR to a directory such as /var/tmp/partner-match-es.",
    );
  }
}

function readState(dir: string): NodeState | undefined {
  try {
    return JSON.parse(readFileSync(path.join(dir, "node.json"), "utf8")) as NodeState;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  // A daemonised node that exited stays a zombie until its parent reaps it; it is not running.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

async function waitForPid(file: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
      if (pid > 0) return pid;
    } catch {
      // not written yet
    }
    await sleep(100);
  }
  throw new Error(`no pid file ${file} after ${timeoutMs} ms`);
}

/** Cluster health, not `GET /`: the test distribution lacks the rest-root module. */
export async function health(url: string, timeoutMs: number): Promise<boolean> {
  try {
    const res = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return false;
    const body = (await res.json()) as { status?: string };
    return body.status === "green" || body.status === "yellow";
  } catch {
    return false;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject()));
    });
  });
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

function tailLog(logs: string, name: string): string {
  const file = path.join(logs, `partner-match-${name}.log`);
  try {
    return `--- ${file} (tail) ---\n${readFileSync(file, "utf8").split("\n").slice(-40).join("\n")}`;
  } catch {
    return `(no log at ${file})`;
  }
}

const USAGE = [
  "usage: elasticsearch-node.ts start [--nodes N] [--name N] [--port P] [--heap 512m]",
  "       elasticsearch-node.ts stop|status [--name N] [--purge]",
  "       elasticsearch-node.ts kill|restart --node I [--name N]   (a member of a cluster)",
].join("\n");

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(argv);
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { command, values } = parsed;
  const name = values.name;
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1) {
    console.error(`--nodes must be a positive integer\n${USAGE}`);
    return 2;
  }
  const cluster = clusterOf({ name });
  if (command === "start") {
    // A user's node gets the familiar port when it is free; tests always take a random one.
    const wanted = values.port ? Number(values.port) : 9200;
    let free = true;
    for (let i = 0; i < nodes; i++) free &&= await portFree(wanted + i);
    const port = values.port ? wanted : free ? wanted : 0;
    if (nodes > 1) {
      const c = await startCluster({ name, nodes, port, heap: values.heap });
      // One line, as ELASTICSEARCH_URL takes it.
      console.log(c.urls.join(","));
      return 0;
    }
    const node = await startNode({ name, port, heap: values.heap });
    console.log(node.url);
    return 0;
  }
  if (command === "stop") {
    if (cluster) await cluster.stop({ purge: values.purge });
    else await stopNode({ name, purge: values.purge });
    return 0;
  }
  if (command === "status") {
    if (cluster) {
      for (const m of cluster.members) {
        const pid = cluster.pid(m.index);
        console.log(`${m.name} ${m.url} ${pid ? `(pid ${pid})` : "not running"}`);
      }
      return cluster.members.every((m) => cluster.pid(m.index)) ? 0 : 1;
    }
    const node = await nodeStatus({ name });
    console.log(node ? `${node.url} (pid ${node.pid})` : "not running");
    return node ? 0 : 1;
  }
  if (command === "kill" || command === "restart") {
    const i = Number(values.node);
    if (!cluster || values.node === undefined || !cluster.members[i]) {
      console.error(`no cluster "${name}" with a node ${values.node ?? "(--node missing)"}`);
      return 2;
    }
    if (command === "kill") await cluster.kill(i);
    else await cluster.restart(i);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

function parseCommand(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: "string", default: "default" },
      nodes: { type: "string", default: "1" },
      node: { type: "string" },
      port: { type: "string" },
      heap: { type: "string", default: "512m" },
      purge: { type: "boolean", default: false },
    },
  });
  return { command: positionals[0] ?? "start", values };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}
