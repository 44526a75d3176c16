// HTTP caching at the edge: public directory answers carry Cache-Control and a strong ETag, go
// through the Workers Cache API (a repeat is a hit) and revalidate to 304; staff answers are
// never cached.
import { describe, expect, it } from "vitest";
import { matchRequest, TEST_TOKEN, worker } from "./helpers.js";

describe("caching in workerd", () => {
  it("marks directory answers public with a strong ETag and serves repeats from the cache", async () => {
    // A query no other test uses, so the first request is a miss.
    const path = `/v1/directory/partners?country=FR&sort=rating&pageSize=7`;
    const first = await worker(path);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("public, max-age=60");
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
    expect(first.headers.get("x-edge-cache")).toBe("miss");
    const body = await first.text();

    // The cache is written in waitUntil, after the answer: allow it a moment.
    let again: Response | undefined;
    for (let i = 0; i < 20; i++) {
      again = await worker(path);
      if (again.headers.get("x-edge-cache") === "hit") break;
      await again.arrayBuffer();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(again?.headers.get("x-edge-cache")).toBe("hit");
    expect(again?.headers.get("etag")).toBe(etag);
    expect(await again?.text()).toBe(body);
  });

  it("answers a conditional request with 304 and no body, from the cache or not", async () => {
    for (const path of [
      "/v1/directory/partners?language=es&pageSize=3",
      "/v1/directory/partners?language=es&pageSize=3",
    ]) {
      const etag = (await worker(path)).headers.get("etag") as string;
      for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
        const res = await worker(path, { headers: { "if-none-match": inm } });
        expect(res.status).toBe(304);
        expect(res.headers.get("etag")).toBe(etag);
        expect(res.headers.get("cache-control")).toBe("public, max-age=60");
        expect(await res.text()).toBe("");
      }
      const changed = await worker(path, { headers: { "if-none-match": '"stale-tag"' } });
      expect(changed.status).toBe(200);
    }
  });

  it("revalidates a profile too", async () => {
    const list = (await (await worker("/v1/directory/partners?pageSize=1&sort=name")).json()) as {
      results: { id: string }[];
    };
    const path = `/v1/directory/partners/${list.results[0]?.id}`;
    const etag = (await worker(path)).headers.get("etag") as string;
    expect((await worker(path, { headers: { "if-none-match": etag } })).status).toBe(304);
  });

  it("never caches staff answers or errors", async () => {
    const init = matchRequest({ customer: { country: "DE" } });
    for (let i = 0; i < 2; i++) {
      const res = await worker("/v1/match", init);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("etag")).toBeNull();
      expect(res.headers.get("x-edge-cache")).toBeNull();
      await res.arrayBuffer();
    }
    const staff = await worker("/v1/staff/partners/p-000001", {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    expect(staff.status).toBe(200);
    expect(staff.headers.get("cache-control")).toBe("no-store");
    const bad = await worker("/v1/directory/partners?pageSize=0");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("cache-control")).toBe("no-store");
  });
});
