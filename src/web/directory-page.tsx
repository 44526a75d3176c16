/** @jsxImportSource hono/jsx */
// The public solutions directory as a server-rendered page: the same search as the JSON API,
// accredited partners in their own block first, every filter as a multi-select facet with
// counts. Everything works as links and one GET form (state lives in the URL); the script in
// directory-script.ts only makes paging smoother.
import type { Catalog, CodeKind } from "../catalog/catalog.js";
import type { PublicProfile } from "../partner/public-profile.js";
import { FILTER_FIELD_KIND, FILTER_FIELDS, type FilterField } from "../ranking/directory.js";
import type { PageText } from "./i18n/directory-messages.js";
import { formatters } from "./i18n/languages.js";
import { Layout } from "./layout.js";
import { Badges, Stars } from "./partner-bits.js";

/** One result as the page shows it; the geo fields come with `near`/`country` filters. */
export type DirectoryResultView = PublicProfile & {
  rank: number;
  distanceKm?: number;
  locatedIn?: boolean;
};

/** What the page shows of a directory answer (the JSON API's answer satisfies it). */
export interface DirectoryView {
  total: number;
  page: number;
  pageSize: number;
  results: DirectoryResultView[];
  facets: Partial<Record<string, Record<string, number>>>;
  /** Words the text search left out because no partner matched them all. */
  relaxed?: { dropped: string[] };
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
const RADII = [10, 25, 50, 100, 250, 500, 1000];
const FIELD_KEYS = {
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
const CATALOG_ORDER: ReadonlySet<FilterField> = new Set(["tier", "customerSize"]);
/** Parameters that only narrow the search; "clear all" drops these and keeps the rest. */
const NARROWING = new Set<string>([...FILTER_FIELDS, "near", "radiusKm", "budgetUsd"]);

const STYLE = `.layout{display:grid;grid-template-columns:17rem minmax(0,1fr);gap:1.5rem;align-items:start}
form.search{grid-column:1/-1;display:flex;flex-wrap:wrap;gap:.6rem 1rem;align-items:flex-end}
form.search label{display:flex;flex-direction:column;font-size:.9rem;gap:.15rem}
form.search .q{flex:1 1 18rem}form.search input,form.search select{padding:.4rem;border:1px solid #767676;border-radius:4px;max-width:100%}
form.search .q input{width:100%}form.search button,aside button{padding:.45rem 1rem;border:0;border-radius:4px;background:#0b4f8a;color:#fff}
form.search .near{display:flex;gap:.4rem;align-items:flex-end;flex-wrap:wrap}button.secondary{background:#fff!important;color:#0b4f8a!important;border:1px solid #0b4f8a!important}
.hint{font-size:.8rem;color:#555}
aside fieldset{border:0;border-top:1px solid #ddd;margin:0;padding:.6rem 0}aside legend{font-weight:600;padding:0}
aside ul{list-style:none;margin:.2rem 0;padding:0}aside li label{display:flex;gap:.4rem;align-items:baseline;padding:.1rem 0}
aside .count{color:#555;font-size:.85rem}aside details summary{cursor:pointer;color:#0b4f8a;padding:.2rem 0}
aside h2{margin:0 0 .3rem}
ul.chips{list-style:none;padding:0;margin:0 0 .6rem;display:flex;flex-wrap:wrap;gap:.4rem}
ul.chips a{display:inline-block;padding:.15rem .6rem;border:1px solid #0b4f8a;border-radius:99px;text-decoration:none}
.total{font-weight:600}.notice{background:#fff6dc;border:1px solid #d9b54a;padding:.6rem .9rem;border-radius:6px}
.errors{background:#fde8e8;border:1px solid #e0a0a0;padding:.6rem 1rem;border-radius:6px}
ol.results{list-style:none;padding:0;margin:0}section.block{margin-bottom:1.2rem}
section.block.acc{background:#f1faf5;border:1px solid #1d7a58;border-radius:8px;padding:.2rem .9rem .6rem}
li.card{border:1px solid #ccc;border-radius:8px;padding:.7rem 1rem;margin-bottom:.7rem;background:#fff;overflow-wrap:anywhere}
li.card.accredited{border-color:#1d7a58;box-shadow:inset 4px 0 0 #1d7a58}
li.card h3{margin:0 0 .2rem}li.card p.desc{margin:.3rem 0}.meta{color:#444;font-size:.9rem}
nav.pages ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem}nav.pages a,nav.pages span{display:inline-block;min-width:2.2rem;padding:.3rem .5rem;text-align:center}
nav.pages a[aria-current]{background:#0b4f8a;color:#fff;border-radius:4px}
[hidden]{display:none!important}
@media (max-width:48rem){.layout{grid-template-columns:minmax(0,1fr)}section.results{order:2}aside{order:3}}`;

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

export function directoryPage(props: DirectoryPageProps) {
  const { text, nonce, alternates, answer, errors } = props;
  const { t } = text;
  return (
    <Layout
      text={text}
      title={t("directoryTitle")}
      nonce={nonce}
      alternates={alternates}
      skip={{ href: "#results", label: t("skipToResults") }}
      style={STYLE}
      script="/assets/directory.js"
    >
      <main class="page-wrap" id="main">
        <h1>{t("directoryTitle")}</h1>
        <div class="layout">
          <SearchForm {...props} />
          <aside aria-labelledby="filters-h">
            <h2 id="filters-h">{t("filtersHeading")}</h2>
            {answer && <Facets {...props} answer={answer} />}
          </aside>
          <section class="results" id="results" aria-labelledby="results-h" tabindex={-1}>
            <h2 id="results-h">{t("resultsHeading")}</h2>
            {errors && (
              <div class="errors" role="alert">
                <p>{t("errorsTitle")}</p>
                <ul>
                  {errors.map((e) => (
                    <li>
                      <b>{e.name}</b>: {e.reason}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            <Chips {...props} />
            {answer && <Results {...props} answer={answer} />}
          </section>
        </div>
      </main>
    </Layout>
  );
}

function SearchForm({ text, state, support }: DirectoryPageProps) {
  const { t } = text;
  const sort = state.get("sort") ?? "relevance";
  const near = state.get("near") ?? "";
  const sorts = support.sorts.filter((s) => s !== "distance" || near !== "");
  return (
    <form class="search" id="f" method="get" action="/directory">
      <label class="q">
        {t("searchLabel")}
        <input
          type="search"
          name="q"
          value={state.get("q") ?? ""}
          placeholder={t("searchPlaceholder")}
          autocomplete="off"
        />
      </label>
      <button type="submit">{t("searchButton")}</button>
      {support.near && (
        <div class="near">
          <label>
            {t("nearLabel")}
            <input
              type="text"
              name="near"
              value={near}
              inputmode="decimal"
              pattern="\s*-?\d+(\.\d+)?\s*,\s*-?\d+(\.\d+)?\s*"
              aria-describedby="near-hint"
              size={16}
            />
          </label>
          <button
            type="button"
            class="secondary"
            id="locate"
            hidden
            data-locating={t("locating")}
            data-failed={t("locationFailed")}
          >
            {t("useMyLocation")}
          </button>
          <span class="hint" id="near-hint" aria-live="polite">
            {t("nearHint")}
          </span>
          <label>
            {t("radiusLabel")}
            <select name="radiusKm">
              {RADII.map((km) => (
                <option
                  value={String(km)}
                  selected={String(km) === (state.get("radiusKm") ?? "100")}
                >
                  {t("radiusOption", { km })}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      {support.budget && (
        <label>
          {t("budgetLabel")}
          <input
            type="number"
            name="budgetUsd"
            min="0"
            step="1000"
            value={state.get("budgetUsd") ?? ""}
          />
        </label>
      )}
      <label>
        {t("sortLabel")}
        <select name="sort">
          {sorts.map((s) => (
            <option value={s} selected={s === sort}>
              {t(`sort_${s}` as "sort_relevance")}
            </option>
          ))}
        </select>
      </label>
      {state.has("lang") && <input type="hidden" name="lang" value={state.get("lang") ?? ""} />}
      {state.has("pageSize") && (
        <input type="hidden" name="pageSize" value={state.get("pageSize") ?? ""} />
      )}
    </form>
  );
}

function Facets(props: DirectoryPageProps & { answer: DirectoryView }) {
  const { catalog, text, state, answer } = props;
  const { t } = text;
  const name = valueNamer(catalog, text);
  const number = formatters(text.lang).number;
  return (
    <>
      {FILTER_FIELDS.map((field) => {
        const counts = answer.facets[field] ?? {};
        const selected = new Set(state.getAll(field));
        if (field === "accredited") {
          return (
            <fieldset data-facet={field}>
              <legend>{t(FIELD_KEYS[field])}</legend>
              <label>
                <input
                  type="checkbox"
                  name="accredited"
                  value="true"
                  form="f"
                  checked={selected.has("true")}
                />{" "}
                {t("accreditedOnly")} <span class="count">({number(counts.true ?? 0)})</span>
              </label>
            </fieldset>
          );
        }
        const kind = FILTER_FIELD_KIND[field] as CodeKind;
        const order = CATALOG_ORDER.has(field)
          ? catalog.lists[kind]
          : Object.keys(counts).sort(
              (a, b) =>
                (counts[b] ?? 0) - (counts[a] ?? 0) ||
                name(field, a).localeCompare(name(field, b), text.lang),
            );
        const values = [
          ...[...selected].filter((v) => catalog.codes[kind].has(v)),
          ...order.filter((v) => !selected.has(v) && (counts[v] ?? 0) > 0),
        ];
        if (values.length === 0) return null;
        const item = (v: string) => (
          <li>
            <label>
              <input type="checkbox" name={field} value={v} form="f" checked={selected.has(v)} />
              <span>
                {name(field, v)} <span class="count">({number(counts[v] ?? 0)})</span>
              </span>
            </label>
          </li>
        );
        const shown = values.slice(0, FACET_VISIBLE);
        const more = values.slice(FACET_VISIBLE);
        return (
          <fieldset data-facet={field}>
            <legend>{t(FIELD_KEYS[field])}</legend>
            <ul>{shown.map(item)}</ul>
            {more.length > 0 && (
              <details>
                <summary>{t("showMore", { count: number(more.length) })}</summary>
                <ul>{more.map(item)}</ul>
              </details>
            )}
          </fieldset>
        );
      })}
      <button type="submit" form="f">
        {t("applyFilters")}
      </button>
    </>
  );
}

function Chips({ catalog, text, state }: DirectoryPageProps) {
  const { t } = text;
  const name = valueNamer(catalog, text);
  const chips: { label: string; value: string; href: string }[] = [];
  for (const field of FILTER_FIELDS) {
    const values = state.getAll(field);
    for (const v of values) {
      chips.push({
        label: t(FIELD_KEYS[field]),
        value: name(field, v),
        href: directoryHref(state, { [field]: values.filter((x) => x !== v) }),
      });
    }
  }
  if (state.has("near")) {
    chips.push({
      label: t("nearLabel"),
      value: state.get("near") ?? "",
      href: directoryHref(state, {
        near: undefined,
        radiusKm: undefined,
        ...(state.get("sort") === "distance" ? { sort: undefined } : {}),
      }),
    });
  }
  if (state.has("budgetUsd")) {
    chips.push({
      label: t("budgetLabel"),
      value: state.get("budgetUsd") ?? "",
      href: directoryHref(state, { budgetUsd: undefined }),
    });
  }
  if (chips.length === 0) return null;
  const cleared = new URLSearchParams(
    [...state].filter(([k]) => !NARROWING.has(k) && !(k === "sort" && state.has("near"))),
  );
  return (
    <nav aria-label={t("selectedFilters")} class="chips">
      <ul class="chips">
        {chips.map((c) => (
          <li>
            <a
              href={c.href}
              class="chip"
              aria-label={t("removeFilter", { filter: c.label, value: c.value })}
            >
              {c.value} <span aria-hidden="true">×</span>
            </a>
          </li>
        ))}
        <li>
          <a href={directoryHref(cleared)} class="clear-all">
            {t("clearAll")}
          </a>
        </li>
      </ul>
    </nav>
  );
}

function Results(props: DirectoryPageProps & { answer: DirectoryView }) {
  const { text, state, answer, maxPage } = props;
  const { t } = text;
  const f = formatters(text.lang);
  const pages = Math.min(Math.ceil(answer.total / answer.pageSize), maxPage);
  const grouped = (state.get("sort") ?? "relevance") === "relevance";
  const accredited = grouped ? answer.results.filter((r) => r.accredited) : [];
  const others = grouped ? answer.results.filter((r) => !r.accredited) : answer.results;
  const dropped = answer.relaxed?.dropped ?? [];
  return (
    <>
      <p class="total" data-total={String(answer.total)} aria-live="polite">
        {text.count("total", answer.total)}
      </p>
      {dropped.length > 0 && (
        <p class="notice relaxed">
          {t("relaxed", { words: dropped.map((w) => `“${w}”`).join(", ") })}
        </p>
      )}
      {answer.total === 0 && <EmptyState {...props} />}
      {answer.total > 0 && answer.page > pages && (
        <p class="notice past-last">
          {t("pastLast", { page: f.number(answer.page), pages: f.number(pages) })}{" "}
          <a href={directoryHref(state, { page: String(pages) })}>{t("pastLastLink")}</a>
        </p>
      )}
      {accredited.length > 0 && (
        <section class="block acc" aria-labelledby="acc-h">
          <h2 id="acc-h">{t("accreditedHeading")}</h2>
          <ResultList {...props} results={accredited} />
        </section>
      )}
      {others.length > 0 && (
        <section class="block" aria-labelledby="other-h">
          <h2 id="other-h">{accredited.length > 0 ? t("otherHeading") : t("partnersHeading")}</h2>
          <ResultList {...props} results={others} />
        </section>
      )}
      {pages > 1 && answer.page <= pages && (
        <Pager text={text} state={state} page={answer.page} pages={pages} />
      )}
    </>
  );
}

function ResultList({
  catalog,
  text,
  state,
  results,
}: DirectoryPageProps & { results: DirectoryResultView[] }) {
  const { t } = text;
  const f = formatters(text.lang);
  const back = new URLSearchParams(state);
  const profileHref = (id: string) => {
    const q = new URLSearchParams();
    if (state.has("lang")) q.set("lang", state.get("lang") ?? "");
    if ([...back].length > 0) q.set("back", back.toString());
    const qs = q.toString();
    return `/partners/${encodeURIComponent(id)}${qs ? `?${qs}` : ""}`;
  };
  return (
    <ol class="results">
      {results.map((r) => (
        <li
          class={r.accredited ? "card accredited" : "card"}
          data-id={r.id}
          data-accredited={String(r.accredited)}
        >
          <h3>
            <a href={profileHref(r.id)}>{r.name}</a>
          </h3>
          <Badges catalog={catalog} text={text} badges={r.badges} />
          <p class="desc">{r.description}</p>
          <p class="meta">
            {r.locations.map((l) => `${l.city}, ${f.region(l.country)}`).join(" · ")}
            {r.distanceKm !== undefined && <> · {t("distance", { km: f.decimal(r.distanceKm) })}</>}
            {r.locatedIn === false && <> · {t("servesRemotely")}</>}
            <br />
            {r.languages.map((l) => f.language(l)).join(", ")} ·{" "}
            <Stars text={text} reviews={r.reviews} />
          </p>
        </li>
      ))}
    </ol>
  );
}

function Pager(props: { text: PageText; state: URLSearchParams; page: number; pages: number }) {
  const { text, state, page, pages } = props;
  const { t } = text;
  const f = formatters(text.lang);
  const shown = new Set([1, pages, page - 2, page - 1, page, page + 1, page + 2]);
  const numbers = [...shown].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const href = (n: number) => directoryHref(state, { page: n === 1 ? undefined : String(n) });
  return (
    <nav class="pages" aria-label={t("pagination")}>
      <p class="muted">{t("pageOf", { page: f.number(page), pages: f.number(pages) })}</p>
      <ul>
        {page > 1 && (
          <li>
            <a rel="prev" href={href(page - 1)}>
              {t("previous")}
            </a>
          </li>
        )}
        {numbers.map((n, i) => (
          <>
            {i > 0 && n - (numbers[i - 1] ?? n) > 1 && (
              <li>
                <span aria-hidden="true">…</span>
              </li>
            )}
            <li>
              <a
                href={href(n)}
                aria-current={n === page ? "page" : undefined}
                aria-label={t("pageN", { page: f.number(n) })}
              >
                {f.number(n)}
              </a>
            </li>
          </>
        ))}
        {page < pages && (
          <li>
            <a rel="next" href={href(page + 1)}>
              {t("next")}
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}

function EmptyState({ catalog, text, state, suggestions }: DirectoryPageProps) {
  const { t } = text;
  const name = valueNamer(catalog, text);
  const useful = (suggestions ?? []).filter((s) => s.count > 0);
  const describe = (drop: string): string => {
    if (drop === "q") return t("filterText", { q: state.get("q") ?? "" });
    if (drop === "near") return t("filterNear");
    if (drop === "budgetUsd") return t("filterBudget");
    const field = drop as FilterField;
    const values = state.getAll(field).map((v) => name(field, v));
    return `${t(FIELD_KEYS[field])}: ${values.join(", ")}`;
  };
  return (
    <div class="empty">
      <p>{t("emptyTitle")}</p>
      {useful.length > 0 ? (
        <>
          <p>{t("emptyHintDrop")}</p>
          <ul class="suggestions">
            {useful.map((s) => (
              <li data-drop={s.drop} data-count={String(s.count)}>
                <a href={s.href}>
                  {text.count("dropSuggestion", s.count, { filter: describe(s.drop) })}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t("emptyNothing")}</p>
      )}
    </div>
  );
}
