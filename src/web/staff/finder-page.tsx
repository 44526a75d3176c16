/** @jsxImportSource hono/jsx */
// The staff partner finder as a page: a GET form with every customer field (so the page's URL
// is the shareable request), and the finder's answer made readable: eligibility, a bar per
// signal with its share of the score, capacity and track record, the partner of record, the
// coverage, teams, and where the order among near-equal scores rotates daily.
import type { Catalog } from "../../catalog/catalog.js";
import { MOTIONS } from "../../catalog/match-policy.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { formatters, type UiLanguage } from "../i18n/languages.js";
import { AnswerSection } from "./finder-answer.js";
import type { FieldErrorView, FinderAnswerView } from "./finder-view.js";
import { StaffLayout, type T, translator } from "./staff-layout.js";

export interface FinderPageProps {
  lang: UiLanguage;
  /** The page's own URL: the shareable request. */
  url: URL;
  nonce?: string | undefined;
  caller: string;
  catalog: Catalog;
  policy: MarketPolicy;
  /** The form's values as submitted. */
  params: URLSearchParams;
  errors?: FieldErrorView[];
  /** Names offered for the partner-of-record field ("Name (id)"). */
  partnerSuggestions?: { id: string; name: string }[];
  answer?: FinderAnswerView;
  /** The customer's country, where matching is not offered. */
  gated?: string;
}

/** The form's fields in the order shown, each with its message key (errors name them). */
export const FORM_FIELDS = {
  country: "country",
  languages: "languages",
  industry: "industry",
  companySize: "company_size",
  products: "products",
  needs: "needs",
  city: "city",
  lat: "lat",
  lon: "lon",
  partnerOfRecord: "partner_of_record",
  customerRef: "customer_ref",
  motion: "motion",
  limit: "limit",
} as const;
export type FormField = keyof typeof FORM_FIELDS;

function errorsOf(errors: FieldErrorView[] | undefined, field: string): FieldErrorView[] {
  return (errors ?? []).filter((e) => e.field === field);
}

/** The messages under a field, each naming the field, tied to it by aria-describedby. */
function FieldErrors({ field, errors, t }: { field: FormField; errors: FieldErrorView[]; t: T }) {
  if (errors.length === 0) return null;
  return (
    <p class="error" id={`${field}-error`}>
      {errors.map((e) => `${t(FORM_FIELDS[field])}: ${e.reason}`).join(" ")}
    </p>
  );
}

function describedBy(field: string, invalid: boolean, hint?: boolean): string | undefined {
  const ids = [...(hint ? [`${field}-hint`] : []), ...(invalid ? [`${field}-error`] : [])];
  return ids.length > 0 ? ids.join(" ") : undefined;
}

