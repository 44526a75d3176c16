// POST /v1/admin/partners against the embedded backend, in process: its own tokens (staff ones
// refused), the feed's rules on a pushed body (line-numbered rejects, one id once, newer
// updatedAt wins, tombstones), the body read as a stream within its limit (nothing applied past
// it), and an answer with counts and rejects only.
import { describe, expect, it, vi } from "vitest";
import { createApp } from "../../src/http/app.js";
import type { AdminSettings } from "../../src/http/env.js";
import { MAX_LISTED_REJECTS } from "../../src/http/routes/admin.js";
import { SearchUnavailableError } from "../../src/search/backend.js";
import { backendOf, catalog, policy, rawProfile, TOKEN } from "../helpers.js";

const ADMIN = "admin-token-0123456789abcdef";
const PATH = "/v1/admin/partners";
const T0 = "2026-10-15T00:00:00Z";
const T1 = "2026-11-01T00:00:00Z";
const T2 = "2026-11-02T00:00:00Z";

function setup(admin: Partial<AdminSettings> = {}) {
  const backend = backendOf([rawProfile({ id: "p-1", name: "First Name", updatedAt: T0 })]);
  const app = createApp({
    backend,
    catalog,
    policy,
    matchTokens: [TOKEN],
    admin: { tokens: [ADMIN], maxBodyBytes: 1024 * 1024, ...admin },
  });
  return { app, backend };
}

type Line = string | Record<string, unknown>;
const ndjson = (lines: Line[]) =>
  `${lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n")}\n`;

function pushTo(
  app: ReturnType<typeof createApp>,
  body: Line[] | string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
) {
  const streamed = body instanceof ReadableStream;
  return app.request(PATH, {
    method: "POST",
    headers: {
      authorization: `Bearer ${ADMIN}`,
      "content-type": "application/x-ndjson",
      ...headers,
    },
    body: Array.isArray(body) ? ndjson(body) : body,
    ...(streamed ? { duplex: "half" } : {}),
  } as RequestInit);
}

interface Summary {
  lines: number;
  indexed: number;
  updated: number;
  deleted: number;
  stale: number;
  rejected: number;
  rejects: { line: number; id?: string; path: string; reason: string }[];
  elapsedMs: number;
}

async function summary(r: Response): Promise<Summary> {
  expect(r.status, await r.clone().text()).toBe(200);
  expect(r.headers.get("cache-control")).toBe("no-store");
  return (await r.json()) as Summary;
}

async function problem(r: Response, status: number) {
  expect(r.status).toBe(status);
  expect(r.headers.get("content-type")).toBe("application/problem+json");
  expect(r.headers.get("cache-control")).toBe("no-store");
  return (await r.json()) as { code: string; detail?: string; errors?: { name: string }[] };
}

async function nameOf(app: ReturnType<typeof createApp>, id: string) {
  const r = await app.request(`/v1/directory/partners/${id}`);
  return r.status === 200 ? ((await r.json()) as { name: string }).name : r.status;
}

