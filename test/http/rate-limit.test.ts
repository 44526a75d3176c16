// Abuse limits: per client address on public search and pages, per token on staff endpoints;
// over the limit a 429 problem with Retry-After. Counted in memory by the real middleware.
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { backendOf, catalog, policy, rawProfile, TOKEN } from "../helpers.js";

function appWith(publicPerMinute: number, staffPerMinute: number) {
  return createApp({
    backend: backendOf([rawProfile()]),
    catalog,
    policy,
    matchTokens: [TOKEN],
    rateLimits: {
      publicPerMinute,
      staffPerMinute,
      clientAddress: (c) => c.req.header("x-test-client"),
    },
  });
}

describe("rate limits", () => {
  it("answers 429 with Retry-After once a client passes the public limit, others unaffected", async () => {
    const app = appWith(5, 0);
    const from = (client: string, path = "/v1/directory/partners") =>
      app.request(path, { headers: { "x-test-client": client } });
    for (let i = 0; i < 5; i++) expect((await from("a")).status).toBe(200);
    const over = await from("a", "/directory");
    expect(over.status).toBe(429);
    const retry = Number(over.headers.get("retry-after"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect(over.headers.get("content-type")).toMatch(/problem\+json/);
    expect(await over.json()).toMatchObject({ code: "rate_limited", status: 429 });
    expect((await from("b")).status).toBe(200);
    // Health checks are not limited.
    expect((await from("a", "/healthz")).status).toBe(200);
  });

  it("limits staff endpoints per token", async () => {
    const app = appWith(0, 2);
    const match = () =>
      app.request("/v1/match", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${TOKEN}`,
          "x-test-client": "a",
        },
        body: JSON.stringify({ customer: { country: "DE" } }),
      });
    expect((await match()).status).toBe(200);
    expect((await match()).status).toBe(200);
    expect((await match()).status).toBe(429);
    // The public limit is off here: the directory still answers.
    expect((await app.request("/v1/directory/partners")).status).toBe(200);
  });
});
