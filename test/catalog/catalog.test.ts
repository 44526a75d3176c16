import { describe, expect, it } from "vitest";
import { buildCatalog, CatalogError } from "../../src/catalog/catalog.js";
import catalogJson from "../../src/catalog/data/catalog.json" with { type: "json" };
import policyJson from "../../src/catalog/data/market-policy.json" with { type: "json" };
import { buildPolicy } from "../../src/catalog/policy.js";
import { LABEL_LANGUAGES } from "../../src/catalog/schema.js";
import { catalog, policy } from "../helpers.js";

describe("bundled catalog", () => {
  it("carries exactly the contract's default codes", () => {
    expect(catalog.lists.accreditation).toEqual([
      "crm_implementation",
      "onboarding",
      "custom_integration",
      "solutions_architecture",
      "crm_migration",
    ]);
    expect(catalog.lists.product).toEqual([
      "smart_crm",
      "marketing_hub",
      "sales_hub",
      "service_hub",
      "content_hub",
      "operations_hub",
      "commerce_hub",
    ]);
    expect(catalog.lists.service).toHaveLength(15);
    for (const a of catalog.lists.accreditation) expect(catalog.codes.service.has(a)).toBe(true);
    expect(catalog.lists.industry).toHaveLength(20);
    expect(catalog.lists.customerSize).toEqual(["micro", "small", "medium", "large", "enterprise"]);
  });

  it("orders tiers Gold < Platinum < Diamond < Elite above untiered", () => {
    expect(catalog.lists.tier).toEqual(["none", "gold", "platinum", "diamond", "elite"]);
    expect(catalog.tierRank.elite).toBeGreaterThan(catalog.tierRank.diamond as number);
  });

  it("knows all ISO 3166-1 countries and resolves regions", () => {
    expect(catalog.codes.country.size).toBe(249);
    expect(catalog.codes.country.has("XX")).toBe(false);
    expect(catalog.inArea("BR", "LATAM")).toBe(true);
    expect(catalog.inArea("DE", "DACH")).toBe(true);
    expect(catalog.inArea("DE", "LATAM")).toBe(false);
    expect(catalog.inArea("FR", "FR")).toBe(true);
  });

  it("names every code in every interface language, falling back to English", () => {
    const data = catalogJson as unknown as Record<string, { code: string; labels?: object }[]>;
    for (const [list, entries] of Object.entries(data)) {
      for (const e of entries) {
        expect(Object.keys(e.labels ?? {}).sort(), `${list}.${e.code}`).toEqual(
          [...LABEL_LANGUAGES].sort(),
        );
      }
    }
    expect(catalog.label("industry", "healthcare", "de")).toBe("Gesundheitswesen");
    expect(catalog.label("industry", "healthcare", "ja")).toBe("ヘルスケア");
    expect(catalog.label("industry", "healthcare", "en")).toBe("Healthcare");
    expect(catalog.label("industry", "healthcare", "xx")).toBe("Healthcare");
    expect(catalog.label("industry", "healthcare")).toBe("Healthcare");
  });

  it("loads an English-only catalog (labels per language are optional)", () => {
    const plain = {
      ...catalogJson,
      industries: catalogJson.industries.map(({ code, label }) => ({ code, label })),
    };
    expect(buildCatalog(plain).label("industry", "healthcare", "de")).toBe("Healthcare");
  });

  it("refuses a label in a language the pages do not speak", () => {
    const odd = {
      ...catalogJson,
      industries: [{ code: "x", label: "X", labels: { it: "X" } }],
    };
    expect(() => buildCatalog(odd)).toThrow(/industries\[0\]\.labels/);
  });

  it("refuses a catalog that breaks its schema, naming the place", () => {
    const broken = { ...catalogJson, tiers: [{ code: "Gold!", rank: 1, label: "x" }] };
    expect(() => buildCatalog(broken)).toThrow(/tiers\[0\]\.code/);
  });
});

describe("bundled market policy", () => {
  it("does not offer matching in Japan by default", () => {
    expect(policy.matchingOffered("JP")).toBe(false);
    expect(policy.matchingOffered("DE")).toBe(true);
    expect(policy.matchingOffered("US")).toBe(true);
  });

  it("does not offer accreditations in JP, FR, ES and Latin America", () => {
    for (const c of ["JP", "FR", "ES", "BR", "MX", "AR"]) {
      for (const a of catalog.lists.accreditation)
        expect(policy.accreditationOffered(a, c)).toBe(false);
    }
    expect(policy.accreditationOffered("crm_implementation", "DE")).toBe(true);
  });

  it("can be replaced by an operator's file, validated against the catalog", () => {
    const custom = buildPolicy(
      { ...policyJson, matching: { ...policyJson.matching, notOfferedIn: ["DACH"] } },
      catalog,
    );
    expect(custom.matchingOffered("AT")).toBe(false);
    expect(custom.matchingOffered("JP")).toBe(true);
    expect(() =>
      buildPolicy(
        { ...policyJson, matching: { ...policyJson.matching, notOfferedIn: ["ATLANTIS"] } },
        catalog,
      ),
    ).toThrow(CatalogError);
  });
});
