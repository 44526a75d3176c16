// Server-rendered pages for people: the directory and the API docs.
import { Hono } from "hono";
import type { Catalog } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { DIRECTORY_SORTS, maxPage } from "../../ranking/directory.js";
import { directoryPage } from "../../web/directory-page.js";
import { docsPage } from "../../web/docs-page.js";
import type { AppEnv } from "../env.js";
import { PROBLEMS } from "../problem.js";
import { MAX_FIELD_ERRORS } from "../validation.js";
import { directorySearcher } from "./directory.js";

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
  app.get("/docs", (c) => c.html(docsPage({ ...docs, nonce: c.var.secureHeadersNonce })));
  app.get("/", (c) => c.redirect("/directory"));
  app.get("/directory", async (c) => {
    const url = new URL(c.req.url);
    // Empty form fields are "any": drop them so the API's strict validation sees real values.
    for (const [k, v] of [...url.searchParams]) if (v === "") url.searchParams.delete(k);
    const answer = await search(c.var.deps.backend, url.toString());
    const params = url.searchParams;
    const nonce = c.var.secureHeadersNonce;
    if (!answer.ok) {
      const errors = answer.errors.slice(0, MAX_FIELD_ERRORS);
      return c.html(directoryPage({ catalog, params, errors, nonce }), 400);
    }
    return c.html(directoryPage({ catalog, params, answer: answer.body, nonce }));
  });

  return app;
}
