// The public directory served by src/worker.ts inside workerd from the embedded snapshot
// backend: every answer must equal what the same createApp on Node gives over the NDJSON feed.
import { describe, expect, inject, it } from "vitest";
import { problemOf, referenceApp, worker } from "./helpers.js";

const QUERIES = [
  "/v1/directory/partners",
  "/v1/directory/partners?country=DE&pageSize=5",
  "/v1/directory/partners?q=crm%20migration&language=de&language=fr",
  "/v1/directory/partners?industry=manufacturing&accredited=true&sort=rating&page=2",
  "/v1/directory/partners?tier=elite&tier=diamond&sort=name&pageSize=50",
  "/v1/directory/partners?q=hubspot%20onboarding&customerSize=enterprise&product=sales_hub",
  "/v1/directory/partners?country=JP",
  "/v1/directory/partners?near=52.52,13.405&radiusKm=300&sort=distance&budgetUsd=10000",
  "/v1/directory/partners?near=40.7128,-74.006&q=crm&country=US&country=CA",
  "/v1/directory/partners?country=AT&budgetUsd=2500&sort=tier",
];

describe("directory in workerd (snapshot backend)", () => {
  it.each(QUERIES)("%s equals the Node app's answer", async (path) => {
    const [edge, node] = await Promise.all([worker(path), referenceApp().request(path)]);
    expect(edge.status).toBe(200);
    expect(edge.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await edge.text();
    expect(body).toBe(await node.text());
    // Same bytes, same strong validator, whichever runtime produced them.
    expect(edge.headers.get("etag")).toBe(node.headers.get("etag"));
  });

  it("answers with facets, accredited first, and no internal fields", async () => {
    const res = await worker("/v1/directory/partners?country=DE&pageSize=20");
    const body = (await res.json()) as {
      total: number;
      results: Record<string, unknown>[];
      facets: Record<string, Record<string, number>>;
    };
    expect(body.total).toBeGreaterThan(20);
    expect(body.results).toHaveLength(20);
    expect(body.facets.country?.DE).toBe(body.total);
    expect(Object.keys(body.facets)).toEqual(
      expect.arrayContaining(["language", "industry", "service", "tier", "accredited"]),
    );
    const accredited = body.results.map((r) => r.accredited as boolean);
    expect(accredited).toEqual([...accredited].sort((a, b) => Number(b) - Number(a)));
    for (const r of body.results) expect(r).not.toHaveProperty("internal");
    expect(JSON.stringify(body)).not.toMatch(/soldMrr|managedMrr|contactEmails|notes/);
  });

  it("serves one profile, and 404 problem+json for an unknown id", async () => {
    const list = (await (await worker("/v1/directory/partners?pageSize=1")).json()) as {
      results: { id: string }[];
    };
    const id = list.results[0]?.id as string;
    const one = await worker(`/v1/directory/partners/${id}`);
    expect(one.status).toBe(200);
    expect(await one.text()).toBe(
      await (await referenceApp().request(`/v1/directory/partners/${id}`)).text(),
    );

    const missing = await worker("/v1/directory/partners/p-nope-404");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).toBe("no-store");
    expect(await problemOf(missing)).toMatchObject({ status: 404, code: "not_found" });
  });

  it("rejects bad input with a problem naming each parameter", async () => {
    const res = await worker(
      "/v1/directory/partners?pageSize=500&industry=basket_weaving&colour=red",
    );
    expect(res.status).toBe(400);
    const p = await problemOf(res);
    expect(p.code).toBe("invalid_request");
    const names = (p.errors as { name: string }[]).map((e) => e.name).sort();
    expect(names).toEqual(["colour", "industry", "pageSize"]);
  });

  it("loads the snapshot once and reports it in /readyz", async () => {
    const res = await worker("/readyz");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { backend: string; details: Record<string, unknown> };
    expect(body.backend).toBe("snapshot");
    expect(body.details).toMatchObject({
      profiles: inject("snapshotProfiles"),
      dataVersion: inject("snapshotDataVersion"),
      format: "partner-index",
      catalogMatched: true,
      policyMatched: true,
      rejected: 0,
      location: "bundle/partners.index.bin",
    });
  });

  it("never serves the snapshot (it holds internal fields) as a public file", async () => {
    const res = await worker("/partners.index.bin");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/problem\+json/);
  });

  it("keeps /healthz and the public OpenAPI document, the staff one behind the token", async () => {
    expect((await worker("/healthz")).status).toBe(200);
    const doc = (await (await worker("/openapi.json")).json()) as { paths: object };
    expect(Object.keys(doc.paths)).toContain("/v1/directory/partners");
    expect(Object.keys(doc.paths)).not.toContain("/v1/match");
    expect((await worker("/v1/staff/openapi.json")).status).toBe(401);
  });
});
