// Who is signed in on the staff pages. A sign-in with a staff token (MATCH_API_TOKENS) leaves a
// session cookie carrying the caller's label and an expiry, HMAC-signed with Web Crypto (the
// same on Node and Workers); the token itself is never stored. Behind a single-sign-on access
// proxy, the proxy's identity header is believed instead, but only on a request that also
// carries the proxy's shared secret, so a client on the open internet cannot forge it.
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import { timingSafeEqual } from "hono/utils/buffer";
import { z } from "zod";
import { defaultCallerLabel } from "../audit/caller.js";
import type { AppEnv, StaffSessionSettings } from "./env.js";

/** Sent as `__Secure-staff_session`: browsers keep it only when set over HTTPS with Secure. */
export const SESSION_COOKIE = "staff_session";
export const SESSION_PATH = "/staff";
/** The header an SSO proxy proves itself with (STAFF_TRUSTED_PROXY_SECRET). */
export const PROXY_SECRET_HEADER = "x-staff-proxy-secret";
export const SIGN_IN_PATH = "/staff/sign-in";
export const DEFAULT_STAFF_PAGE = "/staff/finder";

const DEFAULT_TTL_SECONDS = 8 * 3600;

/** 32 random bytes as hex, from Web Crypto. */
export function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** An app built without settings (tests) still signs, with a key of its own. */
export function defaultStaffSessions(): StaffSessionSettings {
  return { secret: randomSecret(), ttlSeconds: DEFAULT_TTL_SECONDS };
}

/** A caller's label: from a token list entry or an SSO identity (an e-mail address). */
const Label = z.string().regex(/^[^\s\p{C}]{1,200}$/u);

/** The signed cookie's value; signed, yet parsed like any outside input. */
const SessionValue = z.object({ l: Label, e: z.number().int() }).strict();

/**
 * Where to go after signing in: a staff page of this site only (never `//host` or another
 * path), so a crafted sign-in link cannot send anyone elsewhere.
 */
export const ReturnPath = z
  .string()
  .max(2000)
  .regex(/^\/staff\/[^/\\]/)
  .catch(DEFAULT_STAFF_PAGE);

export function signInLocation(returnTo: string): string {
  return `${SIGN_IN_PATH}?return=${encodeURIComponent(returnTo)}`;
}

function settingsOf(c: Context<AppEnv>): StaffSessionSettings {
  return c.var.deps.staffSessions;
}

/** The label of the staff token given, or undefined when it is none of them. */
export async function callerOfToken(
  c: Context<AppEnv>,
  token: string,
): Promise<string | undefined> {
  const { matchTokens, matchCallers } = c.var.deps;
  let found: string | undefined;
  // Every token is compared, in constant time, so the answer's timing says nothing.
  for (const t of matchTokens) {
    if ((await timingSafeEqual(t, token)) && found === undefined) found = t;
  }
  return found === undefined ? undefined : (matchCallers.get(found) ?? defaultCallerLabel(found));
}

export async function startSession(c: Context<AppEnv>, label: string): Promise<void> {
  const { secret, ttlSeconds } = settingsOf(c);
  const expires = Math.floor(c.var.deps.clock().getTime() / 1000) + ttlSeconds;
  await setSignedCookie(c, SESSION_COOKIE, JSON.stringify({ l: label, e: expires }), secret, {
    path: SESSION_PATH,
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    maxAge: ttlSeconds,
    prefix: "secure",
  });
}

export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, {
    path: SESSION_PATH,
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    prefix: "secure",
  });
}

/** The caller a valid, unexpired session cookie names; undefined otherwise. */
async function sessionCaller(c: Context<AppEnv>): Promise<string | undefined> {
  const raw = await getSignedCookie(c, settingsOf(c).secret, SESSION_COOKIE, "secure");
  if (!raw) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const v = SessionValue.safeParse(parsed);
  if (!v.success) return undefined;
  // The cookie's Max-Age is the browser's business; the expiry inside the signature is ours.
  if (v.data.e * 1000 <= c.var.deps.clock().getTime()) return undefined;
  return v.data.l;
}

/** The person an SSO proxy names, when the request provably came through that proxy. */
async function proxyCaller(c: Context<AppEnv>): Promise<string | undefined> {
  const { identityHeader, proxySecret } = settingsOf(c);
  if (!identityHeader || !proxySecret) return undefined;
  const identity = c.req.header(identityHeader);
  if (identity === undefined) return undefined;
  const presented = c.req.header(PROXY_SECRET_HEADER) ?? "";
  if (!(await timingSafeEqual(proxySecret, presented))) {
    c.var.deps.logger.warn("staff identity header ignored: no valid proxy secret", {
      header: identityHeader,
    });
    return undefined;
  }
  const label = Label.safeParse(identity.trim());
  return label.success ? label.data : undefined;
}

/** The signed-in staff member, by proxy identity first, then by session cookie. */
export async function staffCallerOf(c: Context<AppEnv>): Promise<string | undefined> {
  return (await proxyCaller(c)) ?? (await sessionCaller(c));
}

/**
 * For staff pages: sets `staffCaller`, or sends the visitor to sign in (303) with the page asked
 * for as the way back.
 */
export function requireStaff(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const caller = await staffCallerOf(c);
    if (!caller) {
      const url = new URL(c.req.url);
      return c.redirect(signInLocation(`${url.pathname}${url.search}`), 303);
    }
    c.set("staffCaller", caller);
    await next();
  };
}
