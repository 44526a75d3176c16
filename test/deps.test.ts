// The composition root: settings become dependencies, and a setting that cannot be used is a
// ConfigError naming it (the Worker shows these as config_invalid, Node prints and exits).
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.js";
import { buildDeps, type Runtime } from "../src/deps.js";
import { MemoryBackend } from "../src/search/memory/memory-backend.js";

const runtime: Runtime = {
  clientAddress: () => "192.0.2.1",
  readFile: (path) => {
    if (path === "policy.json") return '{"matching": 1}';
    throw new Error(`ENOENT: ${path}`);
  },
  embedded: async ({ catalog, policy }) => new MemoryBackend(catalog, policy),
  elasticsearch: async () => {
    throw new Error("not in this test");
  },
};

describe("buildDeps", () => {
  it("builds the bundled catalog and policy and the embedded backend by default", async () => {
    const deps = await buildDeps(
      parseConfig({ MATCH_API_TOKENS: "a-token-of-sixteen-chars" }),
      runtime,
    );
    expect(deps.backend.kind).toBe("memory");
    expect(deps.matchTokens).toEqual(["a-token-of-sixteen-chars"]);
    expect(deps.policy.matchingOffered("JP")).toBe(false);
  });

  it.each([
    [{ MARKET_POLICY_FILE: "missing.json" }, "MARKET_POLICY_FILE", /ENOENT/],
    [{ MARKET_POLICY_FILE: "policy.json" }, "MARKET_POLICY_FILE", /invalid market policy/],
    [{ CATALOG_JSON: "[]" }, "CATALOG_JSON", /invalid catalog/],
  ])("%o is a ConfigError naming %s", async (env, name, reason) => {
    const error = await buildDeps(parseConfig(env), runtime).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      { name, reason: expect.stringMatching(reason) },
    ]);
  });

  it("hands the admin settings on; a deployed snapshot is read-only, Elasticsearch is not", async () => {
    const env = { ADMIN_API_TOKENS: "an-admin-token-0123456789", ADMIN_MAX_BODY_BYTES: "4096" };
    const deps = await buildDeps(parseConfig(env), runtime);
    expect(deps.admin).toEqual({
      tokens: ["an-admin-token-0123456789"],
      maxBodyBytes: 4096,
      readOnlySnapshot: false,
    });
    const edge = { ...runtime, embeddedIsSnapshot: true };
    expect((await buildDeps(parseConfig(env), edge)).admin?.readOnlySnapshot).toBe(true);
    const es: Runtime = { ...edge, elasticsearch: (_, ctx) => runtime.embedded(ctx) };
    const withEs = await buildDeps(
      parseConfig({ ...env, ELASTICSEARCH_URL: "http://es:9200" }),
      es,
    );
    expect(withEs.admin?.readOnlySnapshot).toBe(false);
  });

  it("refuses a token that is both a staff and an admin token", async () => {
    const token = "the-same-token-0123456789";
    const env = { MATCH_API_TOKENS: token, ADMIN_API_TOKENS: token };
    const error = await buildDeps(parseConfig(env), runtime).catch((e: unknown) => e);
    expect((error as ConfigError).problems).toEqual([
      { name: "ADMIN_API_TOKENS", reason: expect.stringMatching(/MATCH_API_TOKENS/) },
    ]);
  });

  it("refuses a file setting where the runtime has no files", async () => {
    const { readFile: _, ...noFiles } = runtime;
    const error = await buildDeps(parseConfig({ CATALOG_FILE: "c.json" }), noFiles).catch((e) => e);
    expect((error as ConfigError).problems[0]?.name).toBe("CATALOG_FILE");
  });
});
