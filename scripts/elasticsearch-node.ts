// A real single-node Elasticsearch for tests, benchmarks and users without Docker: fetches the
// integ-test distribution from Maven Central, configures a loopback node with security off and a
// small heap, starts it as an unprivileged user (Elasticsearch refuses to run as root) and waits
// for cluster health. Usable as a CLI (`npm run es:start` / `es:stop`) and as a library (the
// vitest global setup and the bench start their own ephemeral nodes with it).
//
//   tsx scripts/elasticsearch-node.ts start [--name N] [--port P] [--heap 512m]   prints the URL
//   tsx scripts/elasticsearch-node.ts stop [--name N] [--purge]
//   tsx scripts/elasticsearch-node.ts status [--name N]

import { execFileSync, spawnSync } from "node:child_process";
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

  const javaHome = findJavaHome();
  const home = await ensureDistribution(baseDir, log);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) ensureUser();

  const port = opts.port && opts.port > 0 ? opts.port : await freePort();
  const url = `http://127.0.0.1:${port}`;
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
      `cluster.name: partner-match-${name}`,
      `node.name: ${name}`,
      "discovery.type: single-node",
      // Loopback only: with security off, nothing beyond this machine may reach the node.
      "network.host: 127.0.0.1",
      `http.port: ${port}`,
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
  if (asRoot) assertReadableBy(RUN_AS, path.join(home, "bin", "elasticsearch"), baseDir);

  const heap = opts.heap ?? "512m";
  const env = {
    ES_JAVA_HOME: javaHome,
    ES_PATH_CONF: conf,
    ES_JAVA_OPTS: `-Xms${heap} -Xmx${heap}`,
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: dir,
  };
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const cmd = [path.join(home, "bin", "elasticsearch"), "-d", "-p", pidFile];
  const argv = asRoot
    ? ["runuser", "-u", RUN_AS, "--", "env", "-i", ...envArgs, ...cmd]
    : ["env", "-i", ...envArgs, ...cmd];
  log(`starting elasticsearch ${ES_VERSION} node "${name}" on ${url} (heap ${heap})`);
  const started = Date.now();
  // `-d` returns once the node has started or has failed to; errors go to its stderr.
  const r = spawnSync(argv[0] as string, argv.slice(1), {
    encoding: "utf8",
    timeout: opts.startTimeoutMs ?? 180_000,
  });
  if (r.status !== 0) {
    throw new Error(
      `elasticsearch failed to start (exit ${r.status ?? r.signal}): ${(r.stderr || r.stdout || "").slice(-4000)}\n${tailLog(logs, name)}`,
    );
  }
  const pid = await waitForPid(pidFile, 30_000);
  writeFileSync(
    path.join(dir, "node.json"),
    JSON.stringify({ pid, url, port } satisfies NodeState),
  );
  const deadline = started + (opts.startTimeoutMs ?? 180_000);
  while (!(await health(url, 2_000))) {
    if (!isAlive(pid))
      throw new Error(`elasticsearch exited during startup\n${tailLog(logs, name)}`);
    if (Date.now() > deadline) {
      await stopNode({ name, baseDir, log });
      throw new Error(`elasticsearch did not become healthy in time\n${tailLog(logs, name)}`);
    }
    await sleep(500);
  }
  log(
    `elasticsearch node "${name}" healthy at ${url} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { name, url, pid, dir };
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

const USAGE =
  "usage: elasticsearch-node.ts start|stop|status [--name N] [--port P] [--heap 512m] [--purge]";

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
  if (command === "start") {
    // A user's node gets the familiar port when it is free; tests always take a random one.
    const port = values.port ? Number(values.port) : (await portFree(9200)) ? 9200 : 0;
    const node = await startNode({ name, port, heap: values.heap });
    console.log(node.url);
    return 0;
  }
  if (command === "stop") {
    await stopNode({ name, purge: values.purge });
    return 0;
  }
  if (command === "status") {
    const node = await nodeStatus({ name });
    console.log(node ? `${node.url} (pid ${node.pid})` : "not running");
    return node ? 0 : 1;
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
