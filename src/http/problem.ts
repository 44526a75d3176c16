// One error model for the whole API: a closed set of codes, each with its HTTP status and
// title, rendered as RFC 9457 problem+json by one handler.
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type IssueLike, namedIssues } from "../lib/zod-issues.js";

export const PROBLEMS = {
  invalid_request: { status: 400, title: "The request is not valid" },
  unauthorized: { status: 401, title: "A valid bearer token is required" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  read_only_snapshot: {
    status: 409,
    title: "This deployment serves a read-only snapshot; updates cannot be pushed to it",
  },
  payload_too_large: { status: 413, title: "The request body is too large" },
  unsupported_media_type: { status: 415, title: "The request body's media type is not accepted" },
  market_not_offered: { status: 422, title: "Partner matching is not offered in this market" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal_error: { status: 500, title: "Internal error" },
  config_invalid: { status: 500, title: "The service is misconfigured" },
  index_unavailable: { status: 500, title: "The search index is missing or unreadable" },
  search_unavailable: { status: 503, title: "The search engine is unavailable" },
  not_ready: { status: 503, title: "The service is not ready" },
  audit_unavailable: { status: 503, title: "The audit trail cannot be read now" },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

/** One offending input: `name` is the parameter or dotted body path, `pointer` a JSON Pointer. */
export interface FieldError {
  name: string;
  in: "query" | "path" | "body" | "header";
  reason: string;
  pointer?: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  code: ProblemCode;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export class ProblemError extends HTTPException {
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly extra: Record<string, unknown> & { errors?: FieldError[] } = {},
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(PROBLEMS[code].status, { message: detail ?? PROBLEMS[code].title, ...options });
  }

  toBody(instance?: string): ProblemBody {
    return problemBody(this.code, this.detail, {
      ...this.extra,
      ...(instance ? { instance } : {}),
    });
  }
}

/** A problem about one input (a body, a field, a header): named in the detail and in `errors`. */
export function fieldProblem(code: ProblemCode, e: FieldError): ProblemError {
  return new ProblemError(code, `${e.name}: ${e.reason}`, { errors: [e] });
}

/** Reads no body larger than `maxSize` bytes: a larger one is a 413 problem naming the body. */
export function bodyLimited(maxSize: number, pointer?: string) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw fieldProblem("payload_too_large", {
        name: "(body)",
        in: "body",
        reason: `larger than ${maxSize} bytes`,
        ...(pointer ? { pointer } : {}),
      });
    },
  });
}

/** The longest request path a problem repeats: past it, the path is cut (`…`). */
export const MAX_ECHOED_PATH = 200;

/** A request's path as a problem names it: cut, so an error never grows with a long URL. */
export function echoedPath(url: string): string {
  const path = new URL(url).pathname;
  return path.length > MAX_ECHOED_PATH ? `${path.slice(0, MAX_ECHOED_PATH)}…` : path;
}

export function problemBody(
  code: ProblemCode,
  detail?: string,
  extra: Record<string, unknown> = {},
): ProblemBody {
  const p = PROBLEMS[code];
  return {
    type: `/docs#problem-${code}`,
    title: p.title,
    status: p.status,
    code,
    ...(detail ? { detail } : {}),
    ...extra,
  };
}

export function problemResponse(
  code: ProblemCode,
  detail?: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(problemBody(code, detail, extra)), {
    status: PROBLEMS[code].status,
    headers: {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      ...headers,
    },
  });
}

/** Turns zod issues into field errors; an unknown key becomes an error naming that key. */
export function fieldErrors(issues: readonly IssueLike[], where: FieldError["in"]): FieldError[] {
  const unknown = `unknown ${where === "query" ? "parameter" : "field"}`;
  return namedIssues(issues, unknown, where === "body" ? "(body)" : "(request)").map((i) => {
    // Repeated query parameters are arrays internally; the caller knows them by name only.
    const name =
      where === "query"
        ? (i.path.find((p) => typeof p !== "number")?.toString() ?? i.name)
        : i.name;
    const pointer = `#/${i.path.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
    return { name, in: where, reason: i.reason, ...(where === "body" ? { pointer } : {}) };
  });
}
