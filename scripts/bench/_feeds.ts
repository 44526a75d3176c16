// Feeds for benchmarks: the bundled 10k sample and a 100k feed generated once into .bench/.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defaultCatalog } from "../../src/catalog/catalog.js";
import { defaultPolicy } from "../../src/catalog/policy.js";
import { parseFeed } from "../../src/partner/feed.js";
import type { Profile } from "../../src/partner/schema.js";
import { loadFeedFile } from "../../src/search/memory/load-feed-file.js";
import { MemoryBackend } from "../../src/search/memory/memory-backend.js";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const SAMPLE_10K = `${root}data/sample-partners.ndjson`;
export const FEED_100K = `${root}.bench/partners-100k.ndjson`;

export const catalog = defaultCatalog();
export const policy = defaultPolicy(catalog);

export function ensure100k(): string {
  if (!existsSync(FEED_100K)) {
    execFileSync(
      "npx",
      ["tsx", "scripts/generate-sample.ts", "--count", "100000", "--seed", "7", "--out", FEED_100K],
      { cwd: root, stdio: "inherit" },
    );
  }
  return FEED_100K;
}

export function loadProfiles(path: string): Profile[] {
  const r = parseFeed(readFileSync(path, "utf8"), catalog);
  return r.entries.flatMap((e) => (e.kind === "upsert" ? [e.profile] : []));
}

export async function loadBackend(path: string): Promise<MemoryBackend> {
  const b = new MemoryBackend(catalog, policy);
  await loadFeedFile(b, path, catalog);
  b.directorySync({
    filters: [],
    sort: "relevance",
    from: 0,
    size: 1,
    facets: [],
    weights: policy.data.directory.weights,
  });
  return b;
}
