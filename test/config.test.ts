import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.js";

describe("configuration", () => {
  it("has working defaults for a fresh machine", () => {
    const c = parseConfig({});
    expect(c.PORT).toBe(8787);
    expect(c.MATCH_API_TOKENS).toEqual([]);
    expect(c.ADMIN_API_TOKENS).toEqual([]);
    expect(c.ADMIN_MAX_BODY_BYTES).toBe(256 * 1024 * 1024);
    expect(c.ELASTICSEARCH_URL).toBeUndefined();
  });

  it("reads admin tokens by the same rules as staff tokens, and the push body limit", () => {
    const c = parseConfig({
      ADMIN_API_TOKENS: "cccccccccccccccc,dddddddddddddddd",
      ADMIN_MAX_BODY_BYTES: "1048576",
    });
    expect(c.ADMIN_API_TOKENS).toEqual(["cccccccccccccccc", "dddddddddddddddd"]);
    expect(c.ADMIN_MAX_BODY_BYTES).toBe(1_048_576);
    expect(() => parseConfig({ ADMIN_API_TOKENS: "short" })).toThrow(/ADMIN_API_TOKENS/);
    expect(() => parseConfig({ ADMIN_MAX_BODY_BYTES: "-1" })).toThrow(/ADMIN_MAX_BODY_BYTES/);
  });

  it("splits comma-separated tokens and refuses short ones, naming the variable", () => {
    expect(
      parseConfig({ MATCH_API_TOKENS: " aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb " }).MATCH_API_TOKENS,
    ).toEqual(["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"]);
    expect(() => parseConfig({ MATCH_API_TOKENS: "short" })).toThrow(/MATCH_API_TOKENS/);
  });

  it("refuses a bad port or URL with the variable's name", () => {
    try {
      parseConfig({ PORT: "eighty", ELASTICSEARCH_URL: "not a url" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems.map((p) => p.name).sort()).toEqual([
        "ELASTICSEARCH_URL",
        "PORT",
      ]);
    }
  });
});
