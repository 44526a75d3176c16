// Security headers on every answer (hono/secure-headers): JSON and pages, successes and errors.
// A page's CSP allows only its own style block, by a per-response nonce.
import { describe, expect, it } from "vitest";
import { appOf, rawProfile } from "../helpers.js";

const { app } = appOf([rawProfile()]);

describe("security headers", () => {
  it.each([
    ["GET", "/v1/directory/partners", 200],
    ["GET", "/v1/directory/partners?pageSize=0", 400],
    ["GET", "/v1/directory/partners/nobody", 404],
    ["DELETE", "/v1/directory/partners", 405],
    ["POST", "/v1/match", 401],
    ["GET", "/healthz", 200],
    ["GET", "/directory", 200],
    ["GET", "/docs", 200],
  ])("%s %s (%i) carries them", async (method, path, status) => {
    const res = await app.request(path, { method });
    expect(res.status).toBe(status);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("lets a page's style block in by a nonce that changes with every response", async () => {
    const nonces: string[] = [];
    for (const path of ["/directory", "/docs", "/directory"]) {
      const res = await app.request(path);
      const csp = res.headers.get("content-security-policy") ?? "";
      const nonce = /style-src 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeTruthy();
      expect(await res.text()).toContain(`<style nonce="${nonce}">`);
      nonces.push(nonce as string);
    }
    expect(new Set(nonces).size).toBe(3);
  });
});
