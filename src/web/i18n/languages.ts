// Which interface language a page speaks: `?lang=` first, then the browser's Accept-Language,
// then English. Shared by every page for people (directory, profile, staff finder), so a link
// or a browser setting means the same thing everywhere.

export const UI_LANGUAGES = ["en", "de", "fr", "ja", "es"] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
export const DEFAULT_UI_LANGUAGE: UiLanguage = "en";

export function isUiLanguage(v: unknown): v is UiLanguage {
  return typeof v === "string" && (UI_LANGUAGES as readonly string[]).includes(v);
}

/** A language range as RFC 9110 allows it: "de", "de-AT", "*". */
const LANGUAGE_RANGE = /^(?:[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)$/;

/** The primary subtag of a language tag, lower-cased: "de-AT" -> "de". */
function primary(tag: string): string {
  return tag.trim().split(/[-_]/)[0]?.toLowerCase() ?? "";
}

/**
 * The languages an Accept-Language header asks for, best first (RFC 9110 12.5.4: q-values, ties
 * kept in header order, q=0 meaning "not this one"). A malformed entry is skipped, never an error:
 * a header is advice.
 */
export function acceptedLanguages(header: string | undefined | null): string[] {
  if (!header) return [];
  const entries: { tag: string; q: number; i: number }[] = [];
  // A header longer than this is not a browser's; reading its first part is enough.
  header
    .slice(0, 1024)
    .split(",")
    .forEach((part, i) => {
      const [tag = "", ...params] = part.split(";");
      let q = 1;
      for (const p of params) {
        const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p);
        if (m) q = Number(m[1]);
      }
      const t = tag.trim();
      if (LANGUAGE_RANGE.test(t) && q > 0) entries.push({ tag: t, q, i });
    });
  entries.sort((a, b) => b.q - a.q || a.i - b.i);
  return entries.map((e) => e.tag);
}

/** `?lang=` when it names an interface language, else the best Accept-Language match, else en. */
export function negotiateLanguage(
  queryLang: string | undefined | null,
  acceptLanguage: string | undefined | null,
): UiLanguage {
  if (queryLang) {
    const p = primary(queryLang);
    if (isUiLanguage(p)) return p;
  }
  for (const tag of acceptedLanguages(acceptLanguage)) {
    const p = primary(tag);
    if (isUiLanguage(p)) return p;
  }
  return DEFAULT_UI_LANGUAGE;
}

/**
 * The same page in every interface language, for `<link rel="alternate" hreflang>`: the URL with
 * `lang` set, plus `x-default` without it (the browser's language decides).
 */
export function languageAlternates(url: URL): { hreflang: string; href: string }[] {
  const out: { hreflang: string; href: string }[] = UI_LANGUAGES.map((lang) => {
    const u = new URL(url);
    u.searchParams.set("lang", lang);
    return { hreflang: lang, href: u.toString() };
  });
  const d = new URL(url);
  d.searchParams.delete("lang");
  out.push({ hreflang: "x-default", href: d.toString() });
  return out;
}

/** One page's strings in every interface language; English is the complete reference. */
export type Messages<K extends string> = Record<UiLanguage, Record<K, string>>;

/**
 * A message with `{name}` placeholders filled in. Values are inserted as text: the page's JSX
 * escapes the result, so nothing here builds HTML.
 */
export function translate<K extends string>(
  messages: Messages<K>,
  lang: UiLanguage,
  key: K,
  vars: Record<string, string | number> = {},
): string {
  const template = messages[lang][key] ?? messages.en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

/** Numbers, dates and names as the interface language writes them, by Intl. */
export function formatters(lang: UiLanguage) {
  const number = new Intl.NumberFormat(lang);
  const date = new Intl.DateTimeFormat(lang, { dateStyle: "medium" });
  const regions = new Intl.DisplayNames([lang], { type: "region", fallback: "code" });
  const languages = new Intl.DisplayNames([lang], { type: "language", fallback: "code" });
  return {
    number: (n: number) => number.format(n),
    decimal: (n: number, digits = 1) =>
      new Intl.NumberFormat(lang, {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(n),
    date: (d: Date | string) => date.format(typeof d === "string" ? new Date(d) : d),
    /** A country's name from its ISO 3166 code ("DE" -> "Deutschland" in de). */
    region: (code: string) => safe(() => regions.of(code), code),
    /** A language's name from its ISO 639 code ("ja" -> "Japanisch" in de). */
    language: (code: string) => safe(() => languages.of(code), code),
  };
}

function safe(f: () => string | undefined, fallback: string): string {
  try {
    return f() ?? fallback;
  } catch {
    // Intl.DisplayNames throws on a syntactically invalid code; the code itself is the label.
    return fallback;
  }
}
