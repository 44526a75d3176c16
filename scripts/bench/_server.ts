// The real Node server in a child process for the HTTP benchmarks (so the load generator does
// not share its event loop), and a local Elasticsearch node for the sections that compare.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import type { Client } from "@elastic/elasticsearch";
import { createClient } from "../../src/search/elasticsearch/client.js";
import { listVersions } from "../../src/search/elasticsearch/index-lifecycle.js";
import { indexFeed } from "../../src/search/elasticsearch/indexer.js";
import { NodePrerequisiteError, startNode, stopNode } from "../elasticsearch-node.js";
import { readFileLines } from "../lib/read-lines.js";
import { catalog, policy, root, SAMPLE_10K } from "./_feeds.js";

export const TOKEN = "load-bench-token-0123456789abcdef";
export const ADMIN_TOKEN = "admin-bench-token-0123456789abcdef";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

export interface Server {
  url: string;
  child: ChildProcess;
}

/**
 * How `npm start` runs the server (package.json's start script, after its build): the node
 * flags, GC tuning included, and the built entry, so the benchmarks measure the server as it
 * is run. The build is run here once, so a bench never measures an older bundle.
 */
let built: { flags: string[]; entry: string } | undefined;
export function startCommand(): { flags: string[]; entry: string } {
  if (built) return built;
  const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as {
    scripts: { start: string };
  };
  const m = /^npm run -s build:node && node\s+(.*?)\s*(\S+\.js)$/.exec(pkg.scripts.start);
  if (!m?.[2]) throw new Error(`unexpected start script: ${pkg.scripts.start}`);
  execFileSync("npm", ["run", "-s", "build:node"], { cwd: root, stdio: "inherit" });
  built = { flags: m[1] ? m[1].split(/\s+/) : [], entry: `${root}${m[2]}` };
  return built;
}

export async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const { flags, entry } = startCommand();
  const child = spawn(process.execPath, [...flags, entry], {
    cwd: root,
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
      MATCH_API_TOKENS: TOKEN,
      ADMIN_API_TOKENS: ADMIN_TOKEN,
      LOG_LEVEL: "silent",
      // One client sends all the load: the per-client abuse limits would measure themselves.
      RATE_LIMIT_PER_MINUTE: "0",
      STAFF_RATE_LIMIT_PER_MINUTE: "0",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (b: Buffer) => {
    stderr += b.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr.slice(-500)}`);
    try {
      if ((await fetch(`${url}/readyz`)).ok) return { url, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGTERM");
  throw new Error(`server not ready within 60 s: ${stderr.slice(-500)}`);
}

export async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null) return;
  const done = new Promise((r) => s.child.once("exit", r));
  s.child.kill("SIGTERM");
  await Promise.race([done, new Promise((r) => setTimeout(r, 5_000))]);
  if (s.child.exitCode === null) s.child.kill("SIGKILL");
}

/** CPU time (user + system) the process has used, from /proc; undefined where there is none. */
export function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 of stat (utime, stime), in clock ticks of 10 ms on Linux.
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return undefined;
  }
}

/**
 * A node for a section: ELASTICSEARCH_URL when given, else one started here and stopped after
 * `use`; a string saying why when this machine cannot run one.
 */
export async function withElasticsearch(
  name: string,
  use: (url: string) => Promise<void>,
  heap?: string,
): Promise<string | undefined> {
  const given = process.env.ELASTICSEARCH_URL;
  let url = given;
  if (!url) {
    try {
      url = (await startNode({ name, port: 0, log: () => undefined, ...(heap ? { heap } : {}) }))
        .url;
    } catch (e) {
      if (!(e instanceof NodePrerequisiteError)) throw e;
      return `skipped: ${e.message}`;
    }
  }
  try {
    await use(url);
  } finally {
    if (!given) await stopNode({ name, purge: true, log: () => undefined });
  }
  return undefined;
}

/** Deletes every version index of `alias` (a bench's clean-up: one already gone is fine). */
export async function dropVersions(client: Client, alias: string): Promise<void> {
  for (const v of await listVersions(client, alias).catch(() => [])) {
    await client.indices.delete({ index: v }, { ignore: [404] });
  }
}

/** A feed file indexed into a new version of `alias` (a full load: the alias moves to it). */
export function indexFile(client: Client, alias: string, file: string, concurrency = 3) {
  return indexFeed({
    client,
    alias,
    catalog,
    policy,
    lines: readFileLines(file),
    full: true,
    minShareOfPrevious: 0,
    bulk: { concurrency },
  });
}

/**
 * The 10k sample indexed into `alias` on the node at `esUrl` and the service started on it;
 * `use` gets the server; the server is stopped and the alias's indices deleted afterwards.
 */
export async function withIndexedService(
  esUrl: string,
  alias: string,
  use: (server: Server) => Promise<void>,
): Promise<void> {
  const client = createClient({ url: esUrl, requestTimeoutMs: 60_000 });
  let server: Server | undefined;
  try {
    await indexFeed({
      client,
      alias,
      catalog,
      policy,
      lines: readFileLines(SAMPLE_10K),
      full: true,
      minShareOfPrevious: 0,
    });
    server = await startServer({ ELASTICSEARCH_URL: esUrl, ELASTICSEARCH_INDEX: alias });
    await use(server);
  } finally {
    if (server) await stopServer(server);
    await dropVersions(client, alias);
    await client.close();
  }
}
