// Bulks where Elasticsearch refuses some items and accepts the rest (the request itself
// succeeds). The indexer must report every refused item with its feed line, id and the engine's
// reason, write everything else, and retry the items a retry can cure (429). Faults come two
// ways: a real mapping conflict (the alias's index maps one field differently from what the feed
// carries), and a proxy in front of the node that rewrites one document of a bulk so the node
// itself rejects it, answers 429 for chosen items without forwarding them, or loses an item's
// result from the answer.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Client, estypes } from "@elastic/elasticsearch";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FeedReject } from "../../src/partner/feed.js";
import { SearchUnavailableError } from "../../src/search/backend.js";
import { createClient } from "../../src/search/elasticsearch/client.js";
import {
  countDocs,
  indexDefinition,
  indexSettings,
  swapAlias,
  versionedIndexName,
} from "../../src/search/elasticsearch/index-lifecycle.js";
import { indexFeed } from "../../src/search/elasticsearch/indexer.js";
import {
  catalog,
  dropAlias,
  entriesOf,
  esUrl,
  policy,
  raw,
  testAlias,
  testBackend,
  testClient,
} from "./helpers.js";

const lines = (objs: unknown[]) => objs.map((o) => (typeof o === "string" ? o : JSON.stringify(o)));
const noWait = async () => undefined;

/** An engine reject as the indexer reports it. */
const engineReject = (line: number, id: string, reason: RegExp) =>
  expect.objectContaining({ line, id, path: "(engine)", reason: expect.stringMatching(reason) });