export function finderPage(props: FinderPageProps) {
  const { lang, url, nonce, caller, catalog, policy, params, errors, answer, gated } = props;
  const t = translator(lang);
  const f = formatters(lang);
  const collator = new Intl.Collator(lang);
  const byName = (a: { name: string }, b: { name: string }) => collator.compare(a.name, b.name);
  const countries = catalog.lists.country
    .map((code) => ({ code, name: f.region(code), offered: policy.matchingOffered(code) }))
    .sort(byName);
  const languages = catalog.lists.language
    .map((code) => ({ code, name: f.language(code) }))
    .sort(byName);
  const selected = (name: string) => new Set(params.getAll(name));
  const value = (name: string) => params.get(name) ?? "";
  const fieldErrors = (field: FormField) => errorsOf(errors, field);
  const cls = (field: FormField) => (fieldErrors(field).length > 0 ? "field invalid" : "field");
  const invalid = (field: FormField) => (fieldErrors(field).length > 0 ? "true" : undefined);

  const select = (field: FormField, kind: "industry" | "customerSize") => (
    <div class={cls(field)}>
      <label for={field}>{t(FORM_FIELDS[field])}</label>
      <select
        id={field}
        name={field}
        aria-invalid={invalid(field)}
        aria-describedby={describedBy(field, fieldErrors(field).length > 0)}
      >
        <option value="">{t("any")}</option>
        {catalog.lists[kind].map((code) => (
          <option value={code} selected={value(field) === code}>
            {catalog.label(kind, code, lang)}
          </option>
        ))}
      </select>
      <FieldErrors field={field} errors={fieldErrors(field)} t={t} />
    </div>
  );
  const checks = (field: "products" | "needs", kind: "product" | "service") => {
    const chosen = selected(field);
    const bad = fieldErrors(field).length > 0;
    return (
      <fieldset id={field} class="checks" aria-describedby={bad ? `${field}-error` : undefined}>
        <legend>{t(FORM_FIELDS[field])}</legend>
        {catalog.lists[kind].map((code) => (
          <label class="check">
            <input type="checkbox" name={field} value={code} checked={chosen.has(code)} />
            <span>{catalog.label(kind, code, lang)}</span>
          </label>
        ))}
        <FieldErrors field={field} errors={fieldErrors(field)} t={t} />
      </fieldset>
    );
  };
  const chosenLanguages = selected("languages");
  const suggestions = props.partnerSuggestions ?? [];

  return (
    <StaffLayout lang={lang} url={url} nonce={nonce} caller={caller} title={t("finder_title")}>
      <h1>{t("finder_title")}</h1>
      <p>{t("finder_intro")}</p>
      {errors && errors.length > 0 ? (
        <div class="errors" role="alert">
          <h2>{t("errors_title")}</h2>
          <ul>
            {errors.map((e) => (
              <li>
                <a href={`#${e.field}`}>{t(FORM_FIELDS[e.field as FormField] ?? "customer")}</a>:{" "}
                {e.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="get" action="/staff/finder" class="finder">
        <input type="hidden" name="lang" value={lang} />
        <fieldset>
          <legend>{t("customer")}</legend>
          <div class="fields">
            <div class={cls("country")}>
              <label for="country">{t("country")}</label>
              <select
                id="country"
                name="country"
                required
                aria-invalid={invalid("country")}
                aria-describedby={describedBy("country", fieldErrors("country").length > 0)}
              >
                <option value="">{t("choose_country")}</option>
                <optgroup label={t("matching_offered")}>
                  {countries
                    .filter((c) => c.offered)
                    .map((c) => (
                      <option value={c.code} selected={value("country").toUpperCase() === c.code}>
                        {c.name}
                      </option>
                    ))}
                </optgroup>
                <optgroup label={t("directory_only")}>
                  {countries
                    .filter((c) => !c.offered)
                    .map((c) => (
                      <option value={c.code} selected={value("country").toUpperCase() === c.code}>
                        {`${c.name} (${t("directory_only")})`}
                      </option>
                    ))}
                </optgroup>
              </select>
              <FieldErrors field="country" errors={fieldErrors("country")} t={t} />
            </div>
            <div class={cls("languages")}>
              <label for="languages">{t("languages")}</label>
              <select
                id="languages"
                name="languages"
                multiple
                size={5}
                aria-invalid={invalid("languages")}
                aria-describedby={describedBy("languages", fieldErrors("languages").length > 0)}
              >
                {languages.map((l) => (
                  <option value={l.code} selected={chosenLanguages.has(l.code)}>
                    {l.name}
                  </option>
                ))}
              </select>
              <FieldErrors field="languages" errors={fieldErrors("languages")} t={t} />
            </div>
            {select("industry", "industry")}
            {select("companySize", "customerSize")}
          </div>
          {checks("products", "product")}
          {checks("needs", "service")}
          <fieldset>
            <legend>{t("location")}</legend>
            <p class="hint" id="location-hint">
              {t("location_hint")}
            </p>
            <div class="fields">
              {(["city", "lat", "lon"] as const).map((field) => (
                <div class={cls(field)}>
                  <label for={field}>{t(field)}</label>
                  <input
                    type="text"
                    inputmode={field === "city" ? "text" : "decimal"}
                    id={field}
                    name={field}
                    value={value(field)}
                    aria-invalid={invalid(field)}
                    aria-describedby={`location-hint${fieldErrors(field).length > 0 ? ` ${field}-error` : ""}`}
                  />
                  <FieldErrors field={field} errors={fieldErrors(field)} t={t} />
                </div>
              ))}
            </div>
          </fieldset>
          <div class={cls("partnerOfRecord")}>
            <label for="partnerOfRecord">{t("partner_of_record")}</label>
            <input
              type="text"
              id="partnerOfRecord"
              name="partnerOfRecord"
              value={value("partnerOfRecord")}
              list="partner-suggestions"
              autocomplete="off"
              aria-invalid={invalid("partnerOfRecord")}
              aria-describedby={describedBy(
                "partnerOfRecord",
                fieldErrors("partnerOfRecord").length > 0,
                true,
              )}
            />
            <datalist id="partner-suggestions">
              {suggestions.map((s) => (
                <option value={`${s.name} (${s.id})`} />
              ))}
            </datalist>
            <p class="hint" id="partnerOfRecord-hint">
              {t("por_hint")}
            </p>
            <FieldErrors field="partnerOfRecord" errors={fieldErrors("partnerOfRecord")} t={t} />
          </div>
          <div class={cls("customerRef")}>
            <label for="customerRef">{t("customer_ref")}</label>
            <input
              type="text"
              id="customerRef"
              name="customerRef"
              value={value("customerRef")}
              autocomplete="off"
              aria-invalid={invalid("customerRef")}
              aria-describedby={describedBy(
                "customerRef",
                fieldErrors("customerRef").length > 0,
                true,
              )}
            />
            <p class="hint" id="customerRef-hint">
              {t("customer_ref_hint")}
            </p>
            <FieldErrors field="customerRef" errors={fieldErrors("customerRef")} t={t} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("deal")}</legend>
          <div class="fields">
            <div class={cls("motion")}>
              <label for="motion">{t("motion")}</label>
              <select id="motion" name="motion" aria-invalid={invalid("motion")}>
                <option value="">{t("any")}</option>
                {MOTIONS.map((m) => (
                  <option value={m} selected={value("motion") === m}>
                    {t(`motion_${m}`)}
                  </option>
                ))}
              </select>
              <FieldErrors field="motion" errors={fieldErrors("motion")} t={t} />
            </div>
            <div class={cls("limit")}>
              <label for="limit">{t("limit")}</label>
              <input
                type="number"
                id="limit"
                name="limit"
                min={1}
                max={policy.data.finder.maxLimit}
                value={value("limit") || String(policy.data.finder.defaultLimit)}
                aria-invalid={invalid("limit")}
                aria-describedby={describedBy("limit", fieldErrors("limit").length > 0)}
              />
              <FieldErrors field="limit" errors={fieldErrors("limit")} t={t} />
            </div>
          </div>
        </fieldset>
        <p>
          <button type="submit">{t("find")}</button>
        </p>
      </form>
      {gated ? (
        <section aria-labelledby="gated-title" class="notice">
          <h2 id="gated-title">{t("gated_title", { country: f.region(gated) })}</h2>
          <p>{t("gated_body")}</p>
          <p>
            <a href={`/directory?country=${encodeURIComponent(gated)}&lang=${lang}`}>
              {t("gated_link", { country: f.region(gated) })}
            </a>
          </p>
        </section>
      ) : null}
      {answer ? (
        <AnswerSection
          answer={answer}
          lang={lang}
          url={url}
          catalog={catalog}
          epsilon={policy.data.match.tieEpsilon}
        />
      ) : null}
    </StaffLayout>
  );
}
