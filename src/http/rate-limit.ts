// Abuse limits per client (hono-rate-limiter, a fixed one-minute window held in memory: per
// process on Node, per isolate on Workers). Public search and pages are limited by client
// address; staff endpoints, more strictly, by the bearer token presented (by address without
// one). Over the limit: a 429 problem with Retry-After and the draft RateLimit headers.
import type { Context, MiddlewareHandler } from "hono";
import { rateLimiter } from "hono-rate-limiter";
import { hashHex } from "../lib/hash.js";
import { echoedPath, problemBody } from "./problem.js";

export interface RateLimits {
  /** Requests a minute per client on public search and pages; 0 switches the limit off. */
  publicPerMinute: number;
  /** Requests a minute per staff token on staff endpoints; 0 switches the limit off. */
  staffPerMinute: number;
  /**
   * Pushes a minute per admin token on /v1/admin/*; 0 switches the limit off. Absent: the staff
   * limit. Higher than the staff one by default: a CRM may push every capacity change alone.
   */
  adminPerMinute?: number;
  /** The client's address as the runtime knows it (socket on Node, CF-Connecting-IP at the edge). */
  clientAddress: (c: Context) => string | undefined;
}

const WINDOW_MS = 60_000;

function limiter(perMinute: number, key: (c: Context) => string, what: string): MiddlewareHandler {
  return rateLimiter({
    windowMs: WINDOW_MS,
    limit: perMinute,
    standardHeaders: "draft-7",
    keyGenerator: key,
    handler: (c) =>
      c.json(
        problemBody(
          "rate_limited",
          `more than ${perMinute} ${what} requests a minute; retry later`,
          {
            instance: echoedPath(c.req.url),
          },
        ),
        429,
        { "content-type": "application/problem+json", "cache-control": "no-store" },
      ),
  });
}

/** The limiters; each is a pass-through when its limit is 0. */
export function rateLimits(limits: RateLimits) {
  const address = (c: Context) => `ip:${limits.clientAddress(c) ?? "unknown"}`;
  // A digest, so no token is held in the limiter's memory.
  const token = (c: Context) => {
    const auth = c.req.header("authorization");
    return auth ? `token:${hashHex(auth)}` : address(c);
  };
  const pass: MiddlewareHandler = (_c, next) => next();
  const perToken = (perMinute: number, what: string) =>
    perMinute > 0 ? limiter(perMinute, token, what) : pass;
  // Set by the staff pages' session check, which runs before this limiter.
  const caller = (c: Context) => {
    const who = (c as Context<{ Variables: { staffCaller?: string } }>).var.staffCaller;
    return who ? `caller:${hashHex(who)}` : address(c);
  };
  return {
    /** Staff pages: per signed-in caller (a session has no bearer token to key on). */
    staffPage: limits.staffPerMinute > 0 ? limiter(limits.staffPerMinute, caller, "staff") : pass,
    public: limits.publicPerMinute > 0 ? limiter(limits.publicPerMinute, address, "public") : pass,
    staff: perToken(limits.staffPerMinute, "staff"),
    admin: perToken(limits.adminPerMinute ?? limits.staffPerMinute, "admin"),
  };
}
