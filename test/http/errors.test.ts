// How createApp answers what is not a valid search: a wrong method on a known path (405 with
// Allow), an unknown path (404), and engine failures, told apart by whether a retry can help.
// The failing engine is the real snapshot backend whose snapshot cannot be had.
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { SnapshotBackend } from "../../src/search/snapshot/snapshot-backend.js";
import { appOf, catalog, policy, rawProfile, TOKEN } from "../helpers.js";

const { app } = appOf([rawProfile()]);

describe("method and path", () => {
  it.each([
    ["DELETE", "/v1/directory/partners", "GET, HEAD"],
    ["POST", "/v1/directory/partners/p-1", "GET, HEAD"],
    ["GET", "/v1/match", "POST"],
    ["PUT", "/v1/staff/partners/p-1", "GET, HEAD"],
    ["POST", "/healthz", "GET, HEAD"],
    ["POST", "/directory", "GET, HEAD"],
  ])("%s %s is a 405 that names the allowed methods (%s)", async (method, path, allow) => {
    const res = await app.request(path, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
    expect(await res.json()).toMatchObject({ code: "method_not_allowed", status: 405 });
  });

  it("answers 404 for a path no route has, whatever the method", async () => {
    for (const method of ["GET", "POST"]) {
      const res = await app.request("/v1/nothing-here", { method });
      expect(res.status).toBe(404);
      expect(res.headers.get("allow")).toBeNull();
      expect(await res.json()).toMatchObject({ code: "not_found" });
    }
  });
});

describe("engine failures", () => {
  const appWith = (fetchSnapshot: () => Promise<Response>) =>
    createApp({
      backend: new SnapshotBackend({ fetchSnapshot, location: "test", catalog, policy }),
      catalog,
      policy,
      matchTokens: [TOKEN],
    });

  it("a missing snapshot is a non-retryable 500 without Retry-After, naming no internals", async () => {
    const res = await appWith(async () => new Response("gone", { status: 404 })).request(
      "/v1/directory/partners",
    );
    expect(res.status).toBe(500);
    expect(res.headers.get("retry-after")).toBeNull();
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: "index_unavailable", retryable: false });
    expect(JSON.stringify(body)).not.toMatch(/snapshot|test/);
  });

  it("an engine that cannot be reached is a 503 with Retry-After", async () => {
    const res = await appWith(async () => {
      throw new Error("connection refused");
    }).request("/v1/directory/partners");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await res.json()).toMatchObject({ code: "search_unavailable", retryable: true });
  });
});

describe("error bodies stay small, whatever the request", () => {
  it("names the first 20 offending parameters and counts the rest", async () => {
    const query = Array.from({ length: 4000 }, (_, i) => `k${i}=1`).join("&");
    const res = await app.request(`/v1/directory/partners?${query}`);
    expect(res.status).toBe(400);
    const text = await res.text();
    const body = JSON.parse(text) as { errors: unknown[]; errorCount: number; detail: string };
    expect(body.errors).toHaveLength(20);
    expect(body.errorCount).toBe(4000);
    expect(body.detail).toMatch(/and 3980 more$/);
    expect(text.length).toBeLessThan(query.length / 4);
  });

  it("names the first 20 offending body fields and counts the rest", async () => {
    const customer = Object.fromEntries(Array.from({ length: 4000 }, (_, i) => [`k${i}`, 1]));
    const res = await app.request("/v1/match", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ customer: { country: "DE", ...customer } }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: unknown[]; errorCount: number };
    expect(body.errors).toHaveLength(20);
    expect(body.errorCount).toBe(4000);
  });

  it("does not echo a huge Content-Type back", async () => {
    const type = `text/${"x".repeat(15_000)}`;
    const res = await app.request("/v1/match", {
      method: "POST",
      headers: { "content-type": type, authorization: `Bearer ${TOKEN}` },
      body: "{}",
    });
    expect(res.status).toBe(415);
    expect((await res.text()).length).toBeLessThan(2_000);
  });
});
