// An unreachable, silent or unready cluster must fail fast with SearchUnavailableError (the HTTP
// layer's 503 search_unavailable when a retry can help, 500 index_unavailable when it cannot),
// never hang a request.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { buildDirectoryPlan } from "../../src/ranking/directory.js";
import { SearchUnavailableError } from "../../src/search/backend.js";
import { createElasticsearchBackend } from "../../src/search/elasticsearch/index.js";
import { catalog, esUrl, policy, testAlias } from "./helpers.js";

const plan = buildDirectoryPlan(
  { filters: { country: ["DE"] }, page: 1, pageSize: 10, sort: "relevance" },
  policy,
);

async function failure(p: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await p;
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error("expected a failure");
}

describe("a cluster that cannot answer", () => {
  let silent: net.Server;
  let silentPort = 0;
  let closedPort = 0;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    // Accepts connections and never answers: a hung or overloaded node.
    silent = net.createServer((s) => {
      sockets.add(s);
    });
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    silentPort = (silent.address() as net.AddressInfo).port;
    // A port nobody listens on: a stopped node.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
  });

  it("refused connections fail fast, retryable", async () => {
    const backend = createElasticsearchBackend({
      url: `http://127.0.0.1:${closedPort}`,
      catalog,
      policy,
    });
    const { error, ms } = await failure(backend.directory(plan));
    expect(error).toBeInstanceOf(SearchUnavailableError);
    expect((error as SearchUnavailableError).retryable).toBe(true);
    expect((error as Error).message).toMatch(/unreachable/);
    expect(ms).toBeLessThan(1_000);
    await expect(
      backend.candidates({ country: "DE", programLevels: catalog.referralLevels }),
    ).rejects.toBeInstanceOf(SearchUnavailableError);
    const ready = await backend.readiness();
    expect(ready.ready).toBe(false);
    expect(ready.details.error).toMatch(/unreachable/);
    await backend.close();
  });

  it("a silent node times out after the request timeout, not later", async () => {
    const backend = createElasticsearchBackend({
      url: `http://127.0.0.1:${silentPort}`,
      catalog,
      policy,
      requestTimeoutMs: 500,
    });
    const { error, ms } = await failure(backend.directory(plan));
    expect(error).toBeInstanceOf(SearchUnavailableError);
    expect((error as SearchUnavailableError).retryable).toBe(true);
    expect((error as Error).message).toMatch(/did not answer in time/);
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(2_000);
    await backend.close();
  });

  it.skipIf(!esUrl)("a missing alias is an engine refusal: not retryable", async () => {
    const backend = createElasticsearchBackend({
      url: esUrl,
      alias: testAlias("missing"),
      catalog,
      policy,
    });
    const { error } = await failure(backend.directory(plan));
    expect(error).toBeInstanceOf(SearchUnavailableError);
    expect((error as SearchUnavailableError).retryable).toBe(false);
    expect((error as Error).message).toMatch(/404 index_not_found_exception/);
    await expect(backend.get("p-1")).rejects.toBeInstanceOf(SearchUnavailableError);
    expect((await backend.readiness()).ready).toBe(false);
    // Over HTTP: a clear non-retryable problem, no Retry-After inviting clients to hammer it.
    const app = createApp({ backend, catalog, policy, matchTokens: [] });
    const res = await app.request("/v1/directory/partners?country=DE");
    expect(res.status).toBe(500);
    expect(res.headers.get("retry-after")).toBeNull();
    expect(await res.json()).toMatchObject({ code: "index_unavailable", retryable: false });
    await backend.close();
  });
});
