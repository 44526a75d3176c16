// Writes seeded sample partner profiles as an NDJSON feed (CONTRACT.md section 1): the committed
// demo data (data/sample-partners.ndjson) and large benchmark feeds (.bench/).
//   npx tsx scripts/generate-sample.ts [--count 10000] [--seed 42] [--out data/sample-partners.ndjson]
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { iteratePartners, seedFromString } from "./lib/sample-generator.js";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "10000" },
    seed: { type: "string", default: "42" },
    out: { type: "string", default: "data/sample-partners.ndjson" },
  },
  strict: true,
});

const count = Number(values.count);
if (!Number.isInteger(count) || count < 0) {
  console.error(`--count must be a non-negative integer, got "${values.count}"`);
  process.exit(2);
}
const seed = seedFromString(values.seed);
const out = values.out;

const started = performance.now();
mkdirSync(dirname(out), { recursive: true });
const fd = openSync(out, "w");
let bytes = 0;
try {
  // Batched synchronous writes: one string per profile would be slow, one string for 100k too big.
  let batch: string[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    const chunk = `${batch.join("\n")}\n`;
    bytes += writeSync(fd, chunk);
    batch = [];
  };
  for (const profile of iteratePartners(count, seed)) {
    batch.push(JSON.stringify(profile));
    if (batch.length >= 2000) flush();
  }
  flush();
} finally {
  closeSync(fd);
}
const ms = Math.round(performance.now() - started);
console.log(
  `wrote ${count} profiles (seed ${values.seed}) to ${out}: ${(bytes / 1e6).toFixed(1)} MB in ${ms} ms`,
);
