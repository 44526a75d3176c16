import { describe, expect, it } from "vitest";
import policyJson from "../../src/catalog/data/market-policy.json" with { type: "json" };
import { buildPolicy } from "../../src/catalog/policy.js";
import {
  HARD_RULES,
  Matcher,
  type MatchOutcome,
  type MatchRequest,
} from "../../src/ranking/match.js";
import { catalog, policy, profiles } from "../helpers.js";
import { DAY, partner, qualifiedPartner, request } from "./match-fixtures.js";

const matcher = new Matcher(catalog, policy);

function rank(raws: Record<string, unknown>[], req: MatchRequest, now = DAY): MatchOutcome {
  return matcher.rank(profiles(raws), req, now);
}
const ids = (o: MatchOutcome) => o.candidates.map((c) => c.profile.id);
const scoreOf = (o: MatchOutcome, id: string) => {
  const c = o.candidates.find((k) => k.profile.id === id);
  if (!c) throw new Error(`${id} is not a candidate`);
  return c.score;
};
const ruleOf = (raw: Record<string, unknown>, req: MatchRequest) =>
  matcher.check(profiles([raw])[0] as never, matcher.plan(req, DAY));

describe("hard eligibility", () => {
  it("admits an accredited partner that serves the country, speaks the language and has room", () => {
    const o = rank([partner("a")], request({ languages: ["de"] }));
    expect(ids(o)).toEqual(["a"]);
    expect(o.candidates[0]?.eligibility).toBe("accredited");
  });

  it("refuses a Solutions Provider", () => {
    const raw = partner("p", { programLevel: "provider", tier: "none" });
    expect(ids(rank([raw], request()))).toEqual([]);
    expect(ruleOf(raw, request())).toBe("program_level");
  });

  it("needs the partner located in the country or serving it as a market", () => {
    const located = partner("loc", { markets: [] });
    const serving = partner("srv", {
      locations: [{ country: "AT", city: "Wien", lat: 48.2, lon: 16.37 }],
      markets: ["DE"],
    });
    const elsewhere = partner("far", {
      locations: [{ country: "AT", city: "Wien" }],
      markets: ["AT", "CH"],
    });
    expect(ids(rank([located, serving, elsewhere], request())).sort()).toEqual(["loc", "srv"]);
    expect(ruleOf(elsewhere, request())).toBe("serves_country");
  });

  it("needs a shared language only when the customer names languages", () => {
    const fr = partner("fr", { languages: ["fr"] });
    expect(ids(rank([fr], request({ languages: ["de", "en"] })))).toEqual([]);
    expect(ruleOf(fr, request({ languages: ["de"] }))).toBe("shared_language");
    expect(ids(rank([fr], request()))).toEqual(["fr"]);
    expect(ids(rank([fr], request({ languages: ["it", "fr"] })))).toEqual(["fr"]);
  });

  it("needs a partner accepting referrals with an open slot", () => {
    const closed = partner("closed", {}, { capacity: { acceptingReferrals: false } });
    const full = partner("full", {}, { capacity: { maxOpenReferrals: 3, openReferrals: 3 } });
    const none = partner("none", {}, { capacity: { maxOpenReferrals: 0, openReferrals: 0 } });
    expect(ids(rank([closed, full, none], request()))).toEqual([]);
    expect(ruleOf(closed, request())).toBe("accepting_referrals");
    expect(ruleOf(full, request())).toBe("capacity");
    expect(ruleOf(none, request())).toBe("capacity");
  });

  it("makes every accredited partner a candidate, whatever its tier or record", () => {
    const raw = partner(
      "acc",
      { tier: "none" },
      { retention: 0, trackRecord: { products: {}, industries: {}, customerSizes: {} } },
    );
    const o = rank([raw], request({ products: ["sales_hub"], industry: "manufacturing" }));
    expect(o.candidates.map((c) => [c.profile.id, c.eligibility])).toEqual([["acc", "accredited"]]);
  });

  describe("a partner without an accreditation qualifies only on the policy's conditions", () => {
    const q = policy.data.match.qualified.default;
    it("uses the bundled defaults (gold, 5 customers, 80% retention)", () => {
      expect(q).toEqual({ minTier: "gold", minTrackRecord: 5, minRetention: 0.8 });
    });

    // Where no accreditation is offered every candidate is judged on these conditions alone,
    // so there they stand in for accreditation: tier and a relevant record, retention only in
    // the score (the bundled policy's byMarket entry for FR, ES and LATAM).
    it.each(["FR", "ES", "MX", "BR"])(
      "in %s, qualifies gold with one customer in a requested product and any retention",
      (country) => {
        const raw = qualifiedPartner(
          "q",
          { locations: [{ country, city: "X" }], languages: ["en"] },
          {
            retention: 0.5,
            trackRecord: { products: { sales_hub: 1 }, industries: {}, customerSizes: {} },
          },
        );
        const req = request({ country, products: ["sales_hub"] });
        expect(ruleOf(raw, req)).toBeUndefined();
        // No record at all in what was asked is still not a relevant track record.
        const none = qualifiedPartner(
          "n",
          { locations: [{ country, city: "X" }], languages: ["en"] },
          { trackRecord: { products: { service_hub: 9 }, industries: {}, customerSizes: {} } },
        );
        expect(ruleOf(none, req)).toBe("accredited_or_qualified");
        // The same partner in a market with accreditation offered meets the default bar only.
        const de = qualifiedPartner(
          "d",
          { locations: [{ country: "DE", city: "X" }], languages: ["en"] },
          {
            retention: 0.5,
            trackRecord: { products: { sales_hub: 1 }, industries: {}, customerSizes: {} },
          },
        );
        expect(ruleOf(de, request({ country: "DE", products: ["sales_hub"] }))).toBe(
          "accredited_or_qualified",
        );
      },
    );

    it("qualifies gold with a proven record in a requested product", () => {
      const o = rank([qualifiedPartner("q")], request({ products: ["sales_hub"] }));
      expect(o.candidates.map((c) => [c.profile.id, c.eligibility])).toEqual([["q", "qualified"]]);
    });

    it("refuses an untiered partner", () => {
      const raw = qualifiedPartner("q", { tier: "none" });
      expect(ruleOf(raw, request({ products: ["sales_hub"] }))).toBe("accredited_or_qualified");
    });

    it("refuses a record below the threshold in what the customer asks for", () => {
      const req = request({ products: ["service_hub"] }); // 6 service_hub customers
      const raw = qualifiedPartner(
        "q",
        {},
        {
          trackRecord: {
            products: { sales_hub: 40, service_hub: q.minTrackRecord - 1 },
            industries: {},
          },
        },
      );
      expect(ruleOf(raw, req)).toBe("accredited_or_qualified");
      const enough = qualifiedPartner(
        "q",
        {},
        {
          trackRecord: { products: { service_hub: q.minTrackRecord }, industries: {} },
        },
      );
      expect(ruleOf(enough, req)).toBeUndefined();
    });

    it("accepts a record in the customer's industry instead of its products", () => {
      const raw = qualifiedPartner(
        "q",
        {},
        {
          trackRecord: { products: {}, industries: { manufacturing: q.minTrackRecord } },
        },
      );
      expect(
        ruleOf(raw, request({ products: ["content_hub"], industry: "manufacturing" })),
      ).toBeUndefined();
      expect(ruleOf(raw, request({ products: ["content_hub"], industry: "software" }))).toBe(
        "accredited_or_qualified",
      );
    });

    it("counts the record across products when the request names neither", () => {
      const thin = qualifiedPartner(
        "q",
        {},
        {
          trackRecord: { products: { sales_hub: 2, service_hub: 2 }, industries: {} },
        },
      );
      const thick = qualifiedPartner(
        "q",
        {},
        {
          trackRecord: { products: { sales_hub: 3, service_hub: 2 }, industries: {} },
        },
      );
      expect(ruleOf(thin, request())).toBe("accredited_or_qualified");
      expect(ruleOf(thick, request())).toBeUndefined();
    });

    it("refuses low retention", () => {
      const raw = qualifiedPartner("q", {}, { retention: q.minRetention - 0.01 });
      expect(ruleOf(raw, request({ products: ["sales_hub"] }))).toBe("accredited_or_qualified");
    });
  });

  describe("motions", () => {
    it("upmarket_referral requires accreditation where accreditation is offered", () => {
      const raws = [partner("acc"), qualifiedPartner("q")];
      const req = request({ products: ["sales_hub"] }, { motion: "upmarket_referral" });
      expect(ids(rank(raws, req))).toEqual(["acc"]);
      expect(ruleOf(raws[1] as never, req)).toBe("motion");
      expect(ids(rank(raws, { ...req, motion: "difm" })).sort()).toEqual(["acc", "q"]);
      expect(ids(rank(raws, { ...req, motion: "partner_collaboration" })).sort()).toEqual([
        "acc",
        "q",
      ]);
    });

    it("waives the requirement where no accreditation is offered (FR)", () => {
      const fr = {
        locations: [{ country: "FR", city: "Lyon" }],
        markets: ["FR"],
        languages: ["fr"],
      };
      const raws = [partner("acc", fr), qualifiedPartner("q", fr)];
      const req = request(
        { country: "FR", products: ["sales_hub"] },
        { motion: "upmarket_referral" },
      );
      expect(ids(rank(raws, req)).sort()).toEqual(["acc", "q"]);
    });
  });

  it("lists the rules in the order they are checked", () => {
    expect(HARD_RULES).toEqual([
      "program_level",
      "serves_country",
      "shared_language",
      "accepting_referrals",
      "capacity",
      "accredited_or_qualified",
      "motion",
    ]);
  });
});

