// Bearer-token authentication for the staff endpoints. Tokens are compared as SHA-256 digests
// with a loop that always runs to the end over every configured token, so neither a token's
// content nor its length leaks through timing. Web Crypto only: the same code runs on Node
// and on Workers.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.js";
import { ProblemError } from "./problem.js";

const encoder = new TextEncoder();

async function digest(s: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(s)));
}

/** Equal-length comparison without an early exit. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/** Digests of the configured tokens, computed once per token list. */
const digestCache = new WeakMap<readonly string[], Promise<Uint8Array[]>>();

function tokenDigests(tokens: readonly string[]): Promise<Uint8Array[]> {
  let d = digestCache.get(tokens);
  if (!d) {
    d = Promise.all(tokens.map(digest));
    digestCache.set(tokens, d);
  }
  return d;
}

/** True when `presented` equals one of `tokens`; always checks every token. */
export async function tokenAccepted(
  presented: string,
  tokens: readonly string[],
): Promise<boolean> {
  const [mine, known] = await Promise.all([digest(presented), tokenDigests(tokens)]);
  let ok = false;
  for (const k of known) ok = timingSafeEqual(mine, k) || ok;
  return ok;
}

const BEARER = /^Bearer +(\S+) *$/i;

/** Requires `Authorization: Bearer <token>` with a token from `c.var.deps.matchTokens`. */
export function bearerAuth(realm = "partner-finder"): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const presented = header ? BEARER.exec(header)?.[1] : undefined;
    const tokens = c.var.deps.matchTokens;
    if (
      presented === undefined ||
      tokens.length === 0 ||
      !(await tokenAccepted(presented, tokens))
    ) {
      const error = header ? ', error="invalid_token"' : "";
      throw new ProblemError(
        "unauthorized",
        header
          ? "the bearer token is not valid"
          : "send Authorization: Bearer <token> (a token from MATCH_API_TOKENS)",
        {},
        { "www-authenticate": `Bearer realm="${realm}"${error}` },
      );
    }
    await next();
  };
}
