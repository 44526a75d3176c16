// The HTTP request mix of the load sections (50-load, 55-soak) and the cluster failover test:
// every evaluation case once, staff matches interleaved among public directory searches.
import type autocannon from "autocannon";
import { DIRECTORY_CASES, MATCH_CASES } from "../../eval/cases.js";
import { policy } from "./_feeds.js";
import { TOKEN } from "./_server.js";

export type Req = autocannon.Request;

/** Share of requests that are staff matches; the rest are public directory searches. */
export const MATCH_SHARE = 0.2;

/** The request mix: every evaluation case once, matches interleaved at MATCH_SHARE. */
export function requestMix(withMatch: boolean, token = TOKEN): Req[] {
  const dir: Req[] = DIRECTORY_CASES.map((c) => {
    const qs = new URLSearchParams();
    if (c.q) qs.set("q", c.q);
    for (const [k, vs] of Object.entries(c.filters)) for (const v of vs ?? []) qs.append(k, v);
    return { method: "GET", path: `/v1/directory/partners?${qs}` };
  });
  if (!withMatch) return dir;
  const match: Req[] = MATCH_CASES.filter((c) => policy.matchingOffered(c.request.customer.country))
    .filter((c) => !c.pickPartnerOfRecord)
    .map((c) => ({
      method: "POST",
      path: "/v1/match",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(c.request),
    }));
  const out: Req[] = [];
  const every = Math.round(1 / MATCH_SHARE);
  let d = 0;
  let m = 0;
  while (d < dir.length || m < match.length) {
    for (let i = 0; i < every - 1 && d < dir.length; i++) out.push(dir[d++] as Req);
    if (m < match.length) out.push(match[m++] as Req);
    if (d >= dir.length && m < match.length) d = 0;
  }
  return out;
}
