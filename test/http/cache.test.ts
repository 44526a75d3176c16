// HTTP caching rules of createApp (src/http/cache.ts), on Node: ETag and Cache-Control on
// public directory answers, 304 on a matching If-None-Match, no-store on staff answers.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cacheClass, etagMatches, strongEtag } from "../../src/http/cache.js";
import { appOf, rawProfile, TOKEN } from "../helpers.js";

/** The expected tag, computed with node:crypto rather than by the code under test. */
const sha1Tag = (b: Uint8Array) => `"${createHash("sha1").update(b).digest("base64url")}"`;

const { app } = appOf([rawProfile(), rawProfile({ id: "p-2", name: "Second GmbH" })]);

describe("cacheClass", () => {
  it.each([
    ["/v1/directory/partners", "public"],
    ["/v1/directory/partners/p-1", "public"],
    ["/v1/match", "staff"],
    ["/v1/staff/partners/p-1", "staff"],
    ["/v1/matchmaker", "none"],
    ["/healthz", "none"],
    ["/directory", "none"],
  ])("%s is %s", (path, kind) => {
    expect(cacheClass(path)).toBe(kind);
  });
});

describe("etagMatches (weak comparison, RFC 9110)", () => {
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

describe("strongEtag", () => {
  it("is the unpadded base64url SHA-1 of the bytes, quoted", async () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    // FIPS 180 test vector: SHA-1("abc") = a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d.
    expect(await strongEtag(bytes("abc"))).toBe('"qZk-NkcGgWq6PiVxeFDCbJzQ2J0"');
    // A digest whose base64 has a "/": the tag must carry "_" instead (and "-" for "+" above).
    expect(await strongEtag(bytes("{ }"))).toBe('"REjh28t_bo9V8vWyV6EWnYxNsgk"');
    expect(await strongEtag(bytes("{}"))).toBe(sha1Tag(bytes("{}")));
    expect(await strongEtag(bytes("{}").buffer)).toBe(sha1Tag(bytes("{}")));
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
