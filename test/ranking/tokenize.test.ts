import { describe, expect, it } from "vitest";
import { compoundParts, fold, queryTerms, tokenize } from "../../src/ranking/tokenize.js";

describe("tokenize", () => {
  it("lowercases and folds diacritics", () => {
    expect(tokenize("Lösungen für Köln")).toEqual(["losungen", "fur", "koln"]);
    expect(fold("Straße")).toBe("strasse");
  });

  it("splits German compounds into their parts as well", () => {
    expect(tokenize("Marketingagentur")).toEqual(["marketingagentur", "marketing", "agentur"]);
    expect(compoundParts("vertriebsberatung")).toContain("beratung");
    expect(compoundParts("hamburg")).toEqual([]);
  });

  it("turns Japanese runs into overlapping bigrams and keeps Latin words whole", () => {
    expect(tokenize("HubSpot導入支援")).toEqual(["hubspot", "導入", "入支", "支援"]);
    expect(tokenize("東")).toEqual(["東"]);
  });

  it("de-duplicates query terms in order", () => {
    expect(queryTerms("CRM crm Beratung")).toEqual(["crm", "beratung"]);
  });
});