describe("accreditation availability", () => {
  const fr = {
    locations: [{ country: "FR", city: "Lyon", lat: 45.76, lon: 4.84 }],
    markets: ["FR"],
  };
  const req = request({ country: "FR", products: ["sales_hub"], needs: ["crm_implementation"] });

  it("in a market where it is not offered, lacking it changes neither eligibility nor score", () => {
    const holds = partner("holds", fr);
    const lacks = partner("lacks", { ...fr, accreditations: [] });
    const o = rank([holds, lacks], req);
    expect(scoreOf(o, "holds")).toBe(scoreOf(o, "lacks"));
    expect(o.candidates.map((c) => c.eligibility)).toEqual(["qualified", "qualified"]);
    expect(o.accreditationsNotOffered).toEqual(catalog.lists.accreditation);
    const reasons = o.candidates[0]?.reasons.map((r) => r.signal);
    expect(reasons).not.toContain("accredited");
    const need = o.candidates[0]?.reasons.find((r) => r.signal === "accreditation_match");
    expect(need?.detail).toMatch(/not offered in FR, judged by the service \(offered\)/);
    expect(need?.contribution).toBe(policy.data.match.weights.accreditation_match);
  });

  it("there the need is met by the service alone, for everyone", () => {
    const noService = partner("nosvc", { ...fr, accreditations: [], services: ["seo"] });
    const o = rank([partner("lacks", { ...fr, accreditations: [] }), noService], req);
    expect(scoreOf(o, "lacks")).toBeGreaterThan(scoreOf(o, "nosvc"));
  });

  it("in a market where it is offered, the accredited partner scores higher", () => {
    const o = rank(
      [partner("holds"), partner("lacks", { accreditations: [], tier: "platinum" })],
      request({ products: ["sales_hub"], needs: ["crm_implementation"] }),
    );
    expect(ids(o)).toEqual(["holds", "lacks"]);
    const w = policy.data.match.weights;
    expect(scoreOf(o, "holds") - scoreOf(o, "lacks")).toBeCloseTo(
      w.accreditation_match + w.accredited,
      6,
    );
  });
});

