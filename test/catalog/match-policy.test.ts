import { describe, expect, it } from "vitest";
import { CatalogError } from "../../src/catalog/catalog.js";
import policyJson from "../../src/catalog/data/market-policy.json" with { type: "json" };
import {
  type MatchPolicy,
  MatchPolicySchema,
  rankingVersionOf,
  SIGNALS,
} from "../../src/catalog/match-policy.js";
import { buildPolicy } from "../../src/catalog/policy.js";
import { canonicalJson } from "../../src/lib/hash.js";
import { catalog } from "../helpers.js";

interface LooseMatch {
  weights: Record<string, number>;
  qualified: { default: Record<string, unknown>; byMarket: unknown[] };
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
          m.qualified.default.minTier = "bronze";
        }),
        catalog,
      ),
    ).toThrow(/unknown tier bronze/);
    expect(() =>
      buildPolicy(
        withMatch((m) => {
          m.qualified.byMarket = [
            {
              in: ["FR", "XQ"],
              conditions: { minTier: "gold", minTrackRecord: 1, minRetention: 0 },
            },
          ];
        }),
        catalog,
      ),
    ).toThrow(/unknown country or region XQ/);
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

  it("canonicalJson sorts keys at every depth, drops undefined and keeps array order", () => {
    const a = { b: 1, a: { d: [3, { y: 2, x: 1 }], c: undefined } };
    const b = { a: { d: [3, { x: 1, y: 2 }] }, b: 1 };
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    expect(canonicalJson(a)).toBe('{"a":{"d":[3,{"x":1,"y":2}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it("versions the ranking by the canonical policy, whatever the key order", () => {
    const m = MatchPolicySchema.parse(policyJson.match);
    // Not through zod (which rebuilds objects in schema order): the same policy with the keys
    // inserted in reverse order at every depth.
    const reordered = reverseKeys(m);
    expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(m));
    expect(Object.keys(reordered)).toEqual(Object.keys(m).reverse());
    expect(rankingVersionOf(reordered)).toBe(rankingVersionOf(m));
    expect(rankingVersionOf(m)).toMatch(/^match-\d+\.[0-9a-f]{14}$/);
    // One value changed, anywhere, changes the version.
    const edits: ((x: MatchPolicy) => void)[] = [
      (x) => {
        x.tieEpsilon += 0.001;
      },
      (x) => {
        x.weights.reviews += 0.001;
      },
      (x) => {
        x.features.reviewsPrior.count += 1;
      },
      (x) => {
        x.motions.difm.requireAccreditation = !x.motions.difm.requireAccreditation;
      },
    ];
    for (const edit of edits) {
      const other = structuredClone(m);
      edit(other);
      expect(rankingVersionOf(other)).not.toBe(rankingVersionOf(m));
    }
  });
});

/** A deep copy whose object keys are inserted in reverse order. */
function reverseKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(reverseKeys) as T;
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reverseKeys(x)]),
    ) as T;
  }
  return v;
}
