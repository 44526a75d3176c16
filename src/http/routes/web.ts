// Server-rendered pages for people: the directory and the API docs.
import { type Context, Hono } from "hono";
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Catalog } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { DIRECTORY_SORTS, maxPage } from "../../ranking/directory.js";
import { directoryPage } from "../../web/directory-page.js";
import { docsPage } from "../../web/docs-page.js";
import { STALE_HEADER } from "../cache.js";
import type { AppEnv } from "../env.js";
import { PROBLEMS } from "../problem.js";
import { MAX_FIELD_ERRORS } from "../validation.js";
import { directoryQuerySchema, directorySearcher } from "./directory.js";

/** An HTML page, in standards mode: the doctype first. */
function page(
  c: Context,
  body: HtmlEscapedString | Promise<HtmlEscapedString>,
  status: 200 | 400 = 200,
) {
  return c.html(html`<!doctype html>${body}`, status);
}

export function webRoutes(catalog: Catalog, policy: MarketPolicy) {
  const app = new Hono<AppEnv>();
  const search = directorySearcher(catalog, policy);

  const dp = policy.data.directory;
  const docs = {
    problems: PROBLEMS,
    maxPageSize: dp.maxPageSize,
    defaultPageSize: dp.defaultPageSize,
    maxPage: maxPage(dp),
    sorts: DIRECTORY_SORTS,
  };
  app.get("/docs", (c) => page(c, docsPage({ ...docs, nonce: c.var.secureHeadersNonce })));
  app.get("/", (c) => c.redirect("/directory"));
  // The page searches with the JSON API's own query schema; only its parameters are kept.
  const known = new Set(Object.keys(directoryQuerySchema(catalog, policy).shape));
  app.get("/directory", async (c) => {
    const url = new URL(c.req.url);
    for (const [k, v] of [...url.searchParams]) {
      // Empty form fields are "any"; and a page for people ignores what it does not know (a
      // campaign's utm_*, gclid, fbclid, ref...): a link from an ad never breaks the page.
      if (v === "" || !known.has(k)) url.searchParams.delete(k);
    }
    const answer = await search(c.var.deps.backend, url.toString());
    const params = url.searchParams;
    const nonce = c.var.secureHeadersNonce;
    if (!answer.ok) {
      const errors = answer.errors.slice(0, MAX_FIELD_ERRORS);
      return page(c, directoryPage({ catalog, params, errors, nonce }), 400);
    }
    if (answer.stale) c.header(STALE_HEADER, answer.stale.asOf);
    return page(c, directoryPage({ catalog, params, answer: answer.body, nonce }));
  });

  return app;
}
