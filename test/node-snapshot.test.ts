// Node started from a binary snapshot (SNAPSHOT_FILE) instead of a feed: it serves the stored
// index, answers as a start from the same feed does, and refuses both files set at once.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { start } from "../src/node.js";
import { parseFeed } from "../src/partner/feed.js";
import { encodeIndexFile } from "../src/search/snapshot/index-file.js";
import { catalog, policy } from "./helpers.js";

const dir = mkdtempSync(path.join(tmpdir(), "node-snapshot-"));
const lines = readFileSync(new URL("../data/sample-partners.ndjson", import.meta.url), "utf8")
  .split("\n")
  .slice(0, 300);
const feedFile = path.join(dir, "feed.ndjson");
writeFileSync(feedFile, lines.join("\n"));
const snapshotFile = path.join(dir, "partners.index.bin");
const profiles = parseFeed(lines.join("\n"), catalog).entries.flatMap((e) =>
  e.kind === "upsert" ? [e.profile] : [],
);
writeFileSync(
  snapshotFile,
  encodeIndexFile(profiles, catalog, policy, { source: "test", builtAt: new Date() }),
);

const env = {
  PORT: "0",
  HOST: "127.0.0.1",
  LOG_LEVEL: "silent",
  UPDATE_LOG_FILE: path.join(dir, "u"),
};
const running: { stop: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const r of running) await r.stop();
});

describe("SNAPSHOT_FILE", () => {
  it("starts Node from the binary snapshot, answering as the same feed does", async () => {
    const fromSnapshot = await start({ ...env, SNAPSHOT_FILE: snapshotFile });
    running.push(fromSnapshot);
    const fromFeed = await start({
      ...env,
      PARTNERS_FILE: feedFile,
      UPDATE_LOG_FILE: path.join(dir, "v"),
    });
    running.push(fromFeed);
    const get = async (port: number, p: string) =>
      (await fetch(`http://127.0.0.1:${port}${p}`)).json() as Promise<Record<string, unknown>>;
    const ready = await get(fromSnapshot.port, "/readyz");
    expect(ready).toMatchObject({ status: "ready", details: { profiles: profiles.length } });
    for (const q of [
      "?country=DE&sort=rating",
      "?q=crm%20migration",
      "?industry=healthcare&sort=name",
    ]) {
      const p = `/v1/directory/partners${q}`;
      expect(await get(fromSnapshot.port, p)).toEqual(await get(fromFeed.port, p));
    }
  });

  it("cannot be set with PARTNERS_FILE", () => {
    expect(() => parseConfig({ SNAPSHOT_FILE: "a", PARTNERS_FILE: "b" })).toThrow(
      /SNAPSHOT_FILE: set either PARTNERS_FILE .* or SNAPSHOT_FILE/,
    );
  });
});
