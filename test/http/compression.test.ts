// Answers are compressed for clients that accept it when the app is built to (the Node entry;
// on Workers the platform compresses), pages and JSON alike, and ETag revalidation survives it.
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { serve } from "@hono/node-server";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { nodeEncoders } from "../../src/http/node-codecs.js";
import { backendOf, catalog, nodeCodecApp, policy, rawProfile } from "../helpers.js";

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

  it("compresses an answer that is not kept in one piece with Node's encoders, brotli too", async () => {
    const nodeApp = nodeCodecApp(backend);
    const server = serve({ fetch: nodeApp.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((r) => server.once("listening", r));
    const { port } = server.address() as AddressInfo;
    const get = (encoding: string) =>
      new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        httpRequest(
          { port, host: "127.0.0.1", path: "/directory", headers: { "accept-encoding": encoding } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (b: Buffer) => chunks.push(b));
            res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
          },
        )
          .on("error", reject)
          .end();
      });
    try {
      const strip = (s: string) => s.replace(/nonce="[^"]+"/g, "");
      const plain = strip((await get("identity")).body.toString("utf8"));
      for (const [coding, decode] of [
        ["gzip", gunzipSync],
        ["br", brotliDecompressSync],
      ] as const) {
        const res = await get(coding);
        expect(res.headers["content-encoding"]).toBe(coding);
        // Bytes made in one call go out with their length, not as a chunked stream.
        expect(res.headers["transfer-encoding"]).toBeUndefined();
        expect(Number(res.headers["content-length"])).toBe(res.body.byteLength);
        expect(strip(decode(res.body).toString("utf8"))).toBe(plain);
      }
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("compresses an answer sent once in the request, and a kept or large one on the pool", async () => {
    const small = new TextEncoder().encode(JSON.stringify(feed));
    const large = new Uint8Array(200 * 1024).map((_, i) => 97 + (i % 26));
    for (const [coding, decode] of [
      ["gzip", gunzipSync],
      ["br", brotliDecompressSync],
    ] as const) {
      const encode = nodeEncoders[coding];
      if (!encode) throw new Error(`no ${coding} encoder`);
      const once = encode(small, true);
      // In the request: bytes at once, not a promise of them.
      expect(once).toBeInstanceOf(Uint8Array);
      for (const [bytes, pending] of [
        [small, encode(small, false)],
        [large, encode(large, true)],
      ] as const) {
        expect(pending).toBeInstanceOf(Promise);
        expect(Buffer.from(decode(await pending))).toEqual(Buffer.from(bytes));
      }
      expect(Buffer.from(decode(once as Uint8Array))).toEqual(Buffer.from(small));
    }
  });
});
