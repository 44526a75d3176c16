/** @jsxImportSource hono/jsx */
// The public solutions directory as a server-rendered page: the same search as the JSON API,
// accredited partners in their own block first, every filter as a multi-select facet with
// counts. Everything works as links and one GET form (state lives in the URL); the script in
// directory-script.ts only makes paging smoother.
import { Chips, Facets } from "./directory-filters.js";
import { type DirectoryPageProps, RADII } from "./directory-model.js";
import { Results } from "./directory-results.js";
import { Layout } from "./layout.js";

export type {
  DirectoryPageProps,
  DirectoryResultView,
  DirectorySupport,
  DirectoryView,
  DropSuggestion,
  InputError,
} from "./directory-model.js";
export { directoryHref, stateHref } from "./directory-model.js";

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
.to-filters{display:none}
@media (max-width:48rem){.layout{grid-template-columns:minmax(0,1fr)}section.results{order:2}aside{order:3}.to-filters{display:inline-block;margin-bottom:.5rem}}`;

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
          <aside aria-labelledby="filters-h" id="filters">
            <h2 id="filters-h">{t("filtersHeading")}</h2>
            {answer && <Facets {...props} answer={answer} />}
          </aside>
          <section class="results" id="results" aria-labelledby="results-h" tabindex={-1}>
            <h2 id="results-h">{t("resultsHeading")}</h2>
            {/* On a phone the filters come after the results: a way down to them. */}
            {answer && (
              <a class="to-filters" href="#filters">
                {t("filtersHeading")} ↓
              </a>
            )}
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

/**
 * The radius choices, plus the radius of the search on screen when a link asked for another:
 * the select must show the radius searched, or the next submit would silently change it.
 */
function radii(current: string | null): number[] {
  const km = Number(current);
  if (!current || !Number.isInteger(km) || RADII.includes(km)) return RADII;
  return [...RADII, km].sort((a, b) => a - b);
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
              autocomplete="address-level2"
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
              {radii(state.get("radiusKm")).map((km) => (
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
