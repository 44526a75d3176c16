// Server-rendered pages for people: the directory, partner profiles and the API docs.
import { type Context, Hono } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Catalog } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { toPublicProfile } from "../../partner/public-profile.js";
import { DIRECTORY_SORTS, FILTER_FIELDS, maxPage } from "../../ranking/directory.js";
import { findPlace, type Place } from "../../ranking/places.js";
import { lookUp } from "../../search/backend.js";
import {
  type DirectoryView,
  type DropSuggestion,
  directoryHref,
  directoryPage,
  stateHref,
} from "../../web/directory-page.js";
import { DIRECTORY_SCRIPT } from "../../web/directory-script.js";
import { docsPage } from "../../web/docs-page.js";
import { pageText } from "../../web/i18n/directory-messages.js";
import { isUiLanguage, languageAlternates, negotiateLanguage } from "../../web/i18n/languages.js";
import { notFoundPage, profilePage } from "../../web/profile-page.js";
import { STALE_HEADER } from "../cache.js";
import type { AppEnv } from "../env.js";
import { PROBLEMS } from "../problem.js";
import { MAX_FIELD_ERRORS } from "../validation.js";
import { directoryQuerySchema, directorySearcher } from "./directory.js";
import { PARTNER_ID } from "./schemas.js";

/** At most this many extra searches find the empty state's "drop this filter" counts. */
export const MAX_DROP_SEARCHES = 6;
/** A `back` link longer than this is not one the directory made; it is ignored. */
const MAX_BACK_LENGTH = 4096;

/** An HTML page, in standards mode: the doctype first. */
function page(
  c: Context,
  body: HtmlEscapedString | Promise<HtmlEscapedString>,
  status: 200 | 400 | 404 = 200,
) {
  return c.html(html`<!doctype html>${body}`, status);
}

/** The interface language of this request; the answer says so and varies by the header. */
function language(c: Context) {
  const lang = negotiateLanguage(c.req.query("lang"), c.req.header("accept-language"));
  c.header("content-language", lang);
  c.header("vary", "Accept-Language", { append: true });
  return pageText(lang);
}

