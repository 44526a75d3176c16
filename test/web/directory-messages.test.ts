// Every string of the public pages exists in every interface language, non-empty, with the
// same {placeholders} as the English reference (a translation that drops {count} would show a
// sentence without its number).
import { describe, expect, it } from "vitest";
import { directoryMessages, pageText } from "../../src/web/i18n/directory-messages.js";
import { UI_LANGUAGES } from "../../src/web/i18n/languages.js";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("directory messages", () => {
  const keys = Object.keys(directoryMessages.en).sort();

  it.each(UI_LANGUAGES)(
    "%s has every key, each non-empty, with the reference's placeholders",
    (lang) => {
      const messages = directoryMessages[lang] as Record<string, string>;
      expect(Object.keys(messages).sort()).toEqual(keys);
      for (const k of keys) {
        const m = messages[k] as string;
        expect(m.trim().length, `${lang}.${k}`).toBeGreaterThan(0);
        expect(placeholders(m), `${lang}.${k}`).toEqual(
          placeholders((directoryMessages.en as Record<string, string>)[k] as string),
        );
      }
    },
  );

  it("picks the plural form by the language's rules and formats the number", () => {
    expect(pageText("en").count("total", 1)).toBe("1 partner found");
    expect(pageText("en").count("total", 1234)).toBe("1,234 partners found");
    expect(pageText("de").count("total", 1234)).toBe("1.234 Partner gefunden");
    expect(pageText("fr").count("total", 0)).toBe("0 partenaire trouvé");
    expect(pageText("ja").count("total", 1)).toBe("1 件のパートナー");
  });
});