describe("fit score", () => {
  const base = request({
    products: ["sales_hub"],
    industry: "manufacturing",
    companySize: "large",
  });

  it("ranks a higher tier higher, all else equal (monotone in tier)", () => {
    const tiers = ["gold", "platinum", "diamond", "elite"];
    const o = rank(
      tiers.map((t) => partner(t, { tier: t })),
      base,
    );
    expect(ids(o)).toEqual([...tiers].reverse());
  });

  it("ranks a partner near its referral limit below an equal one with room", () => {
    const o = rank(
      [
        partner("busy", {}, { capacity: { maxOpenReferrals: 5, openReferrals: 4 } }),
        partner("free", {}, { capacity: { maxOpenReferrals: 5, openReferrals: 0 } }),
      ],
      base,
    );
    expect(ids(o)).toEqual(["free", "busy"]);
  });

  it("prefers a proven record in the requested products and industry", () => {
    const o = rank(
      [
        partner("none", {}, { trackRecord: { products: {}, industries: {}, customerSizes: {} } }),
        partner("proven"),
      ],
      base,
    );
    expect(ids(o)).toEqual(["proven", "none"]);
    const rec = o.candidates[0]?.reasons.find((r) => r.signal === "track_record");
    expect(rec?.detail).toContain("14 Sales Hub");
  });

  it("compares products with ml-distance cosine over declared values and track record", () => {
    const specialist = partner(
      "spec",
      { products: ["sales_hub"] },
      {
        trackRecord: { products: { sales_hub: 14 } },
      },
    );
    const generalist = partner(
      "gen",
      { products: ["sales_hub", "marketing_hub"] },
      { trackRecord: { products: { sales_hub: 14, marketing_hub: 4 } } },
    );
    const o = rank([specialist, generalist], request({ products: ["sales_hub"] }));
    const sim = (id: string) =>
      o.candidates.find((c) => c.profile.id === id)?.reasons.find((r) => r.signal === "products");
    const w = policy.data.match.weights.products;
    expect(sim("spec")?.contribution).toBeCloseTo(w, 6);
    // Declared counts as 2 customers: (2 + 14, 2 + 4) against (1, 0) gives 16 / √(16² + 6²).
    expect(sim("gen")?.contribution).toBeCloseTo((w * 16) / Math.sqrt(16 ** 2 + 6 ** 2), 6);
  });

  it("gives full language credit only when the partner speaks all the customer's languages", () => {
    const o = rank(
      [partner("both", { languages: ["de", "en"] }), partner("one", { languages: ["de"] })],
      request({ languages: ["de", "en"] }),
    );
    expect(ids(o)).toEqual(["both", "one"]);
    const lang = (i: number) => o.candidates[i]?.reasons.find((r) => r.signal === "languages");
    expect(lang(0)?.contribution).toBeCloseTo(policy.data.match.weights.languages, 6);
    expect(lang(1)?.contribution).toBeCloseTo(
      policy.data.match.weights.languages * Math.SQRT1_2,
      6,
    );
  });

  it("credits adjacent company sizes, less than the exact one", () => {
    const sized = (id: string, size: string) =>
      partner(id, { customerSizes: [size] }, { trackRecord: { customerSizes: {} } });
    const o = rank(
      [sized("exact", "large"), sized("next", "enterprise"), sized("far", "micro")],
      request({ companySize: "large" }),
    );
    const c = (id: string) =>
      o.candidates
        .find((k) => k.profile.id === id)
        ?.reasons.find((r) => r.signal === "company_size")?.contribution ?? -1;
    expect(c("exact")).toBeGreaterThan(c("next"));
    expect(c("next")).toBeGreaterThan(0);
    expect(c("far")).toBe(0);
  });

  it("decays with distance when the customer's location is given", () => {
    const at = (id: string, lat: number, lon: number) =>
      partner(id, { locations: [{ country: "DE", city: id, lat, lon }] });
    const req = request({ location: { lat: 53.55, lon: 9.99 } }); // Hamburg
    const o = rank(
      [at("munich", 48.14, 11.58), at("hamburg", 53.55, 10.0), at("berlin", 52.52, 13.4)],
      req,
    );
    expect(ids(o)).toEqual(["hamburg", "berlin", "munich"]);
    const prox = o.candidates[2]?.reasons.find((r) => r.signal === "proximity");
    expect(prox?.detail).toMatch(/^nearest office 6\d\d km away$/);
    const noLoc = rank([at("munich", 48.14, 11.58)], request());
    expect(noLoc.candidates[0]?.reasons.map((r) => r.signal)).not.toContain("proximity");
  });

  it("puts the partner of record first when it is eligible", () => {
    const raws = [
      partner("elite", { tier: "elite" }),
      qualifiedPartner("por", {}, { retention: 0.8, toolUsageIndex: 0 }),
    ];
    const o = rank(raws, request({ products: ["sales_hub"], partnerOfRecord: "por" }));
    expect(ids(o)).toEqual(["por", "elite"]);
    expect(o.candidates[0]?.reasons[0]).toMatchObject({
      signal: "partner_of_record",
      contribution: policy.data.match.weights.partner_of_record,
    });
    expect(o.candidates[1]?.reasons.map((r) => r.signal)).not.toContain("partner_of_record");
  });

  it("does not rescue an ineligible partner of record", () => {
    const raws = [partner("a"), partner("por", {}, { capacity: { acceptingReferrals: false } })];
    expect(ids(rank(raws, request({ partnerOfRecord: "por" })))).toEqual(["a"]);
  });
});

