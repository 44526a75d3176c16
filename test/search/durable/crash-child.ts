// Child process of crash.test.ts (not a test itself): opens the embedded engine from a feed and
// an update log as src/node.ts does, then applies single-profile updates through the durable
// backend from several lanes at once, printing `ack <id> <updatedAt>` after each apply resolves,
// until it is killed. Usage: crash-child.ts <partners file> <log file> <first version>
import type { FeedEntry } from "../../../src/partner/schema.js";
import { entry, idOf, openFromFiles, raw } from "./helpers.js";

const [partnersFile, logFile, first] = process.argv.slice(2);
if (!partnersFile || !logFile) throw new Error("usage: crash-child.ts <feed> <log> <version>");
const backend = await openFromFiles(partnersFile, logFile);
let version = Number(first ?? 1);
const profiles = 20;
const lanes = 4;

// stdout is a pipe: synchronous on Linux, so an ack is out before the next apply starts.
process.stdout.write("ready\n");
await Promise.all(
  Array.from({ length: lanes }, async () => {
    for (;;) {
      const v = version++;
      const i = 1 + (v % profiles);
      const e = entry(raw(i, v)) as Extract<FeedEntry, { kind: "upsert" }>;
      await backend.apply([e]);
      process.stdout.write(`ack ${idOf(i)} ${e.profile.updatedAt}\n`);
    }
  }),
);
