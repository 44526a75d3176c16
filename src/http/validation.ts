// The one validation hook: every zod failure at the boundary becomes a 400 problem naming each
// offending parameter or body field.
import { OpenAPIHono } from "@hono/zod-openapi";
import { getQueryParams } from "hono/utils/url";
import type { AppEnv } from "./env.js";
import { type FieldError, fieldErrors, ProblemError } from "./problem.js";

const TARGET_TO_IN: Record<string, FieldError["in"]> = {
  query: "query",
  param: "path",
  json: "body",
  header: "header",
};

export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const where = TARGET_TO_IN[result.target] ?? "query";
      const errors = fieldErrors(result.error.issues, where);
      throw new ProblemError("invalid_request", describe(errors), { errors });
    },
  });
}

export function describe(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.name}: ${e.reason}`).join("; ");
}

/**
 * Query parameters as arrays (a repeated parameter means OR), keeping every value. Hono's own
 * parser, the one `c.req.queries()` uses: its result has no prototype, so a parameter named
 * `constructor` or `__proto__` is an ordinary (unknown) name, not an inherited member.
 */
export function queryArrays(url: string): Record<string, string[]> {
  return getQueryParams(url) as Record<string, string[]>;
}
