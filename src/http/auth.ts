// Bearer-token authentication for the staff and admin endpoints: Hono's bearer-auth middleware
// (SHA-256 digests compared in constant time, Web Crypto, so the same on Node and Workers),
// answering every refusal as a 401 problem+json. A malformed Authorization header is a 401 too
// (Hono's default is 400): to a caller it is the same "no valid token", and the contract says
// 401. Staff (MATCH_API_TOKENS) and admin (ADMIN_API_TOKENS) tokens are separate lists: a
// staff token is as unknown to an admin endpoint as any other string.
import type { Context, MiddlewareHandler } from "hono";
import { bearerAuth as honoBearerAuth } from "hono/bearer-auth";
import type { AppEnv, AppVariables } from "./env.js";
import { echoedPath, problemResponse } from "./problem.js";

/** Who an endpoint is for: the token list it accepts and the realm it names. */
const AUDIENCES = {
  staff: {
    realm: "partner-finder",
    setting: "MATCH_API_TOKENS",
    tokens: (deps: AppVariables["deps"]) => deps.matchTokens,
  },
  admin: {
    realm: "partner-admin",
    setting: "ADMIN_API_TOKENS",
    tokens: (deps: AppVariables["deps"]) => deps.admin.tokens,
  },
} as const;

export type Audience = keyof typeof AUDIENCES;

function refusal(detail: string) {
  return (c: Context) =>
    problemResponse("unauthorized", detail, { instance: echoedPath(c.req.url) });
}

function middlewareFor(tokens: readonly string[], audience: Audience): MiddlewareHandler {
  const { realm, setting } = AUDIENCES[audience];
  return honoBearerAuth({
    token: [...tokens],
    realm,
    noAuthenticationHeader: {
      message: refusal(`send Authorization: Bearer <token> (a token from ${setting})`),
    },
    invalidAuthenticationHeader: {
      message: refusal("the Authorization header must be Bearer <token>"),
      wwwAuthenticateHeader: `Bearer realm="${realm}", error="invalid_request"`,
    },
    invalidToken: {
      message: refusal("the bearer token is not valid"),
      wwwAuthenticateHeader: `Bearer realm="${realm}", error="invalid_token"`,
    },
  });
}

/**
 * Requires `Authorization: Bearer <token>` with a token of the audience's list:
 * `c.var.deps.matchTokens` for staff (the default), `c.var.deps.admin.tokens` for admin.
 */
export function bearerAuth(audience: Audience = "staff"): MiddlewareHandler<AppEnv> {
  // One Hono middleware per configured token list (an app has one; tests build several).
  const built = new WeakMap<readonly string[], MiddlewareHandler>();
  return (c, next) => {
    const tokens = AUDIENCES[audience].tokens(c.var.deps);
    let mw = built.get(tokens);
    if (!mw) {
      mw = middlewareFor(tokens, audience);
      built.set(tokens, mw);
    }
    return mw(c, next);
  };
}