describe("reasons", () => {
  it("add up to the score exactly, in whole millionths", () => {
    const raws = [
      partner("a"),
      partner("b", { tier: "elite", languages: ["de"] }),
      qualifiedPartner("c"),
    ];
    const o = rank(
      raws,
      request({
        languages: ["de", "en"],
        industry: "manufacturing",
        companySize: "medium",
        products: ["sales_hub", "marketing_hub"],
        needs: ["crm_implementation", "onboarding", "seo"],
        location: { lat: 50.1, lon: 8.7 },
        partnerOfRecord: "c",
      }),
    );
    expect(o.candidates).toHaveLength(3);
    /** How far x*1e6 is from an integer: ~0 only for a whole number of millionths. */
    const offMillionths = (x: number) => Math.abs(x * 1e6 - Math.round(x * 1e6));
    for (const c of o.candidates) {
      expect(offMillionths(c.score)).toBeLessThan(1e-6);
      for (const r of c.reasons) {
        expect(offMillionths(r.contribution)).toBeLessThan(1e-6);
        expect(r.detail.length).toBeGreaterThan(0);
      }
      // Whole millionths add up without rounding error: the sum in millionths is the score's.
      const units = c.reasons.reduce((s, r) => s + Math.round(r.contribution * 1e6), 0);
      expect(units).toBe(Math.round(c.score * 1e6));
      expect(Math.abs(c.reasons.reduce((s, r) => s + r.contribution, 0) - c.score)).toBeLessThan(
        1e-9,
      );
    }
  });
});

