// What the directory page is made of: the answer it shows, its props, and the links it builds.
// Shared by the page and its parts (directory-filters.tsx, directory-results.tsx).
import type { Catalog, CodeKind } from "../catalog/catalog.js";
import type { PublicProfile } from "../partner/public-profile.js";
import { FILTER_FIELD_KIND, FILTER_FIELDS, type FilterField } from "../ranking/directory.js";
import type { PageText } from "./i18n/directory-messages.js";
import { formatters } from "./i18n/languages.js";

/** One result as the page shows it; the geo fields come with `near`/`country` filters. */
export type DirectoryResultView = PublicProfile & {
  rank: number;
  distanceKm?: number | undefined;
  locatedIn?: boolean | undefined;
};

/** What the page shows of a directory answer (the JSON API's answer satisfies it). */
export interface DirectoryView {
  total: number;
  page: number;
  pageSize: number;
  results: DirectoryResultView[];
  facets: Partial<Record<string, Record<string, number>>>;
  /** Words the text search left out because no partner matched them all. */
  relaxed?: { dropped: readonly string[] } | undefined;
}

/** One input the search refused, named as the form names it. */
export interface InputError {
  name: string;
  reason: string;
}

/** "Drop this and you get n partners": one of the empty state's ways out. */
export interface DropSuggestion {
  /** A filter field, or `q`, `near`, `budgetUsd`. */
  drop: string;
  count: number;
  href: string;
}

/** Which of the API's optional parameters this build knows (the page offers only those). */
export interface DirectorySupport {
  near: boolean;
  budget: boolean;
  sorts: readonly string[];
}

export interface DirectoryPageProps {
  catalog: Catalog;
  text: PageText;
  nonce?: string | undefined;
  alternates: { hreflang: string; href: string }[];
  /** The page's own state: the search's parameters plus `lang` when the URL gave it. */
  state: URLSearchParams;
  support: DirectorySupport;
  /** The deepest page the directory serves. */
  maxPage: number;
  answer?: DirectoryView;
  errors?: InputError[];
  suggestions?: DropSuggestion[];
}

/** Facet values shown before "show more". */
export const FACET_VISIBLE = 8;
export const RADII = [10, 25, 50, 100, 250, 500, 1000];
export const FIELD_KEYS = {
  country: "facet_country",
  language: "facet_language",
  industry: "facet_industry",
  service: "facet_service",
  product: "facet_product",
  customerSize: "facet_customerSize",
  tier: "facet_tier",
  accredited: "facet_accredited",
} as const satisfies Record<FilterField, string>;
/** Lists with a natural order (sizes, tiers) keep it; the others list the most frequent first. */
export const CATALOG_ORDER: ReadonlySet<FilterField> = new Set(["tier", "customerSize"]);
/** Parameters that only narrow the search; "clear all" drops these and keeps the rest. */
export const NARROWING = new Set<string>([...FILTER_FIELDS, "near", "radiusKm", "budgetUsd"]);

type Change = Record<string, string | readonly string[] | undefined>;

/** A directory URL: the current state with some parameters changed; paging restarts at 1. */
export function directoryHref(state: URLSearchParams, change: Change = {}): string {
  const next = new URLSearchParams(state);
  for (const [k, v] of Object.entries(change)) {
    next.delete(k);
    if (v === undefined) continue;
    for (const x of typeof v === "string" ? [v] : v) next.append(k, x);
  }
  if (!("page" in change)) next.delete("page");
  return stateHref(next);
}

/** The directory URL of exactly this state (the page included). */
export function stateHref(state: URLSearchParams): string {
  const qs = state.toString();
  return qs ? `/directory?${qs}` : "/directory";
}

/** The page's names for filter values: Intl for countries and languages, the catalog otherwise. */
export function valueNamer(catalog: Catalog, text: PageText) {
  const f = formatters(text.lang);
  return (field: FilterField, value: string): string => {
    if (field === "accredited") return text.t("accreditedOnly");
    if (field === "country") return f.region(value);
    if (field === "language") return f.language(value);
    return catalog.label(FILTER_FIELD_KIND[field] as CodeKind, value, text.lang);
  };
}
