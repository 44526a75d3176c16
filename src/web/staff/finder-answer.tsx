/** @jsxImportSource hono/jsx */
// The finder's answer on the staff page: the shareable link and CSV export, the partner of
// record, the candidates with a bar per signal (its share of the score, drawn by CSS classes
// since the CSP allows no inline styles), the coverage and the teams.
import type { Catalog } from "../../catalog/catalog.js";
import { COVERAGE_CONDITIONS } from "../../ranking/coverage.js";
import { formatters, type UiLanguage } from "../i18n/languages.js";
import {
  type CandidateView,
  type FinderAnswerView,
  rotationGroups,
  shareOf,
} from "./finder-view.js";
import { type T, translator } from "./staff-layout.js";

interface AnswerProps {
  answer: FinderAnswerView;
  lang: UiLanguage;
  url: URL;
  catalog: Catalog;
  epsilon: number;
}

/** The CSV export of the same request: the same parameters on the .csv path. */
export function csvHref(url: URL): string {
  return `/staff/finder.csv${url.search}`;
}

function Candidate({
  c,
  t,
  lang,
  catalog,
  rotates,
}: {
  c: CandidateView;
  t: T;
  lang: UiLanguage;
  catalog: Catalog;
  rotates: number | undefined;
}) {
  const f = formatters(lang);
  const p = c.partner;
  const cap = p.internal.capacity;
  const headingId = `cand-${c.rank}`;
  const track = Object.entries(p.internal.trackRecord.products).sort((a, b) => b[1] - a[1]);
  return (
    <li
      class={c.eligibility === "accredited" ? "candidate accredited" : "candidate"}
      data-id={p.id}
      aria-labelledby={headingId}
    >
      <h3 id={headingId}>
        {f.number(c.rank)}. {p.name}
      </h3>
      <div class="tags">
        <span class={c.eligibility === "accredited" ? "tag acc" : "tag"}>
          {t(`eligibility_${c.eligibility}`)}
        </span>
        <span class="tag">
          {t("score")} {f.decimal(c.score, 3)}
        </span>
        {rotates !== undefined ? (
          <span class="tag rot">{t("rotates_tag", { n: f.number(rotates) })}</span>
        ) : null}
      </div>
      <dl class="facts">
        <dt>ID</dt>
        <dd>{p.id}</dd>
        <dt>{t("tier")}</dt>
        <dd>{catalog.label("tier", p.tier, lang)}</dd>
        <dt>{t("located")}</dt>
        <dd>{p.locations.map((l) => `${l.city}, ${f.region(l.country)}`).join("; ")}</dd>
        <dt>{t("capacity")}</dt>
        <dd>
          {cap.acceptingReferrals ? t("accepting") : t("not_accepting")};{" "}
          {t("capacity_value", {
            open: f.number(cap.openReferrals),
            max: f.number(cap.maxOpenReferrals),
          })}
        </dd>
        <dt>{t("track_record")}</dt>
        <dd>
          {track.length === 0
            ? t("track_none")
            : track
                .map(([code, n]) => `${catalog.label("product", code, lang)}: ${f.number(n)}`)
                .join(", ")}
        </dd>
        <dt>{t("retention")}</dt>
        <dd>{new Intl.NumberFormat(lang, { style: "percent" }).format(p.internal.retention)}</dd>
      </dl>
      <table class="breakdown">
        <caption class="skip">{t("reasons")}</caption>
        <thead>
          <tr>
            <th scope="col" class="sig">
              {t("signal")}
            </th>
            <th scope="col" class="share">
              {t("share")}
            </th>
            <th scope="col" class="num">
              {t("contribution")}
            </th>
          </tr>
        </thead>
        <tbody>
          {c.reasons.map((r) => {
            const share = shareOf(r.contribution, c.score);
            const pct = Math.round(share * 100);
            return (
              <tr>
                <th scope="row" class="sig">
                  {t(`sig_${r.signal}`)}
                  <span class="hint">{r.detail}</span>
                </th>
                <td class="share">
                  <span class="share-cell">
                    <span class="track" aria-hidden="true">
                      <span class={`bar w${pct}`} />
                    </span>
                    <span class="pct">
                      {new Intl.NumberFormat(lang, { style: "percent" }).format(share)}
                    </span>
                  </span>
                </td>
                <td class="num">{f.decimal(r.contribution, 3)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </li>
  );
}

export function AnswerSection({ answer, lang, url, catalog, epsilon }: AnswerProps) {
  const t = translator(lang);
  const f = formatters(lang);
  const groups = rotationGroups(
    answer.candidates.map((c) => c.score),
    epsilon,
  );
  const names = new Map(answer.candidates.map((c) => [c.partner.id, c.partner.name]));
  const por = answer.partnerOfRecord;
  const cov = answer.coverage;
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">{t("results")}</h2>
      <p>
        {t("results_count", {
          count: f.number(answer.candidates.length),
          market: f.region(answer.market),
        })}
      </p>
      {answer.staleAsOf ? (
        <p class="notice">{t("stale", { date: f.date(answer.staleAsOf) })}</p>
      ) : null}
      <div class="field share">
        <label for="share-url">{t("share_url")}</label>
        <input
          type="url"
          id="share-url"
          readonly
          value={url.toString()}
          aria-describedby="share-hint"
        />
        <p class="hint" id="share-hint">
          {t("share_hint")}
        </p>
      </div>
      <p>
        <a href={csvHref(url)} download>
          {t("csv")}
        </a>
      </p>
      {por ? (
        <p class="notice">
          <strong>{t("por_status")}:</strong>{" "}
          {por.eligible
            ? t("por_first", { id: names.get(por.id) ?? por.id })
            : por.found
              ? t("por_ineligible", {
                  id: por.id,
                  rule: por.failedRule ? t(`cond_${por.failedRule}`) : "",
                })
              : t("por_missing", { id: por.id })}
        </p>
      ) : null}
      {answer.candidates.length === 0 ? <p>{t("no_candidates")}</p> : null}
      {groups.some((g) => g !== undefined) ? (
        <p class="rotates notice">{t("rotates", { epsilon: f.decimal(epsilon, 3) })}</p>
      ) : null}
      <ol class="candidates">
        {answer.candidates.map((c, i) => (
          <Candidate c={c} t={t} lang={lang} catalog={catalog} rotates={groups[i]} />
        ))}
      </ol>
      <h2 id="coverage">{t("coverage")}</h2>
      <dl class="facts coverage">
        <dt>{t("considered")}</dt>
        <dd>{f.number(answer.considered)}</dd>
        <dt>{t("passed_hard_rules")}</dt>
        <dd data-key="passedHardRules">{f.number(cov.passedHardRules)}</dd>
        <dt>{t("eligible")}</dt>
        <dd data-key="eligible">{f.number(cov.eligible)}</dd>
      </dl>
      <table class="excluded">
        <caption>{t("excluded_by")}</caption>
        <tbody>
          {COVERAGE_CONDITIONS.map((k) => (
            <tr data-key={k}>
              <th scope="row">{t(`cond_${k}`)}</th>
              <td class="num">{f.number(cov.excludedBy[k])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {answer.teams ? (
        <>
          <h2 id="teams">{t("teams")}</h2>
          {answer.teams.length === 0 ? (
            <p>
              {answer.candidates.some((c) =>
                answer.needs.every((n) => c.partner.services.includes(n)),
              )
                ? t("no_team_needed")
                : t("no_team_found")}
            </p>
          ) : (
            <ol class="teams">
              {answer.teams.map((team, i) => (
                <li>
                  <h3>
                    {t("team_n", { n: f.number(i + 1) })} —{" "}
                    {t("team_score", { score: f.decimal(team.score, 3) })}
                  </h3>
                  <ul>
                    {Object.entries(team.covers).map(([need, id]) => (
                      <li>
                        {catalog.label("service", need, lang)}: {names.get(id) ?? id} ({id})
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          )}
        </>
      ) : null}
      <p class="hint">
        {t("answered", { date: f.date(answer.answeredAt), version: answer.rankingVersion })}
      </p>
    </section>
  );
}
