// The staff pages: sign-in with a staff token (or through an SSO proxy), sign-out, and the
// partner finder as a page and as CSV. The finder runs the ranking in process, exactly as
// POST /v1/match does (same request schema, same matcher, same staff projection), and leaves
// the same audit record, named by the session's caller. Every form POST passes hono/csrf's
// origin check; the session cookie is SameSite=Strict besides. Never cached (see createApp).
import type { Context, MiddlewareHandler } from "hono";
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { html } from "hono/html";
import { HTTPException } from "hono/http-exception";
import type { HtmlEscapedString } from "hono/utils/html";
import { z } from "zod";
import type { AuditEntry } from "../../audit/audit-sink.js";
import type { Catalog } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import { toStaffProfile } from "../../partner/staff-profile.js";
import { findMatches } from "../../ranking/find-matches.js";
import { negotiateLanguage, type UiLanguage } from "../../web/i18n/languages.js";
import { finderCsv } from "../../web/staff/finder-csv.js";
import { finderPage } from "../../web/staff/finder-page.js";
import type { FinderAnswerView } from "../../web/staff/finder-view.js";
import { refusedFormPage, signInPage } from "../../web/staff/sign-in-page.js";
import type { AppEnv } from "../env.js";
import { bodyLimited, ProblemError } from "../problem.js";
import {
  callerOfToken,
  DEFAULT_STAFF_PAGE,
  endSession,
  ReturnPath,
  requireStaff,
  SIGN_IN_PATH,
  staffCallerOf,
  startSession,
} from "../session.js";
import { invalidRequest, queryObject } from "../validation.js";
import { sharedMatcher } from "./match.js";
import {
  type FinderForm,
  FinderFormSchema,
  type FormReading,
  finderFormReader,
} from "./staff-finder-form.js";

/** The staff pages' paths: never stored by any cache (createApp, the edge cache). */
export const STAFF_PAGES = ["/staff", "/staff/*", "/finder"] as const;

export interface StaffPageLimits {
  /** Sign-in attempts: the staff rate limit, by client address. */
  signIn: MiddlewareHandler;
  /** Finder pages and CSV: the staff rate limit, by signed-in caller. */
  page: MiddlewareHandler;
}

const SIGN_IN_MAX_BYTES = 8 * 1024;

const SignInForm = z.object({
  token: z.string().max(1000).catch(""),
  return: ReturnPath.optional(),
});

function page(c: Context, body: HtmlEscapedString | Promise<HtmlEscapedString>, status = 200) {
  return c.html(html`<!doctype html>${body}`, status as 200);
}

function langOf(c: Context): UiLanguage {
  return negotiateLanguage(c.req.query("lang"), c.req.header("accept-language"));
}

type FinderRun =
  | { kind: "form" }
  | {
      kind: "invalid";
      form: FinderForm;
      reading: Extract<FormReading, { ok: false }>;
    }
  | { kind: "gated"; country: string }
  | { kind: "answer"; answer: FinderAnswerView };

