import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  pickRelaxation,
  relaxationLevels,
  tokenMatch,
  withinOneEdit,
} from "../../src/ranking/text-match.js";
import { queryWords } from "../../src/ranking/tokenize.js";

/** Optimal-string-alignment distance by the textbook table, over code points. */
function osa(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const d = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      row[j] = Math.min(
        (up[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (up[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[x.length] as number[])[y.length] as number;
}

describe("withinOneEdit", () => {
  it("accepts one substitution, insertion, deletion or swap of neighbours", () => {
    expect(withinOneEdit("migration", "migration")).toBe(true);
    expect(withinOneEdit("migraton", "migration")).toBe(true);
    expect(withinOneEdit("migrations", "migration")).toBe(true);
    expect(withinOneEdit("migratiom", "migration")).toBe(true);
    expect(withinOneEdit("imgration", "migration")).toBe(true);
    expect(withinOneEdit("migratoin", "migration")).toBe(true);
  });

  it("rejects two edits, and counts code points, not UTF-16 units", () => {
    expect(withinOneEdit("migratn", "migration")).toBe(false);
    expect(withinOneEdit("imgratoin", "migration")).toBe(false);
    expect(withinOneEdit("ab", "ba")).toBe(true);
    expect(withinOneEdit("abc", "ca")).toBe(false);
    expect(withinOneEdit("𠮷野家", "吉野家")).toBe(true);
    expect(withinOneEdit("𠮷野", "吉野家")).toBe(false);
  });

  it("agrees with the optimal-string-alignment distance for random words", () => {
    const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "ü", "𠮷"), maxLength: 7 });
    fc.assert(
      fc.property(word, word, (a, b) => {
        expect(withinOneEdit(a, b)).toBe(osa(a, b) <= 1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("queryWords", () => {
  it("keeps words in typed order, unique, and lets only the last one match as a prefix", () => {
    const words = queryWords("CRM Migration crm Hamb");
    expect(words.map((w) => w.text)).toEqual(["CRM", "Migration", "Hamb"]);
    expect(words.map((w) => w.alternatives[0]?.[0]?.prefix)).toEqual([false, false, true]);
  });

  it("leaves out function words unless the query has nothing else", () => {
    expect(queryWords("migration des données").map((w) => w.text)).toEqual([
      "migration",
      "données",
    ]);
    expect(queryWords("Lösungen für Hersteller").map((w) => w.text)).toEqual([
      "Lösungen",
      "Hersteller",
    ]);
    expect(queryWords("the").map((w) => w.text)).toEqual(["the"]);
  });

  it("allows one edit only for words of five letters or more", () => {
    const fuzzy = (q: string) => queryWords(q).map((w) => w.alternatives[0]?.[0]?.fuzzy);
    expect(fuzzy("wien hamburg seo köln")).toEqual([false, true, false, false]);
    expect(fuzzy("sales")).toEqual([true]);
  });

  it("lets a German compound match whole or by all its parts, and CJK by all its bigrams", () => {
    const [compound] = queryWords("Marketingagentur");
    expect(compound?.alternatives.map((a) => a.map((t) => t.term))).toEqual([
      ["marketingagentur"],
      ["marketing", "agentur"],
    ]);
    const words = queryWords("HubSpot導入支援");
    expect(words.map((w) => w.text)).toEqual(["HubSpot", "導入支援"]);
    const cjk = words[1]?.alternatives[0] ?? [];
    expect(cjk.map((t) => t.term)).toEqual(["導入", "入支", "支援"]);
    expect(cjk.some((t) => t.prefix || t.fuzzy)).toBe(false);
  });
});

describe("tokenMatch", () => {
  const [last] = queryWords("migrat");
  const [typo] = queryWords("migraton crm");
  const [short] = queryWords("wien crm");
  it("matches exactly, by prefix for the last word, within one edit for long words", () => {
    const t = (w: typeof last) =>
      w?.alternatives[0]?.[0] as NonNullable<typeof w>["alternatives"][0][0];
    expect(tokenMatch(t(last), "migration")).toBe("loose");
    expect(tokenMatch(t(typo), "migration")).toBe("loose");
    expect(tokenMatch(t(typo), "migratonx")).toBe("loose");
    expect(tokenMatch(t(typo), "migratonxy")).toBeUndefined();
    expect(tokenMatch(t(short), "wein")).toBeUndefined();
    expect(tokenMatch(t(short), "wien")).toBe("exact");
    expect(tokenMatch(t(short), "wiener")).toBeUndefined();
  });
});

describe("relaxation", () => {
  it("tries dropping one word before two, earlier words kept first, never all", () => {
    expect([...relaxationLevels(3, 100)]).toEqual([
      [
        [0, 1],
        [0, 2],
        [1, 2],
      ],
      [[0], [1], [2]],
    ]);
    expect([...relaxationLevels(1, 100)]).toEqual([]);
  });

  it("stops listing subsets at the cap", () => {
    expect([...relaxationLevels(4, 5)].flat()).toHaveLength(5);
  });

  it("picks the subset matching the most partners, ties to the earlier one, none for zero", () => {
    const level = [
      [0, 1],
      [0, 2],
      [1, 2],
    ];
    expect(pickRelaxation(level, [3, 7, 7])).toEqual([0, 2]);
    expect(pickRelaxation(level, [5, 5, 0])).toEqual([0, 1]);
    expect(pickRelaxation(level, [0, 0, 0])).toBeUndefined();
  });
});
