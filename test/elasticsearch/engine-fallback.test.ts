// ELASTICSEARCH_FALLBACK=memory end to end: the real Node service on Elasticsearch behind the
// fault proxy keeps a last-good copy (loaded at start from a point in time, updated by the pushes
// it takes). With the node refused or slowed, reads answer 200 from the copy, with the very
// bodies the cluster gave before and X-Data-Stale naming the copy's time, within the request
// timeout; /readyz stays 200 and says degraded; a push is refused (503), never kept in the copy
// alone. Once the node is back, the header is gone. (Without the setting, the same faults answer
// 503: engine-faults.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start } from "../../src/node.js";
import { type FaultProxy, startFaultProxy } from "./fault-proxy.js";
import {
  dropAlias,
  esUrl,
  raw,
  sampleEntries,
  testAlias,
  testBackend,
  testClient,
} from "./helpers.js";

const TIMEOUT_MS = 1_000;
const MARGIN_MS = 500;
const TOKEN = "engine-fallback-token-0123456789";
const ADMIN = "engine-fallback-admin-0123456789";
const staff = { authorization: `Bearer ${TOKEN}` };

interface Sent {
  status: number;
  ms: number;
  stale: string | null;
  cacheControl: string | null;
  body: unknown;
}

describe.skipIf(!esUrl)("engine faults with ELASTICSEARCH_FALLBACK=memory", () => {
  const alias = testAlias("fallback");
  const direct = testClient();
  let proxy: FaultProxy;
  let service: Awaited<ReturnType<typeof start>>;
  let base = "";
  let ids: string[] = [];

  const send = async (path: string, init: RequestInit = {}): Promise<Sent> => {
    const started = performance.now();
    const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    return {
      status: res.status,
      ms: performance.now() - started,
      stale: res.headers.get("x-data-stale"),
      cacheControl: res.headers.get("cache-control"),
      body: text.startsWith("{") ? JSON.parse(text) : text,
    };
  };
  const match = (customer: Record<string, unknown>) =>
    send("/v1/match", {
      method: "POST",
      headers: { ...staff, "content-type": "application/json" },
      body: JSON.stringify({ customer, limit: 10 }),
    });
  const push = (lines: Record<string, unknown>[]) =>
    send("/v1/admin/partners", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/x-ndjson" },
      body: lines.map((l) => JSON.stringify(l)).join("\n"),
    });
  /** Directory searches (filter-only orders are identical on both engines), profiles, matches. */
  const reads = (): [string, () => Promise<Sent>][] => [
    ["directory DE", () => send("/v1/directory/partners?country=DE&pageSize=20")],
    ["directory US gold", () => send("/v1/directory/partners?country=US&tier=gold&sort=name")],
    ["directory page 3", () => send("/v1/directory/partners?industry=manufacturing&page=3")],
    ["profile", () => send(`/v1/directory/partners/${ids[0]}`)],
    ["staff profile", () => send(`/v1/staff/partners/${ids[1]}`, { headers: staff })],
    ["match DE", () => match({ country: "DE", languages: ["de"], products: ["sales_hub"] })],
    ["match US", () => match({ country: "US", industry: "manufacturing" })],
    ["match GB + partner of record", () => match({ country: "GB", partnerOfRecord: ids[2] })],
  ];

  beforeAll(async () => {
    const entries = (await sampleEntries()).slice(0, 3_000);
    await testBackend(direct, alias).apply(entries);
    ids = entries.flatMap((e) =>
      e.kind === "upsert" && e.profile.directoryListed ? [e.profile.id] : [],
    );
    proxy = await startFaultProxy(esUrl);
    service = await start({
      PORT: "0",
      HOST: "127.0.0.1",
      ELASTICSEARCH_URL: proxy.url,
      ELASTICSEARCH_INDEX: alias,
      ELASTICSEARCH_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS),
      ELASTICSEARCH_FALLBACK: "memory",
      MATCH_API_TOKENS: TOKEN,
      ADMIN_API_TOKENS: ADMIN,
      RATE_LIMIT_PER_MINUTE: "0",
      STAFF_RATE_LIMIT_PER_MINUTE: "0",
      LOG_LEVEL: "silent",
    });
    base = `http://127.0.0.1:${service.port}`;
  });
  afterAll(async () => {
    await service?.stop();
    await proxy?.close();
    await dropAlias(direct, alias);
    await direct.close();
  });

  it("answers from the copy while the node is away, the same as before, marked stale", async () => {
    // The copy loads in the background from the start; /readyz says when it is there.
    let ready = await send("/readyz");
    const started = performance.now();
    const copyOf = (r: Sent) =>
      (r.body as { details?: { fallback?: { asOf: string | null; loadMs?: number } } }).details
        ?.fallback;
    while (!copyOf(ready)?.asOf && performance.now() - started < 30_000) {
      await new Promise((r) => setTimeout(r, 100));
      ready = await send("/readyz");
    }
    expect(ready).toMatchObject({ status: 200, body: { status: "ready" } });
    const asOf = copyOf(ready)?.asOf as string;
    expect(Date.parse(asOf)).toBeLessThanOrEqual(Date.now());
    const loadMs = copyOf(ready)?.loadMs;

    // A push through the service while the node is up reaches the copy too.
    const renamed = {
      ...raw(ids[0] as string),
      name: "Renamed while up",
      updatedAt: "2030-01-01T00:00:00Z",
    };
    expect((await push([renamed])).status).toBe(200);

    const before = new Map<string, Sent>();
    for (const [name, read] of reads()) {
      const r = await read();
      expect(r.status, name).toBe(200);
      expect(r.stale, name).toBeNull();
      before.set(name, r);
    }
    expect(before.get("profile")?.body).toMatchObject({ name: "Renamed while up" });

    const worst: Record<string, number> = {};
    for (const fault of [{ kind: "refuse" }, { kind: "delay", ms: 3_000 }] as const) {
      await proxy.set(fault);
      worst[fault.kind] = 0;
      for (const [name, read] of reads()) {
        const r = await read();
        worst[fault.kind] = Math.max(worst[fault.kind] ?? 0, r.ms);
        expect(r.status, `${name}, ${fault.kind}`).toBe(200);
        expect(r.stale, `${name}, ${fault.kind}`).toBe(asOf);
        expect(r.cacheControl, `${name}, ${fault.kind}`).toBe("no-store");
        expect(r.body, `${name}, ${fault.kind}`).toEqual(before.get(name)?.body);
        expect(r.ms, `${name}, ${fault.kind}`).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
      }
      const degraded = await send("/readyz");
      expect(degraded.status).toBe(200);
      expect(degraded.body).toMatchObject({
        status: "degraded",
        degraded: `serving the last-good copy from ${asOf}`,
      });
      expect(degraded.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
    }

    // A push while the node is away is refused, and nothing of it is served.
    await proxy.set({ kind: "refuse" });
    const lost = { ...renamed, name: "Lost while down", updatedAt: "2030-02-01T00:00:00Z" };
    const refused = await push([lost]);
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ code: "search_unavailable" });
    const profile = await send(`/v1/directory/partners/${ids[0]}`);
    expect(profile).toMatchObject({ status: 200, stale: asOf, body: { name: "Renamed while up" } });

    await proxy.set({ kind: "pass" });
    for (const [name, read] of reads()) {
      const r = await read();
      expect(r.status, name).toBe(200);
      expect(r.stale, name).toBeNull();
    }
    expect((await send("/readyz")).body).toMatchObject({ status: "ready" });
    console.log(
      `fallback: copy of 3,000 loaded in ${loadMs} ms; worst stale answer ${Math.round(worst.refuse ?? 0)} ms refused, ${Math.round(worst.delay ?? 0)} ms with the node 3 s slow; a push while refused answered 503 after ${Math.round(refused.ms)} ms`,
    );
  }, 120_000);
});
