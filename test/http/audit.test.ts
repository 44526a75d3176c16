// GET /v1/staff/audit and the records POST /v1/match leaves: answered and refused requests of
// authenticated callers, named by label, newest first, filtered by since and limit; never a
// token, neither in the answers nor in the stored file.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultCallerLabel } from "../../src/audit/caller.js";
import { FileAuditSink } from "../../src/audit/file-sink.js";
import { createApp } from "../../src/http/app.js";
import { backendOf, catalog, policy, TOKEN } from "../helpers.js";
import { partner } from "../ranking/match-fixtures.js";

const LABELLED = "crm-token-0123456789abcdef";
const dir = mkdtempSync(join(tmpdir(), "audit-http-"));
const file = join(dir, "audit.ndjson");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let now = Date.parse("2026-12-01T09:00:00Z");
const audit = new FileAuditSink({ file, maxBytes: 1 << 20, keep: 2 });
const app = createApp({
  backend: backendOf([
    partner("acc-1"),
    partner("acc-2", { tier: "elite" }),
    // Each covers one of two needs nobody else offers: a request naming both gets a team.
    partner("seo-1", { services: ["seo"] }),
    partner("ads-1", { services: ["paid_ads"] }),
  ]),
  catalog,
  policy,
  matchTokens: [TOKEN, LABELLED],
  matchCallers: new Map([[LABELLED, "crm-sync"]]),
  audit,
  clock: () => new Date(now),
});

const json = { "content-type": "application/json" };
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const post = (body: string, token = TOKEN, headers: Record<string, string> = json) =>
  app.request("/v1/match", { method: "POST", headers: { ...bearer(token), ...headers }, body });
const read = (query = "", token = TOKEN) =>
  app.request(`/v1/staff/audit${query}`, { headers: bearer(token) });

interface Rec {
  at: string;
  caller: string;
  market: string | null;
  status: number;
  rankingVersion: string | null;
  candidates: { id: string; score: number }[];
  teams?: { partners: string[]; score: number }[];
  request: unknown;
}

