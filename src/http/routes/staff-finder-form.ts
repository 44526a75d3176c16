// The staff finder form, read into the finder API's own request: the query string (a GET form,
// so the URL is the shareable request) is turned into a match body and validated by the same
// schema POST /v1/match uses, so the page can never accept what the API refuses. Errors come
// back under the form's field names. A partner of record may be given by name: it is looked up
// in the directory and resolved to its id, or the candidates are offered as suggestions.

import { z } from "zod";
import type { Catalog } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import type { MatchRequest } from "../../ranking/match.js";
import { findPlace } from "../../ranking/places.js";
import { lookUp, type SearchBackend } from "../../search/backend.js";
import { translate, type UiLanguage } from "../../web/i18n/languages.js";
import { STAFF_MESSAGES } from "../../web/i18n/staff-messages.js";
import type { FieldErrorView } from "../../web/staff/finder-view.js";
import { directorySearcher } from "./directory.js";
import { matchBodySchema } from "./match.js";
import { PARTNER_ID } from "./schemas.js";

/**
 * The form as it arrives: every field optional text, a list field as a list. A single-valued
 * field given twice (a hand-edited URL) counts once; its value is checked by the match schema.
 */
const text = z.preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().optional());
const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== ""));
export const FinderFormSchema = z.object({
  country: text,
  languages: list,
  industry: text,
  companySize: text,
  products: list,
  needs: list,
  city: text,
  lat: text,
  lon: text,
  partnerOfRecord: text,
  customerRef: text,
  motion: text,
  limit: text,
});
export type FinderForm = z.output<typeof FinderFormSchema>;

export type FormReading =
  | { ok: true; request: MatchRequest; body: unknown }
  | {
      ok: false;
      errors: FieldErrorView[];
      body: unknown;
      suggestions?: { id: string; name: string }[];
    };

/** "Name (p-000123)", as the suggestions offer it, names its id. */
const SUGGESTED = /\(([A-Za-z0-9][A-Za-z0-9_.-]{0,63})\)\s*$/;
const MAX_SUGGESTIONS = 8;

/** Where a match-body issue belongs on the form. */
function fieldOf(path: readonly PropertyKey[]): string {
  const [first, second, third] = path;
  if (first === "customer") {
    if (second === "location") return third === "lon" ? "lon" : "lat";
    if (second === "id") return "customerRef";
    return typeof second === "string" ? second : "country";
  }
  return typeof first === "string" ? first : "country";
}

export function finderFormReader(catalog: Catalog, policy: MarketPolicy) {
  const schema = matchBodySchema(catalog, policy);
  const search = directorySearcher(catalog, policy);
  const maxQuery = policy.data.directory.maxQueryLength;

  /** The partner of record's id, or why it cannot be told. */
  async function partnerOfRecord(
    backend: SearchBackend,
    given: string,
    lang: UiLanguage,
  ): Promise<{ id: string } | { error: string; suggestions: { id: string; name: string }[] }> {
    const suggested = SUGGESTED.exec(given)?.[1];
    if (suggested) return { id: suggested };
    if (PARTNER_ID.test(given) && (await lookUp(backend, given)).profile) return { id: given };
    const q = given.slice(0, maxQuery);
    const found = await search(
      backend,
      `http://local/v1/directory/partners?pageSize=${MAX_SUGGESTIONS}&q=${encodeURIComponent(q)}`,
    );
    const hits = found.ok ? found.body.results.map((r) => ({ id: r.id, name: r.name })) : [];
    const exact = hits.filter((h) => h.name.toLocaleLowerCase() === given.toLocaleLowerCase());
    if (exact.length === 1) return { id: (exact[0] as { id: string }).id };
    if (hits.length === 1) return { id: (hits[0] as { id: string }).id };
    // An id of an unknown (or unlisted) partner still goes to the finder, which says so.
    if (hits.length === 0 && PARTNER_ID.test(given)) return { id: given };
    const key = hits.length === 0 ? "por_not_found" : "por_ambiguous";
    return { error: translate(STAFF_MESSAGES, lang, key, { name: given }), suggestions: hits };
  }

  return async function read(
    backend: SearchBackend,
    form: FinderForm,
    lang: UiLanguage,
  ): Promise<FormReading> {
    const t = (key: "required" | "both_coordinates" | "not_a_number") =>
      translate(STAFF_MESSAGES, lang, key);
    const city = form.city?.trim() ?? "";
    const errors: FieldErrorView[] = [];
    const customer: Record<string, unknown> = { country: form.country ?? "" };
    if (form.languages.length > 0) customer.languages = form.languages;
    if (form.industry) customer.industry = form.industry;
    if (form.companySize) customer.companySize = form.companySize;
    if (form.products.length > 0) customer.products = form.products;
    if (form.needs.length > 0) customer.needs = form.needs;
    const lat = form.lat?.trim() ?? "";
    const lon = form.lon?.trim() ?? "";
    if (lat !== "" || lon !== "") {
      const num = (s: string) => (/^-?\d+(\.\d+)?$/.test(s) ? Number(s) : Number.NaN);
      const location = { lat: num(lat), lon: num(lon) };
      if (lat === "" || lon === "") {
        errors.push({ field: lat === "" ? "lat" : "lon", reason: t("both_coordinates") });
      } else {
        if (Number.isNaN(location.lat)) errors.push({ field: "lat", reason: t("not_a_number") });
        if (Number.isNaN(location.lon)) errors.push({ field: "lon", reason: t("not_a_number") });
      }
      customer.location = location;
    } else if (city !== "") {
      // Coordinates win when both are given: they are the more exact answer.
      const place = findPlace(city);
      if (place) customer.location = { lat: place.lat, lon: place.lon };
      else {
        errors.push({
          field: "city",
          reason: translate(STAFF_MESSAGES, lang, "unknown_place", { name: city }),
        });
      }
    }
    let suggestions: { id: string; name: string }[] | undefined;
    const por = form.partnerOfRecord?.trim();
    if (por) {
      const r = await partnerOfRecord(backend, por, lang);
      if ("id" in r) customer.partnerOfRecord = r.id;
      else {
        errors.push({ field: "partnerOfRecord", reason: r.error });
        suggestions = r.suggestions;
      }
    }
    const ref = form.customerRef?.trim();
    if (ref) customer.id = ref;
    const body: Record<string, unknown> = { customer };
    if (form.motion) body.motion = form.motion;
    if (form.limit) body.limit = /^\d{1,4}$/.test(form.limit) ? Number(form.limit) : form.limit;
    if (!form.country) errors.push({ field: "country", reason: t("required") });
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = fieldOf(issue.path);
        // Already said in the form's own words (a missing country, a coordinate not a number).
        if (errors.some((e) => e.field === field)) continue;
        errors.push({ field, reason: issue.message });
      }
    }
    if (errors.length > 0 || !parsed.success) {
      return { ok: false, errors, body, ...(suggestions ? { suggestions } : {}) };
    }
    const v = parsed.data;
    return {
      ok: true,
      body: v,
      request: { customer: v.customer, ...(v.motion ? { motion: v.motion } : {}), limit: v.limit },
    };
  };
}
