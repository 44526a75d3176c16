// Loads a binary snapshot in a fresh Node process (as SNAPSHOT_FILE does) and prints the time
// of each phase, CPU and memory, for 45-snapshot-load.ts: a fresh process so neither JIT
// warm-up nor an earlier load's garbage flatters the figure.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { defaultCatalog } from "../../src/catalog/catalog.js";
import { defaultPolicy } from "../../src/catalog/policy.js";
import { buildDirectoryPlan } from "../../src/ranking/directory.js";
import { memoryFromIndexFile } from "../../src/search/snapshot/index-file.js";

const {
  positionals: [file],
} = parseArgs({ allowPositionals: true });
if (!file) throw new Error("usage: _index-load-probe.ts <partners.index.bin>");
const catalog = defaultCatalog();
const policy = defaultPolicy(catalog);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const bytes = readFileSync(file);
const t1 = performance.now();
const { memory, decoded } = memoryFromIndexFile(bytes, { catalog, policy });
const t2 = performance.now();
const plan = buildDirectoryPlan(
  { filters: { country: ["DE"] }, page: 1, pageSize: 20, sort: "relevance", q: "crm" },
  policy,
);
const total = memory.directorySync(plan).total;
const t3 = performance.now();
const cpu = process.cpuUsage(cpu0);
(globalThis as { gc?: () => void }).gc?.();
const m = process.memoryUsage();
console.log(
  JSON.stringify({
    profiles: memory.size,
    total,
    bytes: bytes.byteLength,
    readMs: t1 - t0,
    decodeMs: t2 - t1,
    checksumMs: decoded.checksumMs,
    firstQueryMs: t3 - t2,
    cpuMs: (cpu.user + cpu.system) / 1000,
    heapUsed: m.heapUsed,
    arrayBuffers: m.arrayBuffers,
    rss: m.rss,
  }),
);
