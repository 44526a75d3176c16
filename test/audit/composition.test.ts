// Where the composition root sends audit records: AUDIT_FILE on Node (end to end through the
// app, labels from MATCH_API_TOKENS), the data stream with ELASTICSEARCH_URL, memory otherwise,
// and a Worker refusing AUDIT_FILE.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { buildDeps } from "../../src/deps.js";
import { parseBindings } from "../../src/edge/bindings.js";
import { createApp } from "../../src/http/app.js";
import { nodeRuntime } from "../../src/node.js";

const dir = mkdtempSync(join(tmpdir(), "audit-deps-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TOKEN = "crm-token-0123456789abcdef";

describe("the audit sink the configuration chooses", () => {
  it("AUDIT_FILE on Node: records with the caller's label, never the token", async () => {
    const file = join(dir, "audit.ndjson");
    const config = parseConfig({
      MATCH_API_TOKENS: `crm-sync:${TOKEN}`,
      AUDIT_FILE: file,
      AUDIT_FILE_MAX_BYTES: "1024",
      AUDIT_FILE_KEEP: "2",
      LOG_LEVEL: "silent",
    });
    const deps = await buildDeps(config, nodeRuntime());
    expect(deps.audit.describe()).toEqual({ kind: "file", file, maxBytes: 1024, keep: 2 });
    const app = createApp(deps);
    const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    const body = JSON.stringify({ customer: { country: "DE", languages: ["de"] }, limit: 3 });
    for (let i = 0; i < 6; i++) {
      expect((await app.request("/v1/match", { method: "POST", headers, body })).status).toBe(200);
    }
    const r = await app.request("/v1/staff/audit?limit=500", { headers });
    const { records } = (await r.json()) as { records: { caller: string; status: number }[] };
    expect(records).toHaveLength(6);
    expect(records.every((x) => x.caller === "crm-sync" && x.status === 200)).toBe(true);
    await deps.audit.close?.();
    expect(readFileSync(file, "utf8")).not.toContain(TOKEN);
    expect(readFileSync(`${file}.1`, "utf8")).not.toContain(TOKEN);
    await deps.backend.close?.();
  });

  it("the data stream with ELASTICSEARCH_URL, memory without either", async () => {
    const es = await buildDeps(
      parseConfig({ ELASTICSEARCH_URL: "http://127.0.0.1:9", LOG_LEVEL: "silent" }),
      nodeRuntime(),
    );
    expect(es.audit.describe()).toEqual({
      kind: "elasticsearch",
      dataStream: "partner-match-audit",
    });
    const memory = await buildDeps(parseConfig({ LOG_LEVEL: "silent" }), nodeRuntime());
    expect(memory.audit.describe()).toMatchObject({ kind: "memory" });
    await memory.backend.close?.();
  });

  it("a Worker refuses AUDIT_FILE, naming it", () => {
    const assets = { fetch: async () => new Response("", { status: 404 }) };
    expect(parseBindings({ ASSETS: assets, AUDIT_FILE: "/var/log/audit.ndjson" })).toMatchObject({
      ok: false,
      problems: [{ name: "AUDIT_FILE" }],
    });
  });
});
