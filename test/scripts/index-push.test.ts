// `npm run index -- --url`: the CLI as an operator runs it, pushing a file to a service started
// with src/node.ts's start() (embedded backend, a two-partner feed): the summary and exit codes of
// the Elasticsearch target, rejects renumbered to the file's lines across several pushes, and
// the change visible in the directory at once.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start } from "../../src/node.js";
import { rawProfile } from "../helpers.js";

const run = promisify(execFile);
const ADMIN = "cli-admin-token-0123456789";
const dir = mkdtempSync(path.join(os.tmpdir(), "index-push-"));
const tsx = path.resolve("node_modules/.bin/tsx");
const line = (o: Record<string, unknown>) => JSON.stringify(o);

let service: Awaited<ReturnType<typeof start>>;
let base = "";

beforeAll(async () => {
  const feed = path.join(dir, "start.ndjson");
  writeFileSync(
    feed,
    `${[rawProfile({ id: "p-keep" }), rawProfile({ id: "p-gone" })].map(line).join("\n")}\n`,
  );
  service = await start({
    PORT: "0",
    HOST: "127.0.0.1",
    PARTNERS_FILE: feed,
    ADMIN_API_TOKENS: ADMIN,
    LOG_LEVEL: "silent",
  });
  base = `http://127.0.0.1:${service.port}`;
}, 60_000);

afterAll(async () => {
  await service?.stop();
});

function cli(args: string[], env: Record<string, string> = {}) {
  const { ELASTICSEARCH_URL: _, ADMIN_API_TOKEN: __, ...inherited } = process.env;
  return run(tsx, ["scripts/index.ts", ...args], {
    env: { ...inherited, ...env },
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

async function status(id: string) {
  return (await fetch(`${base}/v1/directory/partners/${id}`)).status;
}

// Each CLI run starts tsx (1-3 s, more on a busy machine).
describe("npm run index -- --url (a running service)", { timeout: 60_000 }, () => {
  const file = path.join(dir, "push.ndjson");
  const rejects = path.join(dir, "rejects.ndjson");
  writeFileSync(
    file,
    `${[
      line(rawProfile({ id: "p-new-1", updatedAt: "2026-11-01T00:00:00Z" })),
      line({ id: "p-gone", deleted: true, updatedAt: "2026-11-01T00:00:00Z" }),
      line(rawProfile({ id: "p-new-2", updatedAt: "2026-11-01T00:00:00Z" })),
      "{not json",
      line(rawProfile({ id: "p-new-3", tier: "bronze", updatedAt: "2026-11-01T00:00:00Z" })),
    ].join("\n")}\n`,
  );
  // A function: the service's port is known only once beforeAll has run.
  const args = () => ["--url", base, "--file", file, "--rejects", rejects, "--lines-per-push", "2"];

  it("streams the file in pushes, prints the summary, writes rejects with the file's lines", async () => {
    const r = await cli(args(), { ADMIN_API_TOKEN: ADMIN });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pushed to .*\/v1\/admin\/partners in 3 push\(es\)/);
    expect(r.stdout).toMatch(
      /lines\s+5\n\s+indexed\s+2\n\s+updated\s+0\n\s+deleted\s+1\n\s+stale\s+0/,
    );
    expect(r.stdout).toMatch(/rejected\s+2 \(see /);
    expect(r.stderr).toContain("line 4: (root): malformed JSON");
    expect(r.stderr).toContain("line 5 (p-new-3): tier:");
    const written = readFileSync(rejects, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(written.map((w: { line: number }) => w.line)).toEqual([4, 5]);
    expect(await status("p-new-1")).toBe(200);
    expect(await status("p-new-2")).toBe(200);
    expect(await status("p-gone")).toBe(404);
    expect(await status("p-keep")).toBe(200);
  });

  it("replays as stale, exits 3 on rejects with --strict, takes the token from --token", async () => {
    const r = await cli([...args(), "--strict", "--token", ADMIN]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/stale\s+3/);
  });

  it("exits 1 when the service refuses the token, 2 on bad usage", async () => {
    const refused = await cli(args(), { ADMIN_API_TOKEN: "a-staff-or-other-token-0123" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("401 unauthorized");
    expect((await cli(args())).code).toBe(2);
    const mixed = await cli([...args(), "--full"], { ADMIN_API_TOKEN: ADMIN });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain("--full only apply to Elasticsearch");
  });
});