describe.skipIf(!esUrl)("bulk items Elasticsearch refuses", () => {
  let client: Client;
  const aliases: string[] = [];

  beforeAll(() => {
    client = testClient();
  });
  afterAll(async () => {
    for (const a of aliases) await dropAlias(client, a);
    await client.close();
  });

  describe("a mapping conflict", () => {
    const alias = testAlias("conflict");
    aliases.push(alias);

    beforeAll(async () => {
      // The alias's index maps minProjectBudgetUsd as a boolean: a profile carrying a budget
      // cannot be indexed; one without it can.
      const index = versionedIndexName(alias);
      const mappings = structuredClone(indexDefinition.mappings);
      (mappings.properties as Record<string, estypes.MappingProperty>).minProjectBudgetUsd = {
        type: "boolean",
      };
      await client.indices.create({
        index,
        settings: indexSettings(policy.data.directory),
        mappings,
      });
      await swapAlias(client, alias, index);
    });

    it("reports each refused document with its line, id and the engine's reason; writes the rest", async () => {
      const budget = new Set([3, 6, 10]);
      const feed = lines(
        Array.from({ length: 12 }, (_, i) =>
          raw(`m-${i}`, budget.has(i) ? { minProjectBudgetUsd: 5000 } : {}),
        ),
      );
      feed.splice(7, 0, "{not json");
      const rejects: FeedReject[] = [];
      const s = await indexFeed({
        client,
        alias,
        catalog,
        policy,
        lines: feed,
        bulk: { batchDocs: 5, sleep: noWait },
        onReject: (r) => rejects.push(r),
      });
      // m-10 is on line 12: the garbage line sits at line 8.
      const parsing =
        /^Elasticsearch rejected the document: 400 document_parsing_exception: .*minProjectBudgetUsd/;
      expect(rejects.sort((a, b) => a.line - b.line)).toEqual([
        engineReject(4, "m-3", parsing),
        engineReject(7, "m-6", parsing),
        expect.objectContaining({ line: 8, path: "(root)" }),
        engineReject(12, "m-10", parsing),
      ]);
      expect(s).toMatchObject({ lines: 13, indexed: 9, rejected: 4, stale: 0 });
      expect(await countDocs(client, alias)).toBe(9);
      const backend = testBackend(client, alias);
      for (let i = 0; i < 12; i++) {
        const p = await backend.get(`m-${i}`);
        if (budget.has(i)) expect(p).toBeUndefined();
        else expect(p?.name).toBe(`Partner m-${i}`);
      }
    });

    it("a push (backend.apply) that the engine partly refuses fails, naming the refused ids", async () => {
      const backend = testBackend(client, alias);
      const entries = entriesOf([
        raw("m-20"),
        raw("m-21", { minProjectBudgetUsd: 1 }),
        raw("m-22", { minProjectBudgetUsd: 2 }),
      ]);
      const err = await backend.apply(entries).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SearchUnavailableError);
      expect(err).toMatchObject({ retryable: false });
      expect((err as Error).message).toMatch(/rejected 2 of 3 writes/);
      expect((err as Error).message).toMatch(/m-21: 400 document_parsing_exception/);
      expect((err as Error).message).toMatch(/m-22: 400 document_parsing_exception/);
    });
  });

  describe("through a proxy that spoils chosen items", () => {
    let proxy: http.Server;
    let proxyUrl = "";
    /** Ids whose document the proxy corrupts so that the node refuses it. */
    const corrupt = new Set<string>();
    /** Ids the proxy answers 429 for, this many more times, without forwarding them. */
    const throttle = new Map<string, number>();
    /** Ids whose result the proxy leaves out of the node's answer. */
    const lose = new Set<string>();
    /** How often each id was sent in a bulk. */
    const sent = new Map<string, number>();

    beforeEach(() => {
      corrupt.clear();
      throttle.clear();
      lose.clear();
      sent.clear();
    });

    interface Op {
      action: Record<string, { _id?: string; _index?: string }>;
      source?: Record<string, unknown>;
    }

    function parseBulk(body: string): Op[] {
      const ls = body.split("\n").filter((l) => l !== "");
      const ops: Op[] = [];
      for (let i = 0; i < ls.length; i++) {
        const action = JSON.parse(ls[i] as string) as Op["action"];
        const kind = Object.keys(action)[0] as string;
        const op: Op = { action };
        if (kind !== "delete") op.source = JSON.parse(ls[++i] as string);
        ops.push(op);
      }
      return ops;
    }

    const meta = (op: Op) => Object.values(op.action)[0] ?? {};

    async function forward(
      req: http.IncomingMessage,
      body: Buffer | undefined,
    ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
      const upstream = await fetch(`${esUrl}${req.url}`, {
        method: req.method ?? "GET",
        headers: Object.fromEntries(
          Object.entries(req.headers).filter(([k]) => !["host", "content-length"].includes(k)),
        ) as Record<string, string>,
        ...(body && body.length > 0 ? { body: new Uint8Array(body) } : {}),
      });
      const headers: Record<string, string> = {};
      upstream.headers.forEach((v, k) => {
        if (!["content-encoding", "content-length", "transfer-encoding"].includes(k))
          headers[k] = v;
      });
      return { status: upstream.status, headers, body: Buffer.from(await upstream.arrayBuffer()) };
    }

    beforeAll(async () => {
      proxy = http.createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const body = Buffer.concat(chunks);
        if (!req.url?.includes("_bulk")) {
          const r = await forward(req, body);
          res.writeHead(r.status, r.headers);
          res.end(r.body);
          return;
        }
        const ops = parseBulk(body.toString("utf8"));
        const results: (unknown | undefined)[] = ops.map(() => undefined);
        const passed: number[] = [];
        ops.forEach((op, i) => {
          const id = meta(op)._id ?? "";
          sent.set(id, (sent.get(id) ?? 0) + 1);
          const left = throttle.get(id) ?? 0;
          if (left > 0) {
            throttle.set(id, left - 1);
            const kind = Object.keys(op.action)[0] as string;
            results[i] = {
              [kind]: {
                _index: meta(op)._index,
                _id: id,
                status: 429,
                error: {
                  type: "es_rejected_execution_exception",
                  reason: "rejected execution of coordinating operation [injected by the test]",
                },
              },
            };
            return;
          }
          // A number field given text: the node's own parser refuses the document.
          if (corrupt.has(id) && op.source) op.source.certificationsCount = "many";
          passed.push(i);
        });
        let took = 0;
        let headers: Record<string, string> = {
          "content-type": "application/json",
          "x-elastic-product": "Elasticsearch",
        };
        if (passed.length > 0) {
          const forwarded = `${passed
            .flatMap((i) => {
              const op = ops[i] as Op;
              return op.source ? [op.action, op.source] : [op.action];
            })
            .map((l) => JSON.stringify(l))
            .join("\n")}\n`;
          const r = await forward(req, Buffer.from(forwarded));
          if (r.status !== 200) {
            res.writeHead(r.status, r.headers);
            res.end(r.body);
            return;
          }
          const answer = JSON.parse(r.body.toString("utf8")) as { took: number; items: unknown[] };
          took = answer.took;
          headers = r.headers;
          passed.forEach((i, k) => {
            results[i] = answer.items[k];
          });
        }
        const items = results.filter(
          (x, i) => x !== undefined && !lose.has(meta(ops[i] as Op)._id ?? ""),
        );
        res.writeHead(200, headers);
        res.end(JSON.stringify({ took, errors: true, items }));
      });
      await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((r) => proxy.close(r));
    });

    const viaProxy = () => createClient({ url: proxyUrl, requestTimeoutMs: 30_000 });
    const feedOf = (prefix: string, n: number) =>
      lines(Array.from({ length: n }, (_, i) => raw(`${prefix}-${i}`)));

    it("a document the node refuses in a full reindex is reported, the rest indexed and the alias moved", async () => {
      const alias = testAlias("spoilt");
      aliases.push(alias);
      const proxied = viaProxy();
      corrupt.add("s-4");
      corrupt.add("s-17");
      const rejects: FeedReject[] = [];
      const s = await indexFeed({
        client: proxied,
        alias,
        catalog,
        policy,
        lines: feedOf("s", 20),
        full: true,
        bulk: { batchDocs: 6, sleep: noWait },
        onReject: (r) => rejects.push(r),
      });
      const parsing =
        /^Elasticsearch rejected the document: 400 document_parsing_exception: .*certificationsCount/;
      expect(rejects.sort((a, b) => a.line - b.line)).toEqual([
        engineReject(5, "s-4", parsing),
        engineReject(18, "s-17", parsing),
      ]);
      expect(s).toMatchObject({ mode: "full", indexed: 18, rejected: 2 });
      expect(await countDocs(client, alias)).toBe(18);
      // Refused once, never retried: a 400 is the document's fault.
      expect(sent.get("s-4")).toBe(1);
      await proxied.close();
    });

    it("items refused with 429 are retried until written", async () => {
      const alias = testAlias("throttled");
      aliases.push(alias);
      const proxied = viaProxy();
      throttle.set("t-0", 2);
      throttle.set("t-7", 1);
      throttle.set("t-11", 4);
      const rejects: FeedReject[] = [];
      const s = await indexFeed({
        client: proxied,
        alias,
        catalog,
        policy,
        lines: feedOf("t", 12),
        bulk: { batchDocs: 4, maxAttempts: 6, sleep: noWait },
        onReject: (r) => rejects.push(r),
      });
      expect(rejects).toEqual([]);
      expect(s).toMatchObject({ indexed: 12, rejected: 0, stale: 0 });
      expect(await countDocs(client, alias)).toBe(12);
      expect([sent.get("t-0"), sent.get("t-7"), sent.get("t-11"), sent.get("t-1")]).toEqual([
        3, 2, 5, 1,
      ]);
      await proxied.close();
    });

    it("an item still refused with 429 after the last attempt is reported, not dropped", async () => {
      const alias = testAlias("exhausted");
      aliases.push(alias);
      const proxied = viaProxy();
      throttle.set("x-2", 99);
      const rejects: FeedReject[] = [];
      const s = await indexFeed({
        client: proxied,
        alias,
        catalog,
        policy,
        lines: feedOf("x", 5),
        bulk: { maxAttempts: 3, sleep: noWait },
        onReject: (r) => rejects.push(r),
      });
      expect(rejects).toEqual([
        engineReject(
          3,
          "x-2",
          /^Elasticsearch rejected the document: 429 es_rejected_execution_exception/,
        ),
      ]);
      expect(sent.get("x-2")).toBe(3);
      expect(s).toMatchObject({ indexed: 4, rejected: 1 });
      expect(await countDocs(client, alias)).toBe(4);
      await proxied.close();
    });

    it("an answer missing an item's result fails the run: no item passes for written unseen", async () => {
      const alias = testAlias("lost");
      aliases.push(alias);
      const proxied = viaProxy();
      // The bulk API answers one result per item, in order; a gateway that cuts one leaves
      // results that can no longer be matched to items.
      lose.add("l-3");
      const run = indexFeed({
        client: proxied,
        alias,
        catalog,
        policy,
        lines: feedOf("l", 6),
        bulk: { sleep: noWait },
      });
      await expect(run).rejects.toBeInstanceOf(SearchUnavailableError);
      await expect(run).rejects.toThrow(/5 results for 6 items/);
      await proxied.close();
    });
  });
});
