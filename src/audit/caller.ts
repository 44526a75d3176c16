// Staff tokens with the caller they belong to: a MATCH_API_TOKENS entry is `label:token` or a
// bare token. The label names the caller in the audit trail; a bare token gets a label made
// from a hash of it, so the token itself is never stored or shown.
import { hashHex } from "../lib/hash.js";

export interface CallerToken {
  label: string;
  token: string;
}

export const MIN_TOKEN_LENGTH = 16;
export const CALLER_LABEL = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** The label of a bare token: `token-` and 6 hex digits of a hash of it. */
export function defaultCallerLabel(token: string): string {
  return `token-${hashHex(`caller:${token}`).slice(-6)}`;
}

/**
 * One list entry: `label:token` when it holds a `:` (the label before the first one), else a
 * bare token. Throws a message naming what is wrong, never the token.
 */
export function parseCallerToken(entry: string): CallerToken {
  const colon = entry.indexOf(":");
  const label = colon < 0 ? undefined : entry.slice(0, colon);
  const token = colon < 0 ? entry : entry.slice(colon + 1);
  if (label !== undefined && !CALLER_LABEL.test(label)) {
    throw new Error(
      "a label (before the first ':') is 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
    );
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new Error(`each token must be at least ${MIN_TOKEN_LENGTH} characters`);
  }
  return { label: label ?? defaultCallerLabel(token), token };
}
