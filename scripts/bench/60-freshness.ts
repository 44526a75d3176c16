// Freshness of live updates (the live-updates issue): the time from an acknowledged push
// (POST /v1/admin/partners answered 200) to the change being visible, over single-profile
// updates under read load, on the embedded engine and on Elasticsearch. Half the updates put a
// new word in one profile's description and wait for a directory search on that word to find
// it; the other half switch one partner's capacity between full and free and wait for the
// finder to drop or list it (the capacity rule is a hard rule of the finder). Meanwhile two
// readers send directory searches from the evaluation cases back to back.
// `--quick` (or FRESHNESS_QUICK=1): 100 updates instead of 1,000.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { DIRECTORY_CASES } from "../../eval/cases.js";
import { SAMPLE_10K } from "./_feeds.js";
import {
  ADMIN_TOKEN,
  type Server,
  startServer,
  stopServer,
  TOKEN,
  withElasticsearch,
  withIndexedService,
} from "./_server.js";
import { summarise, table } from "./_stats.js";

const QUICK =
  process.env.FRESHNESS_QUICK === "1" ||
  parseArgs({ options: { quick: { type: "boolean" } }, strict: false }).values.quick === true;
const UPDATES = QUICK ? 100 : 1000;
/** A change not visible after this long counts as not visible. */
const GIVE_UP_MS = 10_000;
const READERS = 2;
const FINDER_REQUEST = { customer: { country: "US", languages: ["en"] }, limit: 50 };

const raw = new Map<string, Record<string, unknown>>(
  readFileSync(SAMPLE_10K, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      return [o.id as string, o];
    }),
);

/** A word of letters only (the analyser splits digits off), unique per update. */
function wordFor(i: number): string {
  let w = "";
  let n = i;
  do {
    w = String.fromCharCode(97 + (n % 26)) + w;
    n = Math.floor(n / 26);
  } while (n > 0);
  return `zqx${w}vq`;
}

async function push(server: Server, profile: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${server.url}/v1/admin/partners`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/x-ndjson" },
    body: `${JSON.stringify(profile)}\n`,
  });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`push answered ${res.status}: ${JSON.stringify(body)}`);
}

async function finderIds(server: Server): Promise<string[]> {
  const res = await fetch(`${server.url}/v1/match`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(FINDER_REQUEST),
  });
  const body = (await res.json()) as { candidates: { partner: { id: string } }[] };
  return body.candidates.map((c) => c.partner.id);
}

async function directoryTotal(server: Server, q: string): Promise<number> {
  const res = await fetch(`${server.url}/v1/directory/partners?q=${encodeURIComponent(q)}`);
  return ((await res.json()) as { total: number }).total;
}

/** Polls until `visible` holds; the ms from `since`, or undefined past GIVE_UP_MS. */
async function until(since: number, visible: () => Promise<boolean>) {
  for (let polls = 1; ; polls++) {
    if (await visible()) return { ms: performance.now() - since, polls };
    if (performance.now() - since > GIVE_UP_MS) return undefined;
  }
}

/** Directory searches back to back until stopped; their latencies. */
function readLoad(server: Server) {
  let stop = false;
  const latencies: number[] = [];
  const paths = DIRECTORY_CASES.map((c) => {
    const qs = new URLSearchParams();
    if (c.q) qs.set("q", c.q);
    for (const [k, vs] of Object.entries(c.filters)) for (const v of vs ?? []) qs.append(k, v);
    return `/v1/directory/partners?${qs}`;
  });
  const loops = Array.from({ length: READERS }, async (_, r) => {
    for (let i = r; !stop; i++) {
      const t = performance.now();
      await (await fetch(server.url + paths[i % paths.length])).arrayBuffer();
      latencies.push(performance.now() - t);
    }
  });
  return {
    latencies,
    stop: async () => {
      stop = true;
      await Promise.all(loops);
    },
  };
}

async function measure(label: string, server: Server): Promise<(string | number)[][]> {
  const [target] = await finderIds(server);
  if (!target) throw new Error("the finder request found nobody");
  const textId = [...raw.keys()][42] as string;
  const readers = readLoad(server);
  const started = performance.now();
  const acks: number[] = [];
  const seen = { directory: [] as number[], finder: [] as number[] };
  /** Changes visible to the very first request sent after the ack. */
  const first = { directory: 0, finder: 0 };
  let missed = 0;
  try {
    for (let i = 0; i < UPDATES; i++) {
      const updatedAt = new Date(Date.parse("2027-01-01T00:00:00Z") + i * 1000).toISOString();
      const finder = i % 2 === 1;
      const o = structuredClone(raw.get(finder ? target : textId) as Record<string, unknown>);
      o.updatedAt = updatedAt;
      const word = wordFor(i);
      const full = finder && i % 4 === 1;
      if (finder) {
        const cap = (o.internal as { capacity: Record<string, unknown> }).capacity;
        cap.acceptingReferrals = true;
        cap.openReferrals = full ? cap.maxOpenReferrals : 0;
      } else {
        o.description = `${o.description as string} ${word}`;
      }
      const t0 = performance.now();
      await push(server, o);
      const t1 = performance.now();
      acks.push(t1 - t0);
      const r = finder
        ? await until(t1, async () => (await finderIds(server)).includes(target) === !full)
        : await until(t1, async () => (await directoryTotal(server, word)) === 1);
      if (r) seen[finder ? "finder" : "directory"].push(r.ms);
      else missed++;
      if (r?.polls === 1) first[finder ? "finder" : "directory"]++;
    }
  } finally {
    await readers.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const reads = summarise(readers.latencies);
  const ms = (x: number) => x.toFixed(1);
  return (["directory", "finder"] as const).map((what) => {
    const s = summarise(seen[what]);
    const a = summarise(acks);
    return [
      label,
      what,
      seen[what].length,
      `${ms(a.median)} / ${ms(a.p99)}`,
      `${ms(s.median)} / ${ms(s.p99)}`,
      `${((100 * first[what]) / Math.max(1, seen[what].length)).toFixed(1)}%`,
      missed,
      `${Math.round(readers.latencies.length / seconds)}/s, p99 ${ms(reads.p99)} ms`,
    ];
  });
}

export default async function run(): Promise<void> {
  console.log(
    `${UPDATES} single-profile pushes, alternating a directory word and a finder capacity change; ${READERS} readers send directory searches meanwhile\n`,
  );
  const rows: (string | number)[][] = [];
  // A copy of the sample: the update log (fsynced before each acknowledgement) goes beside it.
  const dir = mkdtempSync(path.join(tmpdir(), "freshness-"));
  const feed = path.join(dir, "partners.ndjson");
  copyFileSync(SAMPLE_10K, feed);
  const memory = await startServer({ PARTNERS_FILE: feed });
  try {
    rows.push(...(await measure("embedded (memory), 10k, update log on", memory)));
  } finally {
    await stopServer(memory);
    rmSync(dir, { recursive: true, force: true });
  }
  const skipped = await withElasticsearch(`fresh-${process.pid}`, (esUrl) =>
    withIndexedService(esUrl, "fresh-partners", async (server) => {
      rows.push(...(await measure("Elasticsearch 8.19, 10k", server)));
    }),
  );
  if (skipped) rows.push(["Elasticsearch", "", skipped, "", "", "", "", ""]);
  console.log();
  table(
    [
      "backend",
      "change seen in",
      "updates",
      "push acknowledged, median / p99 ms",
      "visible after the ack, median / p99 ms",
      "seen by the first request after the ack",
      "never visible",
      "read load",
    ],
    rows,
  );
}
