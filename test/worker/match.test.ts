// The staff partner finder inside workerd: bearer auth, the market gate, bad bodies, and the
// same ranking as the Node app (the snapshot must carry the internal fields matching needs).
import { describe, expect, it } from "vitest";
import { matchRequest, problemOf, referenceApp, worker } from "./helpers.js";

const DE_CUSTOMER = {
  customer: {
    country: "DE",
    languages: ["de"],
    industry: "manufacturing",
    companySize: "large",
    products: ["sales_hub"],
    needs: ["crm_implementation"],
  },
  motion: "difm",
  limit: 5,
};

describe("POST /v1/match in workerd", () => {
  it("needs a valid bearer token", async () => {
    for (const token of [null, "not-the-configured-token-000"]) {
      const res = await worker("/v1/match", matchRequest(DE_CUSTOMER, token));
      expect(res.status).toBe(401);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await problemOf(res)).toMatchObject({ code: "unauthorized" });
    }
  });

  it("ranks candidates with reasons, identical to the Node app", async () => {
    const res = await worker("/v1/match", matchRequest(DE_CUSTOMER));
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as {
      market: string;
      candidates: { rank: number; eligibility: string; partner: { id: string }; reasons: [] }[];
    };
    expect(body.market).toBe("DE");
    expect(body.candidates.length).toBeGreaterThan(0);
    for (const c of body.candidates) {
      expect(["accredited", "qualified"]).toContain(c.eligibility);
      expect(c.reasons.length).toBeGreaterThan(0);
    }
    const node = await referenceApp().request("/v1/match", matchRequest(DE_CUSTOMER));
    expect(body).toEqual(await node.json());
  });

  it("refuses a market where matching is not offered, while its directory stays open", async () => {
    const res = await worker("/v1/match", matchRequest({ customer: { country: "JP" } }));
    expect(res.status).toBe(422);
    const p = await problemOf(res);
    expect(p.code).toBe("market_not_offered");
    expect(String(p.detail)).toMatch(/not offered/);
    const dir = await worker("/v1/directory/partners?country=JP");
    expect(dir.status).toBe(200);
  });

  it("answers 400 naming the field for a bad body, 415 for a non-JSON one", async () => {
    const bad = await worker(
      "/v1/match",
      matchRequest({ customer: { country: "DE", products: ["sales_hubb"] } }),
    );
    expect(bad.status).toBe(400);
    const p = await problemOf(bad);
    expect((p.errors as { name: string }[]).map((e) => e.name)).toContain("customer.products[0]");

    const init = matchRequest(DE_CUSTOMER);
    const form = await worker("/v1/match", {
      ...init,
      headers: { ...(init.headers as Record<string, string>), "content-type": "text/plain" },
    });
    expect(form.status).toBe(415);
  });
});
