// A Worker with bad bindings must say which, as a 500 config_invalid problem on every request,
// rather than fail somewhere deeper or serve with a half-valid configuration.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, startLocalWorker } from "../../scripts/lib/local-worker.js";
import { TEST_SNAPSHOT } from "./constants.js";

let bad: LocalWorker;

beforeAll(async () => {
  bad = await startLocalWorker({
    snapshotFile: TEST_SNAPSHOT,
    logLevel: "none",
    vars: {
      MATCH_API_TOKENS: "short",
      MARKET_POLICY_JSON: '{"matching": ',
      ELASTICSEARCH_URL: "not a url",
      PARTNERS_FILE: "/data/partners.ndjson",
    },
  });
});
afterAll(async () => {
  await bad?.dispose();
});

describe("bad bindings in workerd", () => {
  it("answers 500 config_invalid naming every bad binding, on any path", async () => {
    for (const path of ["/healthz", "/v1/directory/partners"]) {
      const res = await bad.fetch(path);
      expect(res.status).toBe(500);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("cache-control")).toBe("no-store");
      const p = (await res.json()) as {
        code: string;
        detail: string;
        bindings: { name: string }[];
      };
      expect(p.code).toBe("config_invalid");
      expect(p.bindings.map((b) => b.name).sort()).toEqual([
        "ELASTICSEARCH_URL",
        "MARKET_POLICY_JSON",
        "MATCH_API_TOKENS",
        "PARTNERS_FILE",
      ]);
      expect(p.detail).toContain(
        "MATCH_API_TOKENS: entry 1: each token must be at least 16 characters",
      );
      // A binding's value (a secret, possibly) is never echoed.
      expect(JSON.stringify(p)).not.toContain("short");
    }
  });
});
