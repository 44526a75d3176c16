// Loads a feed into the embedded engine in a fresh process and prints its memory, so the
// figure is not polluted by the benchmark's own allocations.
import { parseArgs } from "node:util";
import { defaultCatalog } from "../../src/catalog/catalog.js";
import { defaultPolicy } from "../../src/catalog/policy.js";
import { releaseLoadMemory } from "../../src/lib/release-memory.js";
import { loadFeedFile } from "../../src/search/memory/load-feed-file.js";
import { MemoryBackend } from "../../src/search/memory/memory-backend.js";

const {
  positionals: [path],
} = parseArgs({ allowPositionals: true });
if (!path) throw new Error("usage: _memory-probe.ts <feed.ndjson>");
const t = performance.now();
const catalog = defaultCatalog();
const policy = defaultPolicy(catalog);
const backend = new MemoryBackend(catalog, policy);
await loadFeedFile(backend, path, catalog);
const profiles = backend.size;
const loadMs = performance.now() - t;
const justLoaded = process.memoryUsage().rss;
// What the server does once it listens (src/node.ts): the load's garbage is collected and its
// pages handed back. Then 5 s without a forced collection, as a server would run: a settled
// figure taken right after a gc() caught V8 before it had released the pages, ~100 MB high.
await releaseLoadMemory();
await new Promise((r) => setTimeout(r, 5000));
const m = process.memoryUsage();
console.log(
  JSON.stringify({
    profiles,
    loadMs: Math.round(loadMs),
    rssJustLoadedMb: Math.round(justLoaded / 2 ** 20),
    rssMb: Math.round(m.rss / 2 ** 20),
    heapMb: Math.round(m.heapUsed / 2 ** 20),
    heapTotalMb: Math.round(m.heapTotal / 2 ** 20),
    externalMb: Math.round((m.external + m.arrayBuffers) / 2 ** 20),
  }),
);
