// The indexer against a real node: streaming validation with line-numbered rejects, incremental
// updates through the alias, a full reindex that moves the alias only when the new version is
// complete (keeping the previous one for rollback), and the CLI's exit statuses.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Client } from "@elastic/elasticsearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FeedReject } from "../../src/partner/feed.js";
import {
  aliasTargets,
  countDocs,
  listVersions,
  rollback,
} from "../../src/search/elasticsearch/index-lifecycle.js";
import { IndexCheckError, indexFeed } from "../../src/search/elasticsearch/indexer.js";
import { catalog, dropAlias, esUrl, policy, raw, testAlias, testClient } from "./helpers.js";

const run = promisify(execFile);
const feed = (objs: unknown[]) => objs.map((o) => (typeof o === "string" ? o : JSON.stringify(o)));
const many = (n: number, updatedAt = "2026-10-01T00:00:00Z") =>
  Array.from({ length: n }, (_, i) => raw(`f-${String(i).padStart(4, "0")}`, { updatedAt }));

describe.skipIf(!esUrl)("indexer", () => {
  let client: Client;
  const alias = testAlias("indexer");
  const base = { alias, catalog, policy };

  beforeAll(() => {
    client = testClient();
  });
  afterAll(async () => {
    await dropAlias(client, alias);
    await client.close();
  });

  it("validates every line, reports rejects with line, path and reason, and indexes the rest", async () => {
    const rejects: FeedReject[] = [];
    const s = await indexFeed({
      ...base,
      client,
      lines: feed([
        raw("r-1"),
        "{not json",
        raw("r-2", { locations: [{ country: "DE", city: "Kiel", lat: 91, lon: 0 }] }),
        "",
        raw("r-3", { industries: ["basket_weaving"] }),
        raw("r-1", { updatedAt: "2026-09-01T00:00:00Z" }),
        raw("r-4"),
      ]),
      onReject: (r) => rejects.push(r),
    });
    expect(s).toMatchObject({ mode: "incremental", lines: 7, indexed: 2, rejected: 4, stale: 0 });
    expect(rejects.map((r) => [r.line, r.path])).toEqual([
      [2, "(root)"],
      [3, "locations[0].lat"],
      [5, "industries[0]"],
      [6, "id"],
    ]);
    expect(rejects[2]?.reason).toContain("basket_weaving");
    expect(await countDocs(client, alias)).toBe(2);
  });

  it("moves the alias only after a full reindex is complete, keeping the previous version", async () => {
    const before = await aliasTargets(client, alias);
    // What a search sees while the new version fills: counted through the alias at each batch.
    const seenDuringFill: Promise<number>[] = [];
    const s = await indexFeed({
      ...base,
      client,
      full: true,
      lines: feed(many(2_500)),
      bulk: { batchDocs: 250, concurrency: 1 },
      onProgress: () => {
        seenDuringFill.push(countDocs(client, alias));
      },
    });
    expect(s).toMatchObject({ mode: "full", indexed: 2_500, previous: before });
    const seen = await Promise.all(seenDuringFill);
    expect(seen.length).toBeGreaterThan(5);
    expect(new Set(seen)).toEqual(new Set([2]));
    expect(await aliasTargets(client, alias)).toEqual([s.index]);
    expect(await countDocs(client, alias)).toBe(2_500);
    // The bulk-load settings are undone: searchable, durable, replicated where possible.
    const settings = (await client.indices.getSettings({ index: s.index }))[s.index]?.settings;
    expect(settings?.index?.refresh_interval).toBeUndefined();
    expect(settings?.index?.translog).toMatchObject({ durability: "request" });
    expect(settings?.index?.auto_expand_replicas).toBe("0-1");
    expect(await listVersions(client, alias)).toEqual([...before, s.index].sort());

    // A second full reindex prunes all but the one previous version.
    const again = await indexFeed({ ...base, client, full: true, lines: feed(many(2_500)) });
    expect(again.previous).toEqual([s.index]);
    expect(again.pruned).toEqual(before);
    expect(await listVersions(client, alias)).toEqual([s.index, again.index]);

    const back = await rollback(client, alias);
    expect(back).toEqual({ from: again.index, to: s.index });
    expect(await aliasTargets(client, alias)).toEqual([s.index]);
  });

  it("refuses to swap to a much smaller index and deletes the half-built one", async () => {
    const targets = await aliasTargets(client, alias);
    const versions = await listVersions(client, alias);
    await expect(
      indexFeed({ ...base, client, full: true, lines: feed(many(10)) }),
    ).rejects.toBeInstanceOf(IndexCheckError);
    expect(await aliasTargets(client, alias)).toEqual(targets);
    expect(await listVersions(client, alias)).toEqual(versions);
  });

  describe("CLI", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "indexer-cli-"));
    const tsx = path.resolve("node_modules/.bin/tsx");
    const cli = (args: string[], env: Record<string, string> = {}) =>
      run(tsx, ["scripts/index.ts", ...args], {
        env: { ...process.env, ELASTICSEARCH_URL: esUrl, ...env },
        timeout: 60_000,
      }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );

    it("indexes a file, writes rejects, exits 3 on rejects only with --strict, rolls back", async () => {
      const file = path.join(dir, "feed.ndjson");
      const rejects = path.join(dir, "rejects.ndjson");
      writeFileSync(file, `${feed([raw("c-1"), "{bad", raw("c-2")]).join("\n")}\n`);
      const cliAlias = testAlias("cli");
      const args = ["--file", file, "--rejects", rejects, "--alias", cliAlias];
      try {
        const ok = await cli(args);
        expect(ok.code).toBe(0);
        expect(ok.stdout).toMatch(/indexed\s+2/);
        expect(ok.stderr).toContain("line 2: (root): malformed JSON");
        expect(JSON.parse(readFileSync(rejects, "utf8").trim())).toMatchObject({ line: 2 });
        const strict = await cli([...args, "--strict"]);
        expect(strict.code).toBe(3);
        expect(strict.stdout).toMatch(/stale\s+2/);
        const full = await cli([...args, "--full"]);
        expect(full.stdout).toMatch(/kept for rollback/);
        const back = await cli(["--rollback", "--alias", cliAlias]);
        expect(back.code).toBe(0);
        expect(back.stdout).toMatch(/moved back from .*-v\d+.* to .*-v\d+/);
      } finally {
        await dropAlias(client, cliAlias);
      }
    });

    it("exits 1 when the cluster is unreachable and 2 on bad usage", async () => {
      const file = path.join(dir, "one.ndjson");
      writeFileSync(file, `${JSON.stringify(raw("c-9"))}\n`);
      const down = await cli(["--file", file, "--rejects", path.join(dir, "r2.ndjson")], {
        ELASTICSEARCH_URL: "http://127.0.0.1:9",
      });
      expect(down.code).toBe(1);
      expect(down.stderr).toContain("unreachable");
      expect((await cli([])).code).toBe(2);
    });
  });
});
