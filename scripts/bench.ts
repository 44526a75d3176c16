// `npm run bench [-- name ...]`: runs every benchmark section in scripts/bench/ (or the named
// ones) in file-name order and prints its figures. Sections are plain modules so each issue's
// measurements live beside the others without a shared file to edit.
import { readdirSync } from "node:fs";
import os from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { table } from "./bench/_stats.js";
import { speedSummary } from "./bench/_summary.js";

const dir = fileURLToPath(new URL("./bench/", import.meta.url));
// Flags (e.g. --quick) are read by the sections themselves; positionals name sections.
const { positionals: wanted } = parseArgs({ allowPositionals: true, strict: false });
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
  .sort()
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)));

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
console.log(
  `# bench on ${os.cpus().length} x ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString()}`,
);
for (const f of files) {
  const mod = (await import(pathToFileURL(dir + f).href)) as {
    default: () => Promise<void>;
    /** Long sections (one million profiles) run only when named. */
    optIn?: boolean;
  };
  console.log(`\n## ${f.replace(/\.ts$/, "")}`);
  if (mod.optIn && wanted.length === 0) {
    console.log(
      `skipped: runs only when named (npm run bench -- ${f.replace(/^\d+-|\.ts$/g, "")})`,
    );
    continue;
  }
  await mod.default();
}

console.log("\n## speed targets (the speed issue's table, from this run)");
table(["what", "this run", "target", ""], speedSummary());
