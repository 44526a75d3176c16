import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, updateLogFileOf } from "../src/config.js";

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
      parseConfig({
        MATCH_API_TOKENS: " aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb ",
      }).MATCH_API_TOKENS.map((t) => t.token),
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

  it("logs updates beside PARTNERS_FILE unless told where; none on the bundled sample", () => {
    expect(updateLogFileOf(parseConfig({}))).toBeUndefined();
    expect(updateLogFileOf(parseConfig({ PARTNERS_FILE: "/data/p.ndjson" }))).toBe(
      "/data/p.ndjson.updates.ndjson",
    );
    expect(
      updateLogFileOf(parseConfig({ PARTNERS_FILE: "/data/p.ndjson", UPDATE_LOG_FILE: "/var/u" })),
    ).toBe("/var/u");
    expect(updateLogFileOf(parseConfig({ UPDATE_LOG_FILE: "/var/u" }))).toBe("/var/u");
    expect(parseConfig({}).UPDATE_LOG_COMPACT_LINES).toBe(20_000);
    expect(() => parseConfig({ UPDATE_LOG_COMPACT_BYTES: "0" })).toThrow(
      /UPDATE_LOG_COMPACT_BYTES/,
    );
  });

  it("watches PARTNERS_FILE only when there is one", () => {
    expect(parseConfig({}).WATCH_PARTNERS_FILE).toBe(false);
    expect(parseConfig({ PARTNERS_FILE: "p.ndjson", WATCH_PARTNERS_FILE: "true" })).toMatchObject({
      WATCH_PARTNERS_FILE: true,
    });
    expect(parseConfig({ PARTNERS_FILE: "p.ndjson", WATCH_PARTNERS_FILE: "0" })).toMatchObject({
      WATCH_PARTNERS_FILE: false,
    });
    expect(() => parseConfig({ WATCH_PARTNERS_FILE: "true" })).toThrow(
      /WATCH_PARTNERS_FILE: needs PARTNERS_FILE/,
    );
    expect(() => parseConfig({ PARTNERS_FILE: "p", WATCH_PARTNERS_FILE: "sometimes" })).toThrow(
      /WATCH_PARTNERS_FILE/,
    );
  });

  it("keeps a last-good copy of Elasticsearch only when told, and only with a cluster", () => {
    const es = { ELASTICSEARCH_URL: "http://127.0.0.1:9200" };
    expect(parseConfig(es)).toMatchObject({
      ELASTICSEARCH_FALLBACK: "off",
      ELASTICSEARCH_FALLBACK_REFRESH_MS: 300_000,
    });
    expect(
      parseConfig({
        ...es,
        ELASTICSEARCH_FALLBACK: "memory",
        ELASTICSEARCH_FALLBACK_REFRESH_MS: "60000",
      }),
    ).toMatchObject({
      ELASTICSEARCH_FALLBACK: "memory",
      ELASTICSEARCH_FALLBACK_REFRESH_MS: 60_000,
    });
    expect(() => parseConfig({ ELASTICSEARCH_FALLBACK: "memory" })).toThrow(
      /ELASTICSEARCH_FALLBACK: needs ELASTICSEARCH_URL/,
    );
    expect(() => parseConfig({ ...es, ELASTICSEARCH_FALLBACK: "disk" })).toThrow(
      /ELASTICSEARCH_FALLBACK/,
    );
    expect(() => parseConfig({ ...es, ELASTICSEARCH_FALLBACK_REFRESH_MS: "10" })).toThrow(
      /ELASTICSEARCH_FALLBACK_REFRESH_MS/,
    );
  });
});