describe("the audit trail", () => {
  it("refuses without a valid token, and records no unauthenticated request", async () => {
    expect((await read("", "")).status).toBe(401);
    expect((await read("", "not-a-token-at-all-0000")).status).toBe(401);
    const r = await app.request("/v1/match", { method: "POST", headers: json, body: "{}" });
    expect(r.status).toBe(401);
    expect(await audit.recent({ limit: 10 })).toEqual([]);
  });

  it("records answers and refusals of authenticated callers, newest first", async () => {
    const valid = { customer: { country: "DE", languages: ["de"] } };
    now += 1000;
    const answered = await post(JSON.stringify(valid), LABELLED);
    expect(answered.status).toBe(200);
    const answer = (await answered.json()) as {
      rankingVersion: string;
      candidates: { score: number; partner: { id: string } }[];
    };
    now += 1000;
    expect((await post(JSON.stringify({ customer: { country: "de", bogus: 1 } }))).status).toBe(
      400,
    );
    now += 1000;
    expect((await post("{", TOKEN)).status).toBe(400);
    now += 1000;
    expect((await post("{}", TOKEN, { "content-type": "text/plain" })).status).toBe(415);
    const notOffered = policy.data.matching.notOfferedIn[0];
    if (notOffered) {
      now += 1000;
      const refused = await post(JSON.stringify({ customer: { country: notOffered } }));
      expect(refused.status).toBe(422);
    }

    const r = await read();
    expect(r.status).toBe(200);
    expect(r.headers.get("cache-control")).toMatch(/no-store/);
    const { records, sink } = (await r.json()) as { records: Rec[]; sink: string };
    expect(sink).toBe("file");
    const statuses = records.map((x) => x.status);
    expect(statuses).toEqual([...(notOffered ? [422] : []), 415, 400, 400, 200]);
    const first = records.at(-1) as Rec;
    expect(first).toEqual({
      at: "2026-12-01T09:00:01.000Z",
      caller: "crm-sync",
      market: "DE",
      request: valid,
      status: 200,
      rankingVersion: answer.rankingVersion,
      candidates: answer.candidates.map((k) => ({ id: k.partner.id, score: k.score })),
    });
    expect(first.candidates.length).toBeGreaterThan(0);
    const bare = records[0] as Rec;
    expect(bare.caller).toBe(defaultCallerLabel(TOKEN));
    if (notOffered) expect(bare).toMatchObject({ market: notOffered, rankingVersion: null });
    expect(records.find((x) => x.status === 415)?.request).toBeNull();
    expect(records.find((x) => x.status === 400 && x.request === null)).toBeDefined();
  });

  it("keeps the teams answered, so a past team suggestion can be explained too", async () => {
    const body = { customer: { country: "DE", needs: ["seo", "paid_ads"] } };
    now += 1000;
    const res = await post(JSON.stringify(body), LABELLED);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { teams: { partners: string[]; score: number }[] };
    expect(answer.teams.map((t) => [...t.partners].sort())).toContainEqual(["ads-1", "seo-1"]);
    const [latest] = ((await (await read("?limit=1")).json()) as { records: Rec[] }).records;
    expect(latest?.request).toEqual(body);
    expect(latest?.teams).toEqual(
      answer.teams.map((t) => ({ partners: t.partners, score: t.score })),
    );
    // A one-need request has no teams, and its record says nothing of them.
    now += 1000;
    await post(JSON.stringify({ customer: { country: "DE", needs: ["seo"] } }), LABELLED);
    const [single] = ((await (await read("?limit=1")).json()) as { records: Rec[] }).records;
    expect(single && "teams" in single).toBe(false);
  });

  it("filters by since and limit", async () => {
    const all = ((await (await read("?limit=500")).json()) as { records: Rec[] }).records;
    const two = ((await (await read("?limit=2")).json()) as { records: Rec[] }).records;
    expect(two).toEqual(all.slice(0, 2));
    const since = "2026-12-01T09:00:03Z";
    const recent = ((await (await read(`?since=${since}`)).json()) as { records: Rec[] }).records;
    expect(recent).toEqual(all.filter((x) => Date.parse(x.at) >= Date.parse(since)));
    expect(recent.length).toBeLessThan(all.length);
  });

  it("answers a bad query with a problem naming the parameter", async () => {
    for (const q of ["?limit=0", "?limit=501", "?limit=x", "?since=yesterday", "?token=1"]) {
      const r = await read(q);
      expect(r.status).toBe(400);
      expect(r.headers.get("content-type")).toMatch(/problem\+json/);
    }
  });

  it("never stores or returns a token", async () => {
    await audit.close();
    const stored = readFileSync(file, "utf8");
    const answered = await (await read("?limit=500")).text();
    for (const text of [stored, answered]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(LABELLED);
    }
  });

  it("says where records go in /readyz", async () => {
    const r = (await (await app.request("/readyz")).json()) as { details: { audit: unknown } };
    expect(r.details.audit).toEqual({ kind: "file", file, maxBytes: 1 << 20, keep: 2 });
    const memory = createApp({
      backend: backendOf([partner("m-1")]),
      catalog,
      policy,
      matchTokens: [],
    });
    const m = (await (await memory.request("/readyz")).json()) as { details: { audit: unknown } };
    expect(m.details.audit).toMatchObject({ kind: "memory" });
  });

  it("is described in the staff OpenAPI document only", async () => {
    const pub = (await (await app.request("/openapi.json")).json()) as { paths: object };
    expect(Object.keys(pub.paths)).not.toContain("/v1/staff/audit");
    const doc = await app.request("/v1/staff/openapi.json", { headers: bearer(TOKEN) });
    const staff = (await doc.json()) as { paths: object };
    expect(Object.keys(staff.paths)).toContain("/v1/staff/audit");
  });

  it("a failing sink is logged and never fails the answer", async () => {
    const warnings: string[] = [];
    const logger = { info() {}, error() {}, warn: (msg: string) => void warnings.push(msg) };
    for (const record of [
      async () => {
        throw new Error("disk full");
      },
      () => {
        throw new Error("thrown at once");
      },
    ]) {
      const broken = createApp({
        backend: backendOf([partner("acc-1")]),
        catalog,
        policy,
        matchTokens: [TOKEN],
        logger,
        audit: {
          record: record as () => Promise<void>,
          recent: async () => [],
          describe: () => ({ kind: "memory" }),
        },
      });
      const r = await broken.request("/v1/match", {
        method: "POST",
        headers: { ...bearer(TOKEN), ...json },
        body: JSON.stringify({ customer: { country: "DE" } }),
      });
      expect(r.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 10));
    expect(warnings).toEqual(["audit record not stored", "audit record not stored"]);
  });

  it("a sink that cannot be read answers 503 audit_unavailable, its error only in the log", async () => {
    const broken = createApp({
      backend: backendOf([partner("acc-1")]),
      catalog,
      policy,
      matchTokens: [TOKEN],
      audit: {
        record: async () => {},
        recent: async () => {
          throw new Error("EACCES /secret/path/audit.ndjson");
        },
        describe: () => ({ kind: "file" }),
      },
    });
    const r = await broken.request("/v1/staff/audit", { headers: bearer(TOKEN) });
    expect(r.status).toBe(503);
    expect(r.headers.get("retry-after")).toBe("5");
    const text = await r.text();
    expect(text).toContain("audit_unavailable");
    expect(text).not.toContain("/secret/path");
  });
});
