// Answers are compressed for clients that accept it when the app is built to (the Node entry;
// on Workers the platform compresses), pages and JSON alike, and ETag revalidation survives it.
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { backendOf, catalog, policy, rawProfile } from "../helpers.js";

const feed = Array.from({ length: 30 }, (_, i) =>
  rawProfile({ id: `p-${i}`, name: `Agentur ${i}`, accreditations: i % 5 ? [] : undefined }),
).map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)));
const backend = backendOf(feed);
const app = createApp({ backend, catalog, policy, matchTokens: [], compress: true });
const plainApp = createApp({ backend, catalog, policy, matchTokens: [] });

describe("compression", () => {
  it.each([
    "/directory",
    "/partners/p-0",
    "/v1/directory/partners?pageSize=50",
    "/assets/directory.js",
  ])("gzips %s for a client that accepts it, and only then", async (path) => {
    const gz = await app.request(path, { headers: { "accept-encoding": "gzip, br" } });
    expect(gz.status).toBe(200);
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gz.headers.get("vary")).toMatch(/accept-encoding/i);
    const packed = Buffer.from(await gz.arrayBuffer());
    const plain = await app.request(path);
    expect(plain.headers.get("content-encoding")).toBeNull();
    const text = await plain.text();
    // The same document (a page differs only by its per-response CSP nonce).
    const strip = (s: string) => s.replace(/nonce="[^"]+"/g, "");
    expect(strip(gunzipSync(packed).toString("utf8"))).toBe(strip(text));
    expect(packed.byteLength).toBeLessThan(Buffer.byteLength(text) / 2);
  });

  it("keeps ETag revalidation working on compressed answers", async () => {
    const path = "/v1/directory/partners?pageSize=50";
    const first = await app.request(path, { headers: { "accept-encoding": "gzip" } });
    const tag = first.headers.get("etag");
    expect(tag).toMatch(/^W\//);
    const again = await app.request(path, {
      headers: { "accept-encoding": "gzip", "if-none-match": tag as string },
    });
    expect(again.status).toBe(304);
  });

  it("is off unless the app is built with it (Workers compress for themselves)", async () => {
    const res = await plainApp.request("/directory", { headers: { "accept-encoding": "gzip" } });
    expect(res.headers.get("content-encoding")).toBeNull();
  });
});