describe("POST /v1/admin/partners: authentication", () => {
  const { app } = setup();
  const one = [rawProfile({ id: "p-auth", updatedAt: T1 })];

  it.each([
    ["no Authorization header", {}],
    ["a staff token (MATCH_API_TOKENS)", { authorization: `Bearer ${TOKEN}` }],
    ["a wrong token", { authorization: "Bearer not-the-admin-token-at-all" }],
    ["another scheme", { authorization: `Basic ${ADMIN}` }],
  ])("answers 401 problem+json for %s, applying nothing", async (_, auth) => {
    const r = await app.request(PATH, {
      method: "POST",
      headers: { "content-type": "application/x-ndjson", ...auth },
      body: ndjson(one),
    });
    expect((await problem(r, 401)).code).toBe("unauthorized");
    expect(r.headers.get("www-authenticate")).toMatch(/^Bearer realm="partner-admin"/);
    expect(await nameOf(app, "p-auth")).toBe(404);
  });

  it("accepts an admin token", async () => {
    expect((await summary(await pushTo(app, one))).indexed).toBe(1);
  });

  it("checks the token before the body or its media type", async () => {
    const r = await app.request(PATH, {
      method: "POST",
      headers: { "content-type": "text/html" },
      body: "x".repeat(2 * 1024 * 1024),
    });
    await problem(r, 401);
  });

  it.each([
    ["ADMIN_API_TOKENS is empty", { admin: { tokens: [], maxBodyBytes: 1024 } }],
    ["there are no admin settings", {}],
  ])("refuses every token with 401 when %s", async (_, extra) => {
    const closed = createApp({
      backend: backendOf([]),
      catalog,
      policy,
      matchTokens: [TOKEN],
      ...extra,
    });
    for (const token of [ADMIN, TOKEN]) {
      const r = await pushTo(closed, one, { authorization: `Bearer ${token}` });
      await problem(r, 401);
    }
  });

  it("counts pushes against the admin limit, per token, apart from the staff limit", async () => {
    const limited = createApp({
      backend: backendOf([]),
      catalog,
      policy,
      matchTokens: [TOKEN],
      admin: { tokens: [ADMIN], maxBodyBytes: 1024 * 1024 },
      rateLimits: {
        publicPerMinute: 0,
        staffPerMinute: 1,
        adminPerMinute: 2,
        clientAddress: () => "192.0.2.9",
      },
    });
    expect((await pushTo(limited, one)).status).toBe(200);
    expect((await pushTo(limited, one)).status).toBe(200);
    const p = await problem(await pushTo(limited, one), 429);
    expect(p.code).toBe("rate_limited");
  });

  it("is a staff-class route: no-store, in the staff description only, 405 on GET", async () => {
    const pub = (await (await app.request("/openapi.json")).json()) as { paths: object };
    expect(Object.keys(pub.paths)).not.toContain(PATH);
    const staff = await app.request("/v1/staff/openapi.json", {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const doc = (await staff.json()) as {
      paths: Record<string, { post?: { requestBody?: { content: object } } }>;
    };
    expect(Object.keys(doc.paths[PATH]?.post?.requestBody?.content ?? {})).toEqual([
      "application/x-ndjson",
      "application/ndjson",
    ]);
    const get = await app.request(PATH, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(get.status).toBe(405);
  });
});

describe("POST /v1/admin/partners: the feed's rules", () => {
  it("upserts: a new partner and a newer version of a known one are served at once", async () => {
    const { app } = setup();
    const s = await summary(
      await pushTo(app, [
        rawProfile({ id: "p-2", name: "Pushed Partner", updatedAt: T1 }),
        rawProfile({ id: "p-1", name: "Renamed Partner", updatedAt: T1 }),
      ]),
    );
    expect(s).toMatchObject({ lines: 2, indexed: 1, updated: 1, deleted: 0, stale: 0 });
    expect(s).toMatchObject({ rejected: 0, rejects: [] });
    expect(await nameOf(app, "p-2")).toBe("Pushed Partner");
    expect(await nameOf(app, "p-1")).toBe("Renamed Partner");
    const search = await app.request("/v1/directory/partners?q=pushed");
    expect(((await search.json()) as { results: { id: string }[] }).results[0]?.id).toBe("p-2");
  });

  it("honours a tombstone, and a stale (older) line is counted and not applied", async () => {
    const { app } = setup();
    const s = await summary(
      await pushTo(app, [
        { id: "p-1", deleted: true, updatedAt: T1 },
        rawProfile({ id: "p-3", name: "Three", updatedAt: T1 }),
      ]),
    );
    expect(s).toMatchObject({ deleted: 1, indexed: 1, stale: 0 });
    expect(await nameOf(app, "p-1")).toBe(404);

    const late = await summary(
      await pushTo(app, [
        rawProfile({ id: "p-1", name: "Resurrected", updatedAt: T0 }),
        rawProfile({ id: "p-3", name: "Older Three", updatedAt: T0 }),
      ]),
    );
    expect(late).toMatchObject({ indexed: 0, updated: 0, deleted: 0, stale: 2, rejected: 0 });
    expect(await nameOf(app, "p-1")).toBe(404);
    expect(await nameOf(app, "p-3")).toBe("Three");
  });

  it("counts a replayed push as stale throughout", async () => {
    const { app } = setup();
    const lines = [
      rawProfile({ id: "p-4", updatedAt: T1 }),
      rawProfile({ id: "p-1", name: "Again", updatedAt: T1 }),
      { id: "p-5", deleted: true, updatedAt: T1 },
      { id: "p-4", deleted: true, updatedAt: T2 },
    ];
    // p-4 twice: the tombstone (newer) wins, its upsert line is a duplicate reject.
    const first = await summary(await pushTo(app, lines));
    expect(first).toMatchObject({ updated: 1, stale: 0, rejected: 1 });
    const replay = await summary(await pushTo(app, lines));
    expect(replay).toMatchObject({ indexed: 0, updated: 0, deleted: 0, stale: 3, rejected: 1 });
  });

  it("reports a bad line with its 1-based line number and applies the rest", async () => {
    const { app } = setup();
    const s = await summary(
      await pushTo(
        app,
        [
          rawProfile({ id: "p-6", updatedAt: T1 }),
          "",
          "{not json",
          rawProfile({ id: "p-7", tier: "bronze", updatedAt: T1 }),
          "[1, 2]",
          rawProfile({ id: "p-8", updatedAt: T1 }),
        ]
          .map((l) => (typeof l === "string" ? l : JSON.stringify(l)))
          .join("\r\n"),
      ),
    );
    expect(s).toMatchObject({ lines: 6, indexed: 2, rejected: 3 });
    expect(s.rejects).toEqual([
      { line: 3, path: "(root)", reason: expect.stringMatching(/^malformed JSON/) },
      { line: 4, id: "p-7", path: "tier", reason: expect.any(String) },
      { line: 5, path: "(root)", reason: "a line must be one JSON object" },
    ]);
    expect(await nameOf(app, "p-6")).not.toBe(404);
    expect(await nameOf(app, "p-8")).not.toBe(404);
    expect(await nameOf(app, "p-7")).toBe(404);
  });

  it.each([
    ["older line first", [T1, T2], 1],
    ["newer line first", [T2, T1], 2],
  ])("keeps the newer of a duplicated id and reports the other (%s)", async (_, times, loser) => {
    const { app } = setup();
    const [a, b] = times as [string, string];
    const s = await summary(
      await pushTo(app, [
        rawProfile({ id: "p-dup", name: `Dup ${a}`, updatedAt: a }),
        rawProfile({ id: "p-dup", name: `Dup ${b}`, updatedAt: b }),
      ]),
    );
    expect(s).toMatchObject({ lines: 2, indexed: 1, stale: 0, rejected: 1 });
    expect(s.rejects).toEqual([
      { line: loser, id: "p-dup", path: "id", reason: expect.stringMatching(/duplicate id/) },
    ]);
    expect(await nameOf(app, "p-dup")).toBe(`Dup ${T2}`);
  });

  it("answers counts and rejects only: no profile field, internal or public", async () => {
    const { app } = setup();
    const secret = "planted-internal-note-7f3a";
    const r = await pushTo(app, [
      rawProfile({
        id: "p-9",
        name: "Visible Name",
        updatedAt: T1,
        internal: { ...(rawProfile().internal as object), notes: secret, retention: 0.4321 },
      }),
      // Refused for an internal value: the reject names the field, never the value.
      rawProfile({ id: "p-10", updatedAt: T1, internal: { notes: secret, retention: 1.4321 } }),
    ]);
    const text = await r.clone().text();
    const s = await summary(r);
    expect(Object.keys(s).sort()).toEqual(
      [
        "deleted",
        "elapsedMs",
        "indexed",
        "lines",
        "rejected",
        "rejects",
        "stale",
        "updated",
      ].sort(),
    );
    expect(s.rejects).toEqual([
      { line: 2, id: "p-10", path: "internal.retention", reason: expect.any(String) },
    ]);
    for (const planted of [secret, "0.4321", "1.4321", "Visible Name", "soldMrr12m"]) {
      expect(text).not.toContain(planted);
    }
    for (const reject of s.rejects) {
      expect(Object.keys(reject).every((k) => ["line", "id", "path", "reason"].includes(k))).toBe(
        true,
      );
    }
  });

  it("applies a push in the backend's batches, or whole where the backend takes any size", async () => {
    const { app, backend } = setup({ maxBodyBytes: 64 * 1024 * 1024 });
    const apply = vi.spyOn(backend, "apply");
    const lines = Array.from({ length: 7 }, (_, i) =>
      JSON.stringify(rawProfile({ id: `p-b${i}`, updatedAt: T1 })),
    );
    expect(await summary(await pushTo(app, lines.join("\n")))).toMatchObject({ indexed: 7 });
    expect(apply.mock.calls.map(([entries]) => entries.length)).toEqual([7]);
    Object.defineProperty(backend, "maxApplyBatch", { value: 3 });
    const more = lines.map((l) => l.replace(T1, T2));
    expect(await summary(await pushTo(app, more.join("\n")))).toMatchObject({ updated: 7 });
    expect(apply.mock.calls.slice(1).map(([entries]) => entries.length)).toEqual([3, 3, 1]);
  });

  it(`lists the first ${MAX_LISTED_REJECTS} rejects by line and counts them all`, async () => {
    const { app } = setup();
    const lines = Array.from({ length: MAX_LISTED_REJECTS + 250 }, (_, i) => `{bad ${i}`);
    lines.push(JSON.stringify(rawProfile({ id: "p-after", updatedAt: T1 })));
    const s = await summary(await pushTo(app, lines.join("\n")));
    expect(s).toMatchObject({ indexed: 1, rejected: MAX_LISTED_REJECTS + 250 });
    expect(s.rejects).toHaveLength(MAX_LISTED_REJECTS);
    expect(s.rejects.map((r) => r.line)).toEqual(
      Array.from({ length: MAX_LISTED_REJECTS }, (_, i) => i + 1),
    );
  });

  it("rejects an over-long line without reading it whole, and applies the rest", async () => {
    const { app } = setup({ maxBodyBytes: 8 * 1024 * 1024 });
    const s = await summary(
      await pushTo(app, [
        `{"id": "p-long", "notes": "${"x".repeat(300 * 1024)}"}`,
        `{"id": "p-longer", "notes": "${"é".repeat(2 * 1024 * 1024)}"}`,
        rawProfile({ id: "p-short", updatedAt: T1 }),
      ]),
    );
    expect(s).toMatchObject({ lines: 3, indexed: 1, rejected: 2 });
    expect(s.rejects.map((r) => [r.line, r.reason])).toEqual([
      [1, "line longer than 262144 bytes"],
      [2, "line longer than 262144 bytes"],
    ]);
  });
});

/** A body sent in chunks with no Content-Length, as `curl -T -` or a piped upload sends it. */
function chunked(lines: Line[], chunkBytes = 1000): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(ndjson(lines));
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(at, at + chunkBytes));
      at += chunkBytes;
    },
  });
}

