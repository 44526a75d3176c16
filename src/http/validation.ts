// The one validation hook: every zod failure at the boundary becomes a 400 problem naming each
// offending parameter or body field.
import { OpenAPIHono } from "@hono/zod-openapi";
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

/** Query parameters as arrays (a repeated parameter means OR), keeping every value. */
export function queryArrays(url: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of new URL(url).searchParams) {
    const list = out[k] ?? [];
    list.push(v);
    out[k] = list;
  }
  return out;
}
