import { describe, expect, it } from "vitest";
import {
  acceptedLanguages,
  formatters,
  languageAlternates,
  negotiateLanguage,
  translate,
} from "../../src/web/i18n/languages.js";

describe("interface language", () => {
  it("takes ?lang= first, then Accept-Language by q-value, then English", () => {
    expect(negotiateLanguage("ja", "de-DE,de;q=0.9")).toBe("ja");
    expect(negotiateLanguage("xx", "fr-CH, fr;q=0.9, en;q=0.8")).toBe("fr");
    expect(negotiateLanguage(undefined, "it, es;q=0.5, de;q=0.7")).toBe("de");
    expect(negotiateLanguage(undefined, "es;q=0, de;q=0.1")).toBe("de");
    expect(negotiateLanguage(undefined, "it, pt")).toBe("en");
    expect(negotiateLanguage(undefined, undefined)).toBe("en");
    expect(negotiateLanguage("DE-at", undefined)).toBe("de");
  });

  it("reads a malformed header as advice, never as an error", () => {
    expect(acceptedLanguages(";;,q=,,de;q=abc")).toEqual(["de"]);
    expect(negotiateLanguage(undefined, "x".repeat(100_000))).toBe("en");
  });

  it("lists the page in every language plus x-default", () => {
    const alts = languageAlternates(new URL("https://x.test/directory?q=crm&lang=de"));
    expect(alts.map((a) => a.hreflang)).toEqual(["en", "de", "fr", "ja", "es", "x-default"]);
    expect(alts.at(-1)?.href).toBe("https://x.test/directory?q=crm");
    expect(alts[3]?.href).toBe("https://x.test/directory?q=crm&lang=ja");
  });

  it("fills placeholders and falls back to English", () => {
    const m = {
      en: { hi: "{n} partners", only: "x" },
      de: { hi: "{n} Partner", only: "" },
      fr: { hi: "{n} partenaires", only: "x" },
      ja: { hi: "{n} 件", only: "x" },
      es: { hi: "{n} socios", only: "x" },
    };
    expect(translate(m, "de", "hi", { n: "1.234" })).toBe("1.234 Partner");
    expect(translate(m, "ja", "hi", {})).toBe("{n} 件");
  });

  it("formats numbers and names by Intl", () => {
    expect(formatters("de").number(1234567)).toBe("1.234.567");
    expect(formatters("de").region("DE")).toBe("Deutschland");
    expect(formatters("ja").language("de")).toBe("ドイツ語");
    expect(formatters("en").region("not a code")).toBe("not a code");
  });
});
