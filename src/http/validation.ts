// The one validation hook: every zod failure at the boundary becomes a 400 problem naming each
// offending parameter or body field. Also the schema builders the routes declare their inputs
// with, each of which accepts exactly what its OpenAPI (JSON Schema) rendering says.
import { OpenAPIHono, z } from "@hono/zod-openapi";
import { getQueryParams } from "hono/utils/url";
import type { Catalog, CodeKind } from "../catalog/catalog.js";
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
      throw invalidRequest(fieldErrors(result.error.issues, where));
    },
  });
}

/**
 * An answer names at most this many offending fields (and says how many there were): a request
 * with thousands of unknown keys must not get an answer many times its own size.
 */
export const MAX_FIELD_ERRORS = 20;

/** The 400 problem for these field errors, capped at MAX_FIELD_ERRORS. */
export function invalidRequest(errors: readonly FieldError[]): ProblemError {
  const shown = errors.slice(0, MAX_FIELD_ERRORS);
  const more = errors.length - shown.length;
  return new ProblemError(
    "invalid_request",
    `${describe(shown)}${more > 0 ? `; and ${more} more` : ""}`,
    { errors: shown, ...(more > 0 ? { errorCount: errors.length } : {}) },
  );
}

export function describe(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.name}: ${e.reason}`).join("; ");
}

/** A caller's value quoted in an answer, cut so an answer never echoes a huge input. */
export function quoted(value: string, max = 80): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

/**
 * A URL's query exactly as Hono's query validator hands it to a route's schema: each name once,
 * a single value as a string, a repeated one as the array of its values. Built on the parser
 * `c.req.queries()` uses, whose result has no prototype, so a parameter named `constructor` or
 * `__proto__` is an ordinary (unknown) name, not an inherited member.
 */
export function queryObject(url: string): Record<string, string | string[]> {
  const all = getQueryParams(url) as Record<string, string[]>;
  return Object.fromEntries(
    Object.entries(all).map(([k, v]) => [k, v.length === 1 ? (v[0] as string) : v]),
  );
}

// Schema builders for the boundary. Each validates exactly what its OpenAPI rendering says, so
// the served document is the contract: what JSON Schema cannot say is not checked either.

type ErrorFn = (iss: { input?: unknown }) => string | undefined;

/** A query parameter that may appear once: a repeated one arrives as an array. */
function once(name: string | undefined, otherwise: ErrorFn): ErrorFn {
  return (iss) =>
    name !== undefined && Array.isArray(iss.input) ? `${name} may be given once` : otherwise(iss);
}

const codePoints = (s: string) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * A string of `min`..`max` characters counted as JSON Schema counts them (code points, where
 * zod's `.max` counts UTF-16 units), documented as minLength/maxLength.
 */
export function chars(min: number, max: number, opts: { once?: string } = {}) {
  return z
    .string({ error: once(opts.once, () => "must be a string") })
    .refine(
      (s) => {
        const n = codePoints(s);
        return n >= min && n <= max;
      },
      { error: min > 0 ? `${min} to ${max} characters` : `at most ${max} characters` },
    )
    .openapi({ ...(min > 0 ? { minLength: min } : {}), maxLength: max });
}

/** One of a closed list of strings; `why` explains a value that is not in it. */
export function oneOf<T extends string>(
  values: readonly T[],
  why: (input: string) => string,
  opts: { once?: string } = {},
) {
  return z.enum(values as [T, ...T[]], {
    error: once(opts.once, (iss) =>
      typeof iss.input === "string" ? why(iss.input) : "must be a string",
    ),
  });
}

/**
 * A catalog code. `alsoCase` accepts every code in that case too (listed in the enum, so the
 * document says so) and turns it into the canonical code after validation.
 */
export function catalogCode(
  catalog: Catalog,
  kind: CodeKind,
  opts: { alsoCase?: "lower" | "upper"; why?: (input: string) => string } = {},
) {
  const canonical = catalog.lists[kind];
  const why = opts.why ?? ((input: string) => `unknown ${kind} code "${input}"`);
  if (!opts.alsoCase) return oneOf(canonical, why);
  const fold =
    opts.alsoCase === "lower" ? (s: string) => s.toLowerCase() : (s: string) => s.toUpperCase();
  const canon = new Map(canonical.map((c) => [fold(c), c]));
  const accepted = [...new Set([...canonical, ...canon.keys()])];
  return oneOf(accepted, why).transform((s) => canon.get(s) ?? s);
}

/**
 * A repeatable query parameter (OR within the field): documented as an array (style form,
 * explode), validated as one. A single occurrence arrives as a string and becomes a one-item list.
 */
export function queryList<T extends z.ZodType>(item: T, name: string, max: number) {
  return z
    .preprocess(
      (v) => (typeof v === "string" ? [v] : v),
      z.array(item).max(max, `at most ${max} values of ${name}`),
    )
    .openapi({ param: { style: "form", explode: true } });
}

/**
 * An integer query parameter, documented as `type: integer` with its range. Only a canonical
 * decimal integer (`/^-?\d+$/`) becomes a number; anything else stays a string and fails.
 */
export function queryInteger(
  name: string,
  min: number,
  max: number,
  tooBig = `must be at most ${max}`,
) {
  return z.preprocess(
    (v) => (typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v),
    z
      .number({ error: once(name, () => "must be an integer") })
      .int("must be an integer")
      .min(min, `must be at least ${min}`)
      .max(max, tooBig),
  );
}
