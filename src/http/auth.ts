// Bearer-token authentication for the staff endpoints: Hono's bearer-auth middleware (SHA-256
// digests compared in constant time, Web Crypto, so the same on Node and Workers), answering
// every refusal as a 401 problem+json. A malformed Authorization header is a 401 too (Hono's
// default is 400): to a caller it is the same "no valid token", and the contract says 401.
import type { Context, MiddlewareHandler } from "hono";
import { bearerAuth as honoBearerAuth } from "hono/bearer-auth";
import type { AppEnv } from "./env.js";
import { problemResponse } from "./problem.js";

const REALM = "partner-finder";

function refusal(detail: string) {
  return (c: Context) =>
    problemResponse("unauthorized", detail, { instance: new URL(c.req.url).pathname });
}

function middlewareFor(tokens: readonly string[]): MiddlewareHandler {
  return honoBearerAuth({
    token: [...tokens],
    realm: REALM,
    noAuthenticationHeader: {
      message: refusal("send Authorization: Bearer <token> (a token from MATCH_API_TOKENS)"),
    },
    invalidAuthenticationHeader: {
      message: refusal("the Authorization header must be Bearer <token>"),
      wwwAuthenticateHeader: `Bearer realm="${REALM}", error="invalid_request"`,
    },
    invalidToken: {
      message: refusal("the bearer token is not valid"),
      wwwAuthenticateHeader: `Bearer realm="${REALM}", error="invalid_token"`,
    },
  });
}

/** Requires `Authorization: Bearer <token>` with a token from `c.var.deps.matchTokens`. */
export function bearerAuth(): MiddlewareHandler<AppEnv> {
  // One Hono middleware per configured token list (an app has one; tests build several).
  const built = new WeakMap<readonly string[], MiddlewareHandler>();
  return (c, next) => {
    const tokens = c.var.deps.matchTokens;
    let mw = built.get(tokens);
    if (!mw) {
      mw = middlewareFor(tokens);
      built.set(tokens, mw);
    }
    return mw(c, next);
  };
}