export function webRoutes(catalog: Catalog, policy: MarketPolicy) {
  const app = new Hono<AppEnv>();
  const search = directorySearcher(catalog, policy);

  const dp = policy.data.directory;
  const deepest = maxPage(dp);
  const docs = {
    problems: PROBLEMS,
    maxPageSize: dp.maxPageSize,
    defaultPageSize: dp.defaultPageSize,
    maxPage: deepest,
    sorts: DIRECTORY_SORTS,
  };
  app.get("/docs", (c) => page(c, docsPage({ ...docs, nonce: c.var.secureHeadersNonce })));
  app.get("/", (c) => c.redirect("/directory"));
  app.get("/assets/directory.js", (c) =>
    c.body(DIRECTORY_SCRIPT, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=3600",
    }),
  );

  // The page searches with the JSON API's own query schema; only its parameters are kept. The
  // page offers `near`, `budgetUsd` and each sort only when that schema knows them.
  const known = new Set(Object.keys(directoryQuerySchema(catalog, policy).shape));
  const support = {
    near: known.has("near"),
    budget: known.has("budgetUsd"),
    sorts: DIRECTORY_SORTS as readonly string[],
  };
  /**
   * The page's state from a query: the search's own parameters, plus `lang` when it names an
   * interface language. Empty form fields are "any"; and a page for people ignores what it does
   * not know (a campaign's utm_*, gclid, fbclid, ref...): a link from an ad never breaks it.
   */
  const stateOf = (query: URLSearchParams) => {
    const state = new URLSearchParams();
    for (const [k, v] of query) {
      if (v !== "" && (known.has(k) || (k === "lang" && isUiLanguage(v)))) state.append(k, v);
    }
    // The form always sends its radius (and may keep a distance sort) while the place box is
    // empty: without a place they mean nothing, and the API would refuse them.
    if (!state.has("near")) {
      state.delete("radiusKm");
      if (state.get("sort") === "distance") state.delete("sort");
    }
    return state;
  };
  const searchOf = (state: URLSearchParams, change: Record<string, string | undefined> = {}) => {
    const q = new URLSearchParams(state);
    q.delete("lang");
    for (const [k, v] of Object.entries(change)) {
      if (v === undefined) q.delete(k);
      else q.set(k, v);
    }
    return `http://directory.invalid/?${q.toString()}`;
  };

  /**
   * The place a `near` names: undefined when there is no `near` or it is coordinates (the API's
   * schema judges those), null when it names no place we know.
   */
  const placeIn = (state: URLSearchParams): Place | undefined | null => {
    const near = state.get("near");
    if (near === null || /^\s*[-+]?\d/.test(near)) return undefined;
    return findPlace(near) ?? null;
  };
  const withNear = (state: URLSearchParams, p: Place) => {
    const out = new URLSearchParams(state);
    out.set("near", `${p.lat},${p.lon}`);
    return out;
  };

  app.get("/directory", async (c) => {
    const url = new URL(c.req.url);
    const text = language(c);
    const state = stateOf(url.searchParams);
    const { backend } = c.var.deps;
    const base = {
      catalog,
      text,
      nonce: c.var.secureHeadersNonce,
      alternates: languageAlternates(new URL(stateHref(state), url)),
      state,
      support,
      maxPage: deepest,
    };
    // A page past the deepest one served is answered like any page past the last: with the
    // total, so that the page can explain and link to the last page instead of refusing.
    const asked = Number(state.get("page"));
    const beyond = Number.isInteger(asked) && asked > deepest;
    // A place named in `near` is searched by its coordinates; the page (its links, its input)
    // keeps the name the visitor typed.
    const place = placeIn(state);
    if (place === null) {
      const reason = text.t("nearUnknown", { place: state.get("near") ?? "" });
      return page(c, directoryPage({ ...base, errors: [{ name: "near", reason }] }), 400);
    }
    const searched = place ? withNear(state, place) : state;
    const answer = await search(backend, searchOf(searched, beyond ? { page: undefined } : {}));
    if (!answer.ok) {
      const errors = answer.errors.slice(0, MAX_FIELD_ERRORS);
      return page(c, directoryPage({ ...base, errors }), 400);
    }
    if (answer.stale) c.header(STALE_HEADER, answer.stale.asOf);
    const view: DirectoryView = beyond ? { ...answer.body, page: asked, results: [] } : answer.body;
    const suggestions =
      view.total === 0 ? await dropSuggestions(searched, (u) => search(backend, u)) : undefined;
    return page(
      c,
      directoryPage({ ...base, answer: view, ...(suggestions ? { suggestions } : {}) }),
    );
  });

  /**
   * For an empty result, what each narrowing would give if dropped: one search per dropped
   * filter (a whole field, the words, the location, the budget), at most MAX_DROP_SEARCHES.
   */
  async function dropSuggestions(
    state: URLSearchParams,
    run: (url: string) => ReturnType<typeof search>,
  ): Promise<DropSuggestion[]> {
    const drops: { drop: string; remove: string[] }[] = [];
    if (state.has("q")) drops.push({ drop: "q", remove: ["q"] });
    for (const f of FILTER_FIELDS) if (state.has(f)) drops.push({ drop: f, remove: [f] });
    if (state.has("near")) {
      const remove = ["near", "radiusKm", ...(state.get("sort") === "distance" ? ["sort"] : [])];
      drops.push({ drop: "near", remove });
    }
    if (state.has("budgetUsd")) drops.push({ drop: "budgetUsd", remove: ["budgetUsd"] });
    const out: DropSuggestion[] = [];
    for (const { drop, remove } of drops.slice(0, MAX_DROP_SEARCHES)) {
      const without = new URLSearchParams(state);
      for (const k of remove) without.delete(k);
      const r = await run(searchOf(without, { page: undefined, pageSize: "1" }));
      if (!r.ok) continue;
      const change = Object.fromEntries(remove.map((k) => [k, undefined]));
      out.push({ drop, count: r.body.total, href: directoryHref(state, change) });
    }
    return out.sort((a, b) => b.count - a.count);
  }

  app.get("/partners/:id", async (c) => {
    const url = new URL(c.req.url);
    const text = language(c);
    const own = new URLSearchParams();
    const lang = url.searchParams.get("lang");
    if (isUiLanguage(lang)) own.set("lang", lang);
    // Back to the search this visit came from: rebuilt from the known parameters only.
    const back = url.searchParams.get("back") ?? "";
    const backState = stateOf(new URLSearchParams(back.length <= MAX_BACK_LENGTH ? back : ""));
    if (isUiLanguage(lang)) backState.set("lang", lang);
    const id = c.req.param("id");
    const wellFormed = PARTNER_ID.test(id);
    const path = `/partners/${encodeURIComponent(id)}`;
    // A malformed id (any length) is not echoed six times into the 404's language links.
    const here = wellFormed ? path : "/directory";
    const common = {
      catalog,
      text,
      nonce: c.var.secureHeadersNonce,
      alternates: languageAlternates(new URL(`${here}?${own.toString()}`, url)),
      backHref: stateHref(backState),
    };
    const found = wellFormed ? await lookUp(c.var.deps.backend, id) : undefined;
    if (found?.stale) c.header(STALE_HEADER, found.stale.asOf);
    const p = found?.profile;
    if (!p?.directoryListed) return page(c, notFoundPage(common), 404);
    const profile = toPublicProfile(p, catalog, policy);
    return page(c, profilePage({ ...common, profile, canonical: new URL(path, url).toString() }));
  });

  return app;
}
