import fc from "fast-check";
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

describe("tokenize's kept word tokens", () => {
  // A Latin word's tokens as computed without the memo: folded, then its compound parts.
  const direct = (text: string) =>
    text
      .normalize("NFKC")
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .flatMap((w) => {
        const t = fold(w);
        return t ? [t, ...(t.length >= 8 ? compoundParts(t) : [])] : [];
      });
  const word = fc.stringMatching(/^[A-Za-zÄÖÜäöüßéèñ]{1,24}$/);

  it("give the tokens computed afresh, first time and repeated, past the memo's size", () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), (words) => {
        const text = words.join(" ");
        expect(tokenize(text)).toEqual(direct(text));
        expect(tokenize(text)).toEqual(direct(text));
      }),
      { numRuns: 300, seed: 12 },
    );
    // More distinct words than the memo keeps: it is cleared, and answers stay the same.
    for (let i = 0; i < 70_000; i++) tokenize(`vertriebsberatung${i}x`);
    expect(tokenize("Marketingagentur Vertriebsberatung")).toEqual(
      direct("Marketingagentur Vertriebsberatung"),
    );
  });
});
