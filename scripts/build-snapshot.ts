// `npm run build:snapshot [-- --feed F] [--out O] [--catalog C] [--policy P]`: parses a partner
// feed with the real feed parser (line-numbered rejects, newest version per id, deletions
// dropped), builds the embedded engine's index and writes it as a binary snapshot
// (src/search/snapshot/index-file.ts), which the Worker's first request and Node's SNAPSHOT_FILE
// start load without re-indexing. Default: the bundled 10k sample into
// dist/worker-assets/partners.index.bin, the file the Worker bundles (src/edge/bundled-snapshot.ts).
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildCatalog, defaultCatalog } from "../src/catalog/catalog.js";
import { buildPolicy, defaultPolicy } from "../src/catalog/policy.js";
import type { FeedResult } from "../src/partner/feed.js";
import { readFeedFile } from "../src/partner/read-feed-file.js";
import { encodeIndexFile, type IndexHeader } from "../src/search/snapshot/index-file.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_FEED = path.join(ROOT, "data", "sample-partners.ndjson");
/** The file src/edge/bundled-snapshot.ts imports: the Worker's bundled snapshot. */
export const DEFAULT_OUT = path.join(ROOT, "dist", "worker-assets", "partners.index.bin");

export interface BuildOptions {
  feed?: string;
  out?: string;
  /** A replacement catalog JSON file; the Worker must then get the same one (CATALOG_JSON). */
  catalogFile?: string;
  /** A replacement market policy JSON file; the Worker must get the same (MARKET_POLICY_JSON). */
  policyFile?: string;
  log?: (line: string) => void;
}

export interface BuildResult {
  out: string;
  /** The header's data version, which /readyz of an isolate serving this snapshot shows. */
  dataVersion: string;
  profiles: number;
  rejectedLines: number;
  /** The binary snapshot's size. */
  bytes: number;
  ms: number;
}

export async function buildSnapshot(opts: BuildOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const log = opts.log ?? ((l: string) => console.error(l));
  const feed = path.resolve(opts.feed ?? DEFAULT_FEED);
  const out = path.resolve(opts.out ?? DEFAULT_OUT);
  const catalog = opts.catalogFile
    ? buildCatalog(JSON.parse(readFileSync(opts.catalogFile, "utf8")))
    : defaultCatalog();
  const policy = opts.policyFile
    ? buildPolicy(JSON.parse(readFileSync(opts.policyFile, "utf8")), catalog)
    : defaultPolicy(catalog);
  // Read line by line: a feed past ~512 MB (one million profiles) cannot be one JS string.
  let parsed: FeedResult;
  try {
    parsed = await readFeedFile(feed, catalog);
  } catch (e) {
    throw new Error(
      `cannot read the feed ${feed}: ${(e as Error).message}` +
        (opts.feed ? "" : " (the bundled sample: regenerate it with npm run generate:sample)"),
    );
  }
  const rejectedLines = new Set(parsed.rejects.map((r) => r.line)).size;
  for (const r of parsed.rejects.slice(0, 20)) {
    log(`  line ${r.line}${r.id ? ` (${r.id})` : ""}: ${r.path}: ${r.reason}`);
  }
  if (rejectedLines > 0) log(`${rejectedLines} feed line(s) rejected and left out`);
  const profiles = parsed.entries.flatMap((e) => (e.kind === "upsert" ? [e.profile] : []));
  const source = path.relative(ROOT, feed).startsWith("..") ? feed : path.relative(ROOT, feed);
  const bin = encodeIndexFile(profiles, catalog, policy, { source, builtAt: new Date() });
  const headerLength = new DataView(bin.buffer).getUint32(4, true);
  const header = JSON.parse(
    Buffer.from(bin.subarray(8, 8 + headerLength)).toString(),
  ) as IndexHeader;
  mkdirSync(path.dirname(out), { recursive: true });
  // Write then rename: a running `wrangler dev` must never serve a half-written file.
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, bin);
  renameSync(tmp, out);
  return {
    out,
    dataVersion: header.dataVersion,
    profiles: profiles.length,
    rejectedLines,
    bytes: statSync(out).size,
    ms: Math.round(performance.now() - started),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      feed: { type: "string" },
      out: { type: "string" },
      catalog: { type: "string" },
      policy: { type: "string" },
    },
  });
  try {
    const r = await buildSnapshot({
      ...(values.feed ? { feed: values.feed } : {}),
      ...(values.out ? { out: values.out } : {}),
      ...(values.catalog ? { catalogFile: values.catalog } : {}),
      ...(values.policy ? { policyFile: values.policy } : {}),
    });
    const mb = (n: number) => `${(n / 2 ** 20).toFixed(2)} MiB`;
    console.error(
      `snapshot: ${r.profiles} profiles, data version ${r.dataVersion} -> ${path.relative(process.cwd(), r.out)} (${mb(r.bytes)}) in ${r.ms} ms`,
    );
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
