// The staff pages' session settings: a configured key is used, a missing one is made at random
// (and said in the log), and trusting an SSO identity header without the proxy's secret stops
// the start, since any client could then send the header.
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.js";
import { buildDeps, type Runtime } from "../src/deps.js";
import { MemoryBackend } from "../src/search/memory/memory-backend.js";

const runtime: Runtime = {
  clientAddress: () => "192.0.2.1",
  embedded: async ({ catalog, policy }) => new MemoryBackend(catalog, policy),
  elasticsearch: async () => {
    throw new Error("not in this test");
  },
};

const SECRET = "k".repeat(32);

describe("staff session settings", () => {
  it("uses STAFF_SESSION_SECRET and STAFF_SESSION_HOURS", async () => {
    const deps = await buildDeps(
      parseConfig({ LOG_LEVEL: "silent", STAFF_SESSION_SECRET: SECRET, STAFF_SESSION_HOURS: "2" }),
      runtime,
    );
    expect(deps.staffSessions).toEqual({ secret: SECRET, ttlSeconds: 7200 });
  });

  it("makes a random key per instance when none is set, and says so", async () => {
    const warned: string[] = [];
    const original = console.warn;
    console.warn = (line: string) => warned.push(line);
    try {
      const a = await buildDeps(parseConfig({}), runtime);
      const b = await buildDeps(parseConfig({}), runtime);
      expect(a.staffSessions?.secret).toMatch(/^[0-9a-f]{64}$/);
      expect(a.staffSessions?.secret).not.toBe(b.staffSessions?.secret);
      expect(a.staffSessions?.ttlSeconds).toBe(8 * 3600);
    } finally {
      console.warn = original;
    }
    expect(warned.some((l) => l.includes("STAFF_SESSION_SECRET is unset"))).toBe(true);
  });

  it("refuses an identity header without the proxy's secret", async () => {
    const env = { LOG_LEVEL: "silent", STAFF_IDENTITY_HEADER: "X-Auth-Request-Email" };
    const error = await buildDeps(parseConfig(env), runtime).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      {
        name: "STAFF_IDENTITY_HEADER",
        reason: expect.stringMatching(/STAFF_TRUSTED_PROXY_SECRET/),
      },
    ]);
    const ok = await buildDeps(
      parseConfig({ ...env, STAFF_TRUSTED_PROXY_SECRET: "p".repeat(32) }),
      runtime,
    );
    expect(ok.staffSessions).toMatchObject({
      identityHeader: "X-Auth-Request-Email",
      proxySecret: "p".repeat(32),
    });
  });
});