describe("zero weights", () => {
  it("switch a signal off: it neither counts nor shows among the reasons", () => {
    const raw = structuredClone(policyJson);
    raw.match.weights.tier = 0;
    raw.match.weights.proximity = 0;
    raw.match.weights.languages = 0;
    const m = new Matcher(catalog, buildPolicy(raw, catalog));
    const o = m.rank(
      profiles([partner("gold", { tier: "gold" }), partner("elite", { tier: "elite" })]),
      request({ languages: ["de"], location: { lat: 53.5, lon: 10 } }),
      DAY,
    );
    expect(o.candidates[0]?.score).toBe(o.candidates[1]?.score);
    for (const c of o.candidates) {
      const shown = c.reasons.map((r) => r.signal);
      for (const off of ["tier", "proximity", "languages"]) expect(shown).not.toContain(off);
      expect(shown).toContain("capacity");
    }
  });
});

describe("order and rotation", () => {
  const tied = Array.from({ length: 12 }, (_, i) => partner(`t${String(i).padStart(2, "0")}`));
  const req = request({ products: ["sales_hub"] }, { limit: 5 });

  it("gives the same order for the same request on the same day", () => {
    const a = ids(rank(tied, req, new Date("2026-11-23T00:00:01Z")));
    const b = ids(rank(tied, req, new Date("2026-11-23T23:59:59Z")));
    expect(a).toEqual(b);
    expect(a).toHaveLength(5);
    expect(rank(tied, req).candidates.map((c) => c.rank)).toEqual([1, 2, 3, 4, 5]);
  });

  it("rotates tied partners across days and across customers", () => {
    const days = new Set(
      Array.from({ length: 10 }, (_, d) =>
        ids(rank(tied, req, new Date(Date.UTC(2026, 10, 1 + d)))).join(),
      ),
    );
    expect(days.size).toBeGreaterThan(1);
    const customers = new Set(
      Array.from({ length: 10 }, (_, i) =>
        ids(rank(tied, { ...req, customer: { ...req.customer, id: `c${i}` } })).join(),
      ),
    );
    expect(customers.size).toBeGreaterThan(1);
  });

  it("does not reorder the first results when more are asked for", () => {
    const five = ids(rank(tied, req));
    const ten = ids(rank(tied, { ...req, limit: 10 }));
    expect(ten.slice(0, 5)).toEqual(five);
  });

  it("never rotates a clearly better partner below a worse one", () => {
    const o = rank([...tied, partner("best", { tier: "elite" })], req);
    expect(ids(o)[0]).toBe("best");
  });
});

describe("rankingVersion and caching", () => {
  it("changes with any weight and stays put otherwise", () => {
    const same = new Matcher(catalog, buildPolicy(structuredClone(policyJson), catalog));
    expect(same.rankingVersion).toBe(matcher.rankingVersion);
    const changed = structuredClone(policyJson);
    changed.match.weights.tier = 0.08;
    expect(new Matcher(catalog, buildPolicy(changed, catalog)).rankingVersion).not.toBe(
      matcher.rankingVersion,
    );
    expect(matcher.rankingVersion).toMatch(/^match-\d+\.[0-9a-f]{14}$/);
  });

  it("never serves a market block built from an older feed", () => {
    const m = new Matcher(catalog, policy);
    const v1 = profiles([partner("a", { tier: "gold" }), partner("b", { tier: "elite" })]);
    expect(ids(m.rank(v1, request(), DAY))).toEqual(["b", "a"]);
    expect(ids(m.rank(v1, request(), DAY))).toEqual(["b", "a"]);
    const v2 = [
      v1[0],
      profiles([partner("b", { tier: "elite" }, { capacity: { acceptingReferrals: false } })])[0],
    ];
    expect(ids(m.rank(v2 as never, request(), DAY))).toEqual(["a"]);
  });
});
