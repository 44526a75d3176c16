/** @jsxImportSource hono/jsx */
// The public solutions directory as a server-rendered page: the same search as the JSON API,
// accredited partners first, with filters, facet counts and paging. No client script needed.
import type { Catalog, CodeKind } from "../catalog/catalog.js";
import type { PublicProfile } from "../partner/public-profile.js";

/** What the page shows of a directory answer (the JSON API's answer satisfies it). */
export interface DirectoryView {
  total: number;
  page: number;
  pageSize: number;
  results: (PublicProfile & { rank: number })[];
  facets: Partial<Record<string, Record<string, number>>>;
}

/** One input the search refused, named as the form names it. */
export interface InputError {
  name: string;
  reason: string;
}

interface Props {
  catalog: Catalog;
  /** The response's CSP nonce: the page's own style block carries it. */
  nonce?: string;
  params: URLSearchParams;
  answer?: DirectoryView;
  errors?: InputError[];
}

const STYLE = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b}
header{background:#12343b;color:#fff;padding:1rem 1.5rem}header h1{margin:0;font-size:1.3rem}
main{display:grid;grid-template-columns:16rem 1fr;gap:1.5rem;padding:1.5rem;max-width:72rem;margin:auto}
form.search{display:flex;gap:.5rem;margin-bottom:1rem;flex-wrap:wrap}form.search input[type=search]{min-width:14rem;padding:.45rem}
select,button,input{font:inherit}ol.results{list-style:none;padding:0;margin:0}
li.card{border:1px solid #d6d6d6;border-radius:8px;padding:.8rem 1rem;margin-bottom:.7rem}
li.card.accredited{border-color:#1d7a58;box-shadow:inset 4px 0 0 #1d7a58}
.badge{display:inline-block;font-size:.75rem;padding:.05rem .45rem;border-radius:99px;background:#eef;margin-right:.3rem}
.badge.acc{background:#d8f3e6;color:#0d5036}.meta{color:#555;font-size:.85rem}
aside h2{font-size:.9rem;margin:1rem 0 .3rem}aside ul{list-style:none;padding:0;margin:0;font-size:.85rem}
.errors{background:#fde8e8;border:1px solid #e0a0a0;padding:.6rem 1rem;border-radius:6px}
nav.pages a{margin-right:.8rem}li.card h2.name{font-size:1.05rem;margin:0 0 .2rem}
li.card p.desc{margin:.4rem 0}main>section.results{grid-column:2;grid-row:1}aside{grid-column:1;grid-row:1}
.skip{position:absolute;left:-999rem}.skip:focus{left:1rem;top:.5rem;background:#fff;color:#12343b;padding:.3rem .6rem;z-index:1}
form.search label{display:flex;flex-direction:column;font-size:.8rem;color:#444}form.search label.q{flex:1}
form.search label.check{flex-direction:row;align-items:center;gap:.3rem;align-self:flex-end}li.card{overflow-wrap:anywhere}select{max-width:100%}
@media (max-width:48rem){main{grid-template-columns:minmax(0,1fr);padding:1rem;gap:1rem}
main>section.results,aside{grid-column:auto;grid-row:auto}form.search label.q{flex-basis:100%}
form.search input[type=search]{min-width:0}}`;

function link(params: URLSearchParams, change: Record<string, string | undefined>): string {
  const next = new URLSearchParams(params);
  for (const [k, v] of Object.entries(change)) {
    if (v === undefined) next.delete(k);
    else next.set(k, v);
  }
  if (!("page" in change)) next.delete("page");
  return `/directory?${next.toString()}`;
}

function Select(props: { name: string; kind: CodeKind; catalog: Catalog; value: string | null }) {
  const { name, kind, catalog, value } = props;
  return (
    <label>
      {name[0]?.toUpperCase()}
      {name.slice(1)}
      <select name={name}>
        <option value="">any {name}</option>
        {catalog.lists[kind].map((c) => (
          <option value={c} selected={c === value}>
            {kind === "country" ? c : catalog.label(kind, c)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function directoryPage({ catalog, params, answer, errors, nonce }: Props) {
  const facetFields: [string, CodeKind][] = [
    ["industry", "industry"],
    ["tier", "tier"],
    ["country", "country"],
    ["language", "language"],
  ];
  const pages = answer ? Math.ceil(answer.total / answer.pageSize) : 0;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Solutions directory</title>
        <style nonce={nonce}>{STYLE}</style>
      </head>
      <body>
        <a class="skip" href="#results">
          Skip to the results
        </a>
        <header>
          <h1>Find a solutions partner</h1>
        </header>
        <main>
          <section class="results" id="results">
            <form class="search" method="get" action="/directory">
              <label class="q">
                Search
                <input
                  type="search"
                  name="q"
                  value={params.get("q") ?? ""}
                  placeholder="Search partners"
                />
              </label>
              <Select
                name="country"
                kind="country"
                catalog={catalog}
                value={params.get("country")}
              />
              <Select
                name="industry"
                kind="industry"
                catalog={catalog}
                value={params.get("industry")}
              />
              <label class="check">
                <input
                  type="checkbox"
                  name="accredited"
                  value="true"
                  checked={params.get("accredited") === "true"}
                />{" "}
                accredited only
              </label>
              <button type="submit">Search</button>
            </form>
            {errors && (
              <div class="errors" role="alert">
                <ul>
                  {errors.map((e) => (
                    <li>
                      <b>{e.name}</b>: {e.reason}
                    </li>
                  ))}
                </ul>
              </div>
            )}
            {answer && (
              <>
                <p class="total" data-total={String(answer.total)}>
                  {answer.total} partners
                </p>
                <ol class="results">
                  {answer.results.map((r) => (
                    <li
                      class={r.accredited ? "card accredited" : "card"}
                      data-id={r.id}
                      data-accredited={String(r.accredited)}
                    >
                      <h2 class="name">
                        <a href={`/v1/directory/partners/${encodeURIComponent(r.id)}`}>{r.name}</a>
                      </h2>
                      <div>
                        {r.badges.map((b) => (
                          <span class={b.startsWith("accredited_") ? "badge acc" : "badge"}>
                            {b.replace(/_/g, " ")}
                          </span>
                        ))}
                      </div>
                      <p class="desc">{r.description}</p>
                      <div class="meta">
                        {r.locations.map((l) => `${l.city}, ${l.country}`).join(" · ")} ·{" "}
                        {r.languages.join(", ")} ·{" "}
                        {r.reviews.count > 0
                          ? `★ ${r.reviews.average.toFixed(1)} (${r.reviews.count})`
                          : "no reviews yet"}
                      </div>
                    </li>
                  ))}
                </ol>
                {pages > 1 && (
                  <nav class="pages">
                    {answer.page > 1 && (
                      <a href={link(params, { page: String(answer.page - 1) })}>previous</a>
                    )}
                    <span>
                      page {answer.page} of {pages}
                    </span>
                    {answer.page < pages && (
                      <a rel="next" href={link(params, { page: String(answer.page + 1) })}>
                        next
                      </a>
                    )}
                  </nav>
                )}
              </>
            )}
          </section>
          <aside>
            {answer &&
              facetFields.map(([field, kind]) => {
                const counts = answer.facets[field] ?? {};
                return (
                  <section data-facet={field}>
                    <h2>{field}</h2>
                    <ul>
                      {Object.entries(counts)
                        .slice(0, 12)
                        .map(([value, n]) => (
                          <li>
                            <a href={link(params, { [field]: value })}>
                              {kind === "country" ? value : catalog.label(kind, value)}
                            </a>{" "}
                            ({n})
                          </li>
                        ))}
                    </ul>
                  </section>
                );
              })}
          </aside>
        </main>
      </body>
    </html>
  );
}