describe("POST /v1/admin/partners: the body", () => {
  const many = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => rawProfile({ id: `${prefix}-${i}`, updatedAt: T1 }));

  it("reads a chunked body (no Content-Length) as it arrives", async () => {
    const { app } = setup();
    const s = await summary(await pushTo(app, chunked(many(20, "p-c"), 333)));
    expect(s).toMatchObject({ lines: 20, indexed: 20 });
  });

  it("answers 413 from Content-Length before reading, applying nothing", async () => {
    const { app } = setup({ maxBodyBytes: 4096 });
    const r = await pushTo(app, many(2, "p-cl"), { "content-length": "5000" });
    const p = await problem(r, 413);
    expect(p).toMatchObject({ code: "payload_too_large", errors: [{ name: "(body)" }] });
    expect(p.detail).toContain("4096");
    expect(await nameOf(app, "p-cl-0")).toBe(404);
  });

  it("answers 413 when a chunked body grows past the limit, applying none of it", async () => {
    const { app } = setup({ maxBodyBytes: 16 * 1024 });
    const lines = many(40, "p-big");
    expect(ndjson(lines).length).toBeGreaterThan(16 * 1024);
    const p = await problem(await pushTo(app, chunked(lines)), 413);
    expect(p.code).toBe("payload_too_large");
    expect(await nameOf(app, "p-big-0")).toBe(404);
  });

  it.each([
    "application/x-ndjson",
    "application/ndjson",
    "application/x-ndjson; charset=utf-8",
    "Application/NDJSON;charset=UTF-8",
  ])("accepts %s", async (type) => {
    const { app } = setup();
    const r = await pushTo(app, many(1, "p-type"), { "content-type": type });
    expect((await summary(r)).indexed).toBe(1);
  });

  it.each([
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "application/x-ndjson; charset=latin1",
  ])("answers 415 for %s, naming the header", async (type) => {
    const { app } = setup();
    const r = await pushTo(app, many(1, "p-415"), { "content-type": type });
    const p = await problem(r, 415);
    expect(p).toMatchObject({ code: "unsupported_media_type", errors: [{ name: "content-type" }] });
    expect(p.detail).toContain("application/x-ndjson");
    expect(await nameOf(app, "p-415-0")).toBe(404);
  });

  it("answers 200 with zero counts for an empty body", async () => {
    const { app } = setup();
    const s = await summary(await pushTo(app, ""));
    expect(s).toMatchObject({ lines: 0, indexed: 0, rejected: 0, rejects: [] });
  });
});

describe("POST /v1/admin/partners: where updates cannot go", () => {
  it("maps a search engine failure to the 503 problem", async () => {
    const { app, backend } = setup();
    vi.spyOn(backend, "apply").mockRejectedValue(new SearchUnavailableError("timeout", true));
    const r = await pushTo(app, [rawProfile({ id: "p-503", updatedAt: T1 })]);
    expect((await problem(r, 503)).code).toBe("search_unavailable");
    expect(r.headers.get("retry-after")).toBe("5");
  });

  it("refuses with 409 read_only_snapshot on a deployed snapshot, after the token check", async () => {
    const { app } = setup({ readOnlySnapshot: true });
    const body = [rawProfile({ id: "p-ro", updatedAt: T1 })];
    await problem(await pushTo(app, body, { authorization: `Bearer ${TOKEN}` }), 401);
    const p = await problem(await pushTo(app, body), 409);
    expect(p.code).toBe("read_only_snapshot");
    expect(p.detail).toMatch(/npm run deploy/);
    expect(p.detail).toMatch(/ELASTICSEARCH_URL/);
    expect(await nameOf(app, "p-ro")).toBe(404);
  });
});
