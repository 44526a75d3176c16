// The per-response CSP nonce, drawn from a pool of random bytes. hono/secure-headers' NONCE
// asks the CSPRNG for 16 bytes on every response, and that call (a sync round into OpenSSL) was
// the single largest cost of a cached directory answer, whose JSON never uses the nonce. The
// pool draws 4 KiB at a time from the same CSPRNG and hands each response its own 16 bytes, so
// a nonce stays unpredictable and unique per response; the header's form is unchanged (the
// base64 of 16 bytes, as hono/secure-headers writes it).
import type { Context } from "hono";
import type { ContentSecurityPolicyOptionHandler } from "hono/secure-headers";

const NONCE_BYTES = 16;
const POOL_BYTES = NONCE_BYTES * 256;
let pool = new Uint8Array(0);
let at = 0;

function nextNonce(): string {
  if (at + NONCE_BYTES > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    at = 0;
  }
  let s = "";
  for (let i = at; i < at + NONCE_BYTES; i++) s += String.fromCharCode(pool[i] as number);
  // Each response's bytes are used once: wiped so that nothing later can read them back.
  pool.fill(0, at, at + NONCE_BYTES);
  at += NONCE_BYTES;
  return btoa(s);
}

/** hono/secure-headers' NONCE (one nonce per response, kept in `secureHeadersNonce`), pooled. */
export const POOLED_NONCE: ContentSecurityPolicyOptionHandler = (c: Context) => {
  let nonce = c.get("secureHeadersNonce") as string | undefined;
  if (!nonce) {
    nonce = nextNonce();
    c.set("secureHeadersNonce", nonce);
  }
  return `'nonce-${nonce}'`;
};
