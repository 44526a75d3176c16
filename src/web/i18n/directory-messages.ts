// Every string of the public pages (directory, profile, not-found) in the five interface
// languages, one file each under directory/. English is the reference: the other languages are
// typed against its keys, so a missing key fails the build, and a test checks that the
// {placeholders} agree too.
import { de } from "./directory/de.js";
import { type DirectoryMessageKey, en } from "./directory/en.js";
import { es } from "./directory/es.js";
import { fr } from "./directory/fr.js";
import { ja } from "./directory/ja.js";
import { type Messages, translate, type UiLanguage } from "./languages.js";

export type { DirectoryMessageKey };

export const directoryMessages: Messages<DirectoryMessageKey> = { en, de, fr, ja, es };

/** The pages' own names for the interface languages, for the language switcher. */
export const LANGUAGE_NAMES: Record<UiLanguage, string> = {
  en: "English",
  de: "Deutsch",
  fr: "Français",
  ja: "日本語",
  es: "Español",
};

type Vars = Record<string, string | number>;
/** Keys that come in a singular ("...One") and a plural ("...Other") form. */
type Counted<K extends string, All extends string = K> = K extends `${infer B}One`
  ? `${B}Other` extends All
    ? B
    : never
  : never;

/**
 * The page's text helpers for one language: `t` for a message, `count` for a message that
 * depends on a number (Intl.PluralRules picks the form; the number is formatted for the
 * language and passed as {count}).
 */
export function pageText(lang: UiLanguage) {
  const rules = new Intl.PluralRules(lang);
  const number = new Intl.NumberFormat(lang);
  const t = (key: DirectoryMessageKey, vars?: Vars) =>
    translate(directoryMessages, lang, key, vars);
  return {
    lang,
    t,
    count: (base: Counted<DirectoryMessageKey>, n: number, vars: Vars = {}) =>
      t(rules.select(n) === "one" ? `${base}One` : `${base}Other`, {
        ...vars,
        count: number.format(n),
      }),
  };
}
export type PageText = ReturnType<typeof pageText>;
