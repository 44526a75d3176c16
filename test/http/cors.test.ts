// Cross-origin calls: the public directory answers configured origins only; staff endpoints
// and unconfigured services answer no origin at all.
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { backendOf, catalog, policy, rawProfile, TOKEN } from "../helpers.js";

const ORIGIN = "https://www.example.com";
const appWith = (corsOrigins: string[]) =>
  createApp({
    backend: backendOf([rawProfile()]),
    catalog,
    policy,
    matchTokens: [TOKEN],
    corsOrigins,
  });

describe("CORS", () => {
  it("lets a configured origin read the directory, preflight included", async () => {
    const app = appWith([ORIGIN]);
    const res = await app.request("/v1/directory/partners", { headers: { origin: ORIGIN } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const pre = await app.request("/v1/directory/partners/p-1", {
      method: "OPTIONS",
      headers: { origin: ORIGIN, "access-control-request-method": "GET" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-methods")).toBe("GET,HEAD");
  });

  it("answers no other origin, and never on staff endpoints", async () => {
    const app = appWith([ORIGIN]);
    const other = await app.request("/v1/directory/partners", {
      headers: { origin: "https://evil.example" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const staff = await app.request("/v1/match", {
      method: "POST",
      headers: {
        origin: ORIGIN,
        "content-type": "application/json",
        authorization: `Bearer ${TOKEN}`,
      },
      body: JSON.stringify({ customer: { country: "DE" } }),
    });
    expect(staff.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers no origin when none is configured (the default)", async () => {
    const res = await appWith([]).request("/v1/directory/partners", {
      headers: { origin: ORIGIN },
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});
