import { describe, expect, it } from "vitest";
import { CatalogError } from "../../src/catalog/catalog.js";
import policyJson from "../../src/catalog/data/market-policy.json" with { type: "json" };
import { MatchPolicySchema, rankingVersionOf, SIGNALS } from "../../src/catalog/match-policy.js";
import { buildPolicy } from "../../src/catalog/policy.js";
import { canonicalJson } from "../../src/lib/hash.js";
import { catalog } from "../helpers.js";

interface LooseMatch {
  weights: Record<string, number>;
  qualified: Record<string, unknown>;
  fit: Record<string, Record<string, unknown>>;
}

const withMatch = (edit: (m: LooseMatch) => void) => {
  const raw = structuredClone(policyJson) as unknown as { match: LooseMatch };
  edit(raw.match);
  return raw;
};

describe("match policy", () => {
  it("the bundled policy parses and weighs every signal", () => {
    const m = MatchPolicySchema.parse(policyJson.match);
    expect(Object.keys(m.weights).sort()).toEqual([...SIGNALS].sort());
    // "Accreditations that match the customer's needs" is the strongest ordinary signal.
    const { partner_of_record, accreditation_match, ...rest } = m.weights;
    expect(Math.max(...Object.values(rest))).toBeLessThan(accreditation_match);
    expect(partner_of_record).toBeGreaterThan(
      Object.values(rest).reduce((a, b) => a + b, accreditation_match),
    );
  });

  it("refuses a partner-of-record weight that would not put it first", () => {
    const raw = withMatch((m) => {
      m.weights.partner_of_record = 0.5;
    });
    expect(() => buildPolicy(raw, catalog)).toThrow(/partner_of_record.*ranks first/);
  });

  it("refuses unknown fields, unknown tiers and missing weights", () => {
    expect(() =>
      buildPolicy(
        withMatch((m) => {
          m.weights.charisma = 1;
        }),
        catalog,
      ),
    ).toThrow(CatalogError);
    expect(() =>
      buildPolicy(
        withMatch((m) => {
          m.qualified.minTier = "bronze";
        }),
        catalog,
      ),
    ).toThrow(/unknown tier bronze/);
    expect(() =>
      buildPolicy(
        withMatch((m) => {
          delete m.weights.tier;
        }),
        catalog,
      ),
    ).toThrow(/weights\.tier/);
    expect(() =>
      buildPolicy(
        withMatch((m) => {
          (m.fit.products as Record<string, unknown>).scope = "everything";
        }),
        catalog,
      ),
    ).toThrow(/fit\.products\.scope/);
  });

  it("versions the ranking by the canonical policy, whatever the key order", () => {
    const m = MatchPolicySchema.parse(policyJson.match);
    const reordered = MatchPolicySchema.parse(
      JSON.parse(canonicalJson(policyJson.match)) as unknown,
    );
    expect(rankingVersionOf(reordered)).toBe(rankingVersionOf(m));
    const other = MatchPolicySchema.parse({ ...policyJson.match, tieEpsilon: 0.01 });
    expect(rankingVersionOf(other)).not.toBe(rankingVersionOf(m));
  });
});
