// How new partner data reaches the edge: a deploy. A Worker deployed with a rebuilt snapshot
// serves the new data and says which in /readyz (`dataVersion`, equal to what build:snapshot
// reported). The "deploy" here is the Worker bundled and started again on the rebuilt snapshot.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildSnapshot, DEFAULT_FEED } from "../../scripts/build-snapshot.js";
import { type LocalWorker, startLocalWorker } from "../../scripts/lib/local-worker.js";

const dir = mkdtempSync(path.join(tmpdir(), "snapshot-deploy-"));
const snapshot = path.join(dir, "partners.index.bin");
const feed = path.join(dir, "feed.ndjson");
const lines = readFileSync(DEFAULT_FEED, "utf8").split("\n").slice(0, 200);
const first = JSON.parse(lines[0] as string) as { id: string; name: string };

async function build(name: string) {
  const renamed = { ...JSON.parse(lines[0] as string), name, updatedAt: "2027-01-01T00:00:00Z" };
  writeFileSync(feed, [JSON.stringify(renamed), ...lines.slice(1)].join("\n"));
  return await buildSnapshot({
    feed,
    out: snapshot,
    log: () => {},
  });
}

const started: LocalWorker[] = [];
const vars = { LOG_LEVEL: "silent", RATE_LIMIT_PER_MINUTE: "0" };

async function served(w: LocalWorker) {
  const ready = (await (await w.fetch("/readyz")).json()) as { details: { dataVersion: string } };
  const profile = (await (await w.fetch(`/v1/directory/partners/${first.id}`)).json()) as {
    name: string;
  };
  return { version: ready.details.dataVersion, name: profile.name };
}

afterAll(async () => {
  for (const w of started) await w.dispose();
});

describe("a new snapshot reaches the edge by a deploy", () => {
  it("serves the deployed snapshot's data and names its version", async () => {
    const a = await build("Before Deploy GmbH");
    const old = await startLocalWorker({ snapshotFile: snapshot, vars });
    started.push(old);
    expect(await served(old)).toEqual({ version: a.dataVersion, name: "Before Deploy GmbH" });
    await old.dispose();
    started.pop();

    const b = await build("After Deploy GmbH");
    expect(b.dataVersion).not.toBe(a.dataVersion);
    const deployed = await startLocalWorker({ snapshotFile: snapshot, vars });
    started.push(deployed);
    expect(await served(deployed)).toEqual({ version: b.dataVersion, name: "After Deploy GmbH" });
  });
});