export function staffPageRoutes(catalog: Catalog, policy: MarketPolicy, limits?: StaffPageLimits) {
  const app = new Hono<AppEnv>();
  const pass: MiddlewareHandler = (_c, next) => next();
  const signInLimit = limits?.signIn ?? pass;
  const pageLimit = limits?.page ?? pass;
  const read = finderFormReader(catalog, policy);
  const matcher = sharedMatcher(catalog, policy);

  // hono/csrf refuses by throwing a bare text answer; a page for people says it as a page.
  const crossSite = csrf();
  app.use("/staff/*", async (c, next) => {
    let passed = false;
    try {
      await crossSite(c, async () => {
        passed = true;
      });
    } catch (e) {
      if (!(e instanceof HTTPException)) throw e;
    }
    if (!passed) {
      const url = new URL(c.req.url);
      const nonce = c.var.secureHeadersNonce;
      return page(c, refusedFormPage({ lang: langOf(c), url, nonce }), 403);
    }
    await next();
  });
  app.get("/staff", (c) => c.redirect(`${DEFAULT_STAFF_PAGE}${new URL(c.req.url).search}`));
  app.get("/finder", (c) => c.redirect(`${DEFAULT_STAFF_PAGE}${new URL(c.req.url).search}`));

  app.get(SIGN_IN_PATH, async (c) => {
    const returnTo = ReturnPath.parse(c.req.query("return"));
    if (await staffCallerOf(c)) return c.redirect(returnTo, 303);
    const url = new URL(c.req.url);
    return page(c, signInPage({ lang: langOf(c), url, nonce: c.var.secureHeadersNonce, returnTo }));
  });

  // A sign-in form is a token and a path: nothing bigger is read.
  const smallForm = bodyLimited(SIGN_IN_MAX_BYTES);

  app.post(SIGN_IN_PATH, signInLimit, smallForm, async (c) => {
    // A body that is no form (malformed multipart, say) signs nobody in; it is not a 500.
    const raw = await c.req.parseBody().catch(() => ({}));
    const form = SignInForm.parse(raw);
    const returnTo = form.return ?? DEFAULT_STAFF_PAGE;
    const caller = form.token ? await callerOfToken(c, form.token) : undefined;
    if (!caller) {
      c.var.deps.logger.warn("staff sign-in refused: unknown token");
      const url = new URL(c.req.url);
      const nonce = c.var.secureHeadersNonce;
      return page(c, signInPage({ lang: langOf(c), url, nonce, returnTo, failed: true }), 401);
    }
    await startSession(c, caller);
    return c.redirect(returnTo, 303);
  });

  app.post("/staff/sign-out", smallForm, (c) => {
    endSession(c);
    return c.redirect(`${SIGN_IN_PATH}?lang=${langOf(c)}`, 303);
  });

  /** Reads the form, runs the finder and leaves the audit record; the page or CSV shows it. */
  async function run(c: Context<AppEnv>, lang: UiLanguage): Promise<FinderRun> {
    const query = queryObject(c.req.url);
    if (!("country" in query)) return { kind: "form" };
    const form = FinderFormSchema.parse(query);
    const { backend, clock } = c.var.deps;
    const reading = await read(backend, form, lang);
    if (!reading.ok) {
      const market = form.country ? form.country.toUpperCase() : null;
      audit(c, { status: 400, request: reading.body, market });
      return { kind: "invalid", form, reading };
    }
    const request = reading.request;
    const country = request.customer.country;
    if (!policy.matchingOffered(country)) {
      audit(c, { status: 422, request: reading.body, market: country });
      return { kind: "gated", country };
    }
    const now = clock();
    const result = await findMatches(backend, matcher, request, now);
    audit(c, {
      status: 200,
      request: reading.body,
      market: result.market,
      rankingVersion: result.rankingVersion,
      candidates: result.candidates.map((k) => ({ id: k.profile.id, score: k.score })),
    });
    return {
      kind: "answer",
      answer: {
        market: result.market,
        rankingVersion: result.rankingVersion,
        answeredAt: now.toISOString(),
        needs: request.customer.needs ?? [],
        considered: result.considered,
        coverage: result.coverage,
        ...(result.teams ? { teams: result.teams } : {}),
        ...(result.partnerOfRecord ? { partnerOfRecord: result.partnerOfRecord } : {}),
        ...(result.stale ? { staleAsOf: result.stale.asOf } : {}),
        candidates: result.candidates.map((k) => ({
          rank: k.rank,
          score: k.score,
          eligibility: k.eligibility,
          partner: toStaffProfile(k.profile, catalog, policy),
          reasons: k.reasons,
        })),
      },
    };
  }

  app.get("/staff/finder", requireStaff(), pageLimit, async (c) => {
    const lang = langOf(c);
    const url = new URL(c.req.url);
    const base = {
      lang,
      url,
      nonce: c.var.secureHeadersNonce,
      caller: c.var.staffCaller as string,
      catalog,
      policy,
      params: url.searchParams,
    };
    const r = await run(c, lang);
    switch (r.kind) {
      case "form":
        return page(c, finderPage(base));
      case "invalid":
        return page(
          c,
          finderPage({
            ...base,
            errors: r.reading.errors,
            ...(r.reading.suggestions ? { partnerSuggestions: r.reading.suggestions } : {}),
          }),
          400,
        );
      case "gated":
        return page(c, finderPage({ ...base, gated: r.country }), 422);
      case "answer":
        return page(c, finderPage({ ...base, answer: r.answer }));
    }
  });

  app.get("/staff/finder.csv", requireStaff(), pageLimit, async (c) => {
    const lang = langOf(c);
    const r = await run(c, lang);
    switch (r.kind) {
      case "form":
        throw invalidRequest([
          {
            name: "country",
            in: "query",
            reason: "required: the same parameters as /staff/finder",
          },
        ]);
      case "invalid":
        throw invalidRequest(
          r.reading.errors.map((e) => ({ name: e.field, in: "query" as const, reason: e.reason })),
        );
      case "gated": {
        const directory = `/directory?country=${encodeURIComponent(r.country)}`;
        throw new ProblemError(
          "market_not_offered",
          `${policy.data.matching.message} Country ${r.country}: see ${directory}`,
          { country: r.country, directory },
        );
      }
      case "answer": {
        const day = r.answer.answeredAt.slice(0, 10);
        return c.body(finderCsv(r.answer, catalog), 200, {
          "content-type": "text/csv; charset=utf-8; header=present",
          "content-disposition": `attachment; filename="partner-finder-${r.answer.market}-${day}.csv"`,
        });
      }
    }
  });

  return app;
}

/** The finder's audit record for a page request, named by the signed-in caller. */
function audit(
  c: Context<AppEnv>,
  entry: Pick<AuditEntry, "status" | "request" | "market"> & Partial<AuditEntry>,
): void {
  const { audit: sink, logger, clock } = c.var.deps;
  const record: AuditEntry = {
    at: clock().toISOString(),
    caller: c.var.staffCaller as string,
    rankingVersion: null,
    candidates: [],
    ...entry,
  };
  const pending = sink.record(record).catch((e: unknown) =>
    logger.warn("audit record not stored", {
      sink: sink.describe().kind,
      error: e instanceof Error ? e.message : String(e),
    }),
  );
  try {
    c.executionCtx.waitUntil(pending);
  } catch {
    // no execution context (Node, tests): the write finishes on its own
  }
}
