// HTTP caching rules of createApp (src/http/cache.ts), on Node: ETag and Cache-Control on
// public directory answers, 304 on a matching If-None-Match, no-store on staff answers.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { etagMatches } from "../../src/edge/edge-cache.js";
import { appOf, entries, rawProfile, TOKEN } from "../helpers.js";

/** The expected tag, computed with node:crypto rather than by the code under test. */
const sha1Tag = (b: Uint8Array) => `"${createHash("sha1").update(b).digest("hex")}"`;

const { app } = appOf([rawProfile(), rawProfile({ id: "p-2", name: "Second GmbH" })]);

describe("etagMatches (weak comparison, RFC 9110), for answers from the edge cache", () => {
  it.each([
    ['"a"', '"a"', true],
    ['W/"a"', '"a"', true],
    ['"b", "a"', '"a"', true],
    ["*", '"a"', true],
    ['"b"', '"a"', false],
    ["", '"a"', false],
    [null, '"a"', false],
  ])("%s against %s is %s", (header, etag, expected) => {
    expect(etagMatches(header, etag)).toBe(expected);
  });
});

describe("createApp caching headers", () => {
  it("tags directory answers and answers 304 to a matching If-None-Match", async () => {
    for (const path of ["/v1/directory/partners?country=DE", "/v1/directory/partners/p-2"]) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("public, max-age=60");
      const etag = res.headers.get("etag") as string;
      expect(etag).toBe(sha1Tag(new Uint8Array(await res.arrayBuffer())));
      const again = await app.request(path, { headers: { "if-none-match": etag } });
      expect(again.status).toBe(304);
      expect(again.headers.get("etag")).toBe(etag);
      expect(await again.text()).toBe("");
    }
  });

  it("keeps a search's answer until the data changes, then answers anew with a new tag", async () => {
    const live = appOf([rawProfile(), rawProfile({ id: "p-2", name: "Second GmbH" })]);
    const path = "/v1/directory/partners?q=second&tier=gold&tier=platinum";
    const first = await live.app.request(path);
    const firstBody = await first.text();
    expect(JSON.parse(firstBody).total).toBe(1);
    const etag = first.headers.get("etag") as string;
    // The same search with the OR-ed values in another order is the same answer.
    const same = await live.app.request("/v1/directory/partners?tier=platinum&tier=gold&q=second");
    expect(same.headers.get("etag")).toBe(etag);
    expect(await same.text()).toBe(firstBody);
    await live.backend.apply(
      entries([rawProfile({ id: "p-2", name: "Renamed AG", updatedAt: "2030-01-01T00:00:00Z" })]),
    );
    const after = await live.app.request(path, { headers: { "if-none-match": etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
    // A repeat is served from the cache under the same tag as a fresh computation would give.
    const repeat = await live.app.request(path);
    expect(repeat.headers.get("etag")).toBe(sha1Tag(new Uint8Array(await repeat.arrayBuffer())));
    expect(((await after.json()) as { total: number }).total).toBe(0);
  });

  it("caches only the public directory: pages, health and docs carry no shared cache header", async () => {
    for (const path of ["/healthz", "/directory", "/openapi.json"]) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBeNull();
      expect(res.headers.get("etag")).toBeNull();
    }
  });

  it("tags a known body with the hex SHA-1 of its bytes", async () => {
    const res = await app.request("/v1/directory/partners/p-2");
    const body = new Uint8Array(await res.arrayBuffer());
    // Independent of the middleware: node:crypto over the bytes that were sent.
    expect(res.headers.get("etag")).toBe(sha1Tag(body));
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]{40}"$/);
  });

  it("leaves errors uncached and untagged", async () => {
    const res = await app.request("/v1/directory/partners?pageSize=0");
    expect(res.status).toBe(400);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("etag")).toBeNull();
  });

  it("marks staff answers no-store, with or without a token", async () => {
    const body = JSON.stringify({ customer: { country: "DE" } });
    const withToken: Record<string, string> = {
      "content-type": "application/json",
      authorization: `Bearer ${TOKEN}`,
    };
    for (const headers of [withToken, { "content-type": "application/json" }]) {
      const res = await app.request("/v1/match", { method: "POST", headers, body });
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("etag")).toBeNull();
    }
  });
});
