// Loads a snapshot file into SnapshotBackend in a fresh Node process, for 40-worker.ts to run
// under decreasing --max-old-space-size caps: the smallest cap that completes bounds the load's
// peak V8 heap (same engine and heap accounting as workerd), which polling the Worker's heap
// cannot see while the load runs synchronously.

import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { defaultCatalog } from "../../src/catalog/catalog.js";
import { defaultPolicy } from "../../src/catalog/policy.js";
import { SnapshotBackend } from "../../src/search/snapshot/snapshot-backend.js";

const {
  positionals: [file],
} = parseArgs({ allowPositionals: true });
if (!file) throw new Error("usage: _snapshot-load-probe.ts <snapshot>");
const catalog = defaultCatalog();
const policy = defaultPolicy(catalog);
const backend = new SnapshotBackend({
  fetchSnapshot: async () => new Response(readFileSync(file)),
  location: file,
  catalog,
  policy,
});
await backend.load();
console.log(JSON.stringify({ profiles: backend.stats?.profiles }));
