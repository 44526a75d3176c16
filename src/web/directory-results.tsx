/** @jsxImportSource hono/jsx */
// The directory's results: the total, accredited partners in their own block, the cards,
// numbered paging (and what a page past the last says), and the empty state's ways out.
import type { FilterField } from "../ranking/directory.js";
import {
  type DirectoryPageProps,
  type DirectoryResultView,
  type DirectoryView,
  directoryHref,
  FIELD_KEYS,
  valueNamer,
} from "./directory-model.js";
import type { PageText } from "./i18n/directory-messages.js";
import { formatters } from "./i18n/languages.js";
import { Badges, Stars } from "./partner-bits.js";

export function Results(props: DirectoryPageProps & { answer: DirectoryView }) {
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
          <a href={directoryHref(state, { page: String(pages) })}>
            {t("pastLastLink", { pages: f.number(pages) })}
          </a>
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
