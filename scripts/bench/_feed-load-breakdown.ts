// Where a feed load's time goes, phase by phase in a fresh process: reading and splitting the
// file, JSON.parse of every line, zod validation, the columnar profile store, and the index
// build (which adds the store's columns as it goes). Run by hand:
//   node --import tsx scripts/bench/_feed-load-breakdown.ts .bench/partners-100k.ndjson
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { defaultCatalog } from "../../src/catalog/catalog.js";
import { defaultPolicy } from "../../src/catalog/policy.js";
import { splitLines } from "../../src/lib/lines.js";
import { createProfileSchemas } from "../../src/partner/schema.js";
import { buildIndex } from "../../src/search/memory/built-index.js";
import { ProfileStore } from "../../src/search/memory/profile-store.js";

const {
  positionals: [path],
} = parseArgs({ allowPositionals: true });
if (!path) throw new Error("usage: _feed-load-breakdown.ts <feed.ndjson>");
const catalog = defaultCatalog();
const policy = defaultPolicy(catalog);
const { Profile: schema } = createProfileSchemas(catalog);

const ms: Record<string, number> = {};
const time = <T>(name: string, f: () => T): T => {
  const t = performance.now();
  const r = f();
  ms[name] = Math.round(performance.now() - t);
  return r;
};
const lines = time("read + split", () =>
  [...splitLines(readFileSync(path, "utf8"))].filter((l) => l.trim() !== ""),
);
const raw = time("JSON.parse", () => lines.map((l) => JSON.parse(l) as unknown));
const profiles = time("zod validation", () =>
  raw.flatMap((r) => {
    const p = schema.safeParse(r);
    return p.success ? [p.data] : [];
  }),
);
profiles.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
time("profile store alone", () => ProfileStore.of(profiles));
time("index build without the store", () =>
  buildIndex({ profiles, catalog, policy, keepObjects: true }),
);
time("index build with the store (the engine's)", () => buildIndex({ profiles, catalog, policy }));
console.log(JSON.stringify({ profiles: profiles.length, ms }));
