// Loads a feed into the embedded engine in a fresh process and prints its memory, so the
// figure is not polluted by the benchmark's own allocations.
import { parseArgs } from "node:util";
import { defaultCatalog } from "../../src/catalog/catalog.js";
import { defaultPolicy } from "../../src/catalog/policy.js";
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
const gc = () => (globalThis as { gc?: () => void }).gc?.();
gc();
const justLoaded = process.memoryUsage().rss;
// V8 hands freed pages back to the OS a few seconds after a burst; a server lives in that
// settled state, so both figures are printed.
await new Promise((r) => setTimeout(r, 5000));
gc();
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
