// The staff finder pages through app.request: sign-in and its cookie, sessions that are
// tampered with or expired, CSRF refusals, sign-out, the finder's answer, the gated market,
// validation messages, the CSV export, the SSO proxy identity, and the five languages.
import { describe, expect, it } from "vitest";
import { MemoryAuditSink } from "../../src/audit/audit-sink.js";
import { isStaffPage } from "../../src/edge/edge-cache.js";
import { createApp } from "../../src/http/app.js";
import type { AppDeps } from "../../src/http/env.js";
import { findPlace } from "../../src/ranking/places.js";
import { UI_LANGUAGES } from "../../src/web/i18n/languages.js";
import { STAFF_MESSAGES } from "../../src/web/i18n/staff-messages.js";
import { csvCell } from "../../src/web/staff/finder-csv.js";
import { backendOf, catalog, policy, rawProfile } from "../helpers.js";

const TOKEN = "staff-token-0123456789abcdef";
const ORIGIN = "http://localhost";
const SECRET = "s".repeat(40);
const PROXY_SECRET = "p".repeat(40);

const feed = [
  rawProfile({ id: "p-001", name: '=HYPERLINK("http://evil.example","x")' }),
  rawProfile({ id: "p-002", name: 'Elbe "Digital", GmbH', tier: "gold" }),
  rawProfile({
    id: "p-003",
    name: "Rhein Onboarding",
    services: ["onboarding"],
    accreditations: [{ code: "onboarding", since: "2024-01-01" }],
  }),
  // The first one's twin: equal scores, so the order between them rotates daily.
  rawProfile({ id: "p-004", name: '=HYPERLINK("http://evil.example","x")' }),
];

function appWith(over: Partial<AppDeps> = {}) {
  const audit = new MemoryAuditSink();
  let now = new Date("2026-12-02T10:00:00Z");
  const app = createApp({
    backend: backendOf(feed),
    catalog,
    policy,
    matchTokens: [TOKEN],
    matchCallers: new Map([[TOKEN, "ana"]]),
    audit,
    clock: () => now,
    staffSessions: { secret: SECRET, ttlSeconds: 8 * 3600 },
    ...over,
  });
  return { app, audit, advance: (ms: number) => (now = new Date(now.getTime() + ms)) };
}

function signInRequest(token: string, extra: Record<string, string> = {}, origin = ORIGIN) {
  return new Request(`${ORIGIN}/staff/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin, ...extra },
    body: new URLSearchParams({ token, return: "/staff/finder?country=DE" }).toString(),
  });
}

/** Signs in and returns the cookie to send back. */
async function signIn(app: ReturnType<typeof createApp>): Promise<string> {
  const res = await app.request(signInRequest(TOKEN));
  expect(res.status).toBe(303);
  const set = res.headers.get("set-cookie") ?? "";
  return set.split(";")[0] as string;
}

function get(app: ReturnType<typeof createApp>, path: string, cookie?: string, lang?: string) {
  return app.request(`${ORIGIN}${path}`, {
    headers: { ...(cookie ? { cookie } : {}), ...(lang ? { "accept-language": lang } : {}) },
  });
}

describe("staff sign-in", () => {
  it("sends a visitor without a session to sign in, with the way back", async () => {
    const { app } = appWith();
    const res = await get(app, "/staff/finder?country=DE&lang=de");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(
      `/staff/sign-in?return=${encodeURIComponent("/staff/finder?country=DE&lang=de")}`,
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
    for (const path of ["/staff", "/finder"]) {
      const r = await get(app, path);
      expect(r.headers.get("location")).toBe("/staff/finder");
    }
  });

  it("signs in with a staff token: a signed, HttpOnly, Secure, Strict cookie naming the label", async () => {
    const { app } = appWith();
    const res = await app.request(signInRequest(TOKEN));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/staff/finder?country=DE");
    const set = res.headers.get("set-cookie") ?? "";
    expect(set).toMatch(/^__Secure-staff_session=/);
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; Secure/);
    expect(set).toMatch(/; SameSite=Strict/);
    expect(set).toMatch(/; Path=\/staff(;|$)/);
    expect(set).toMatch(/; Max-Age=28800/);
    expect(decodeURIComponent(set)).toContain('"l":"ana"');
    expect(set).not.toContain(TOKEN);
    const page = await get(app, "/staff/finder", set.split(";")[0]);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Signed in as ana");
  });

  it("re-shows the form with a message (401) for a wrong token, and counts it against the staff limit", async () => {
    const { app } = appWith({
      rateLimits: {
        publicPerMinute: 0,
        staffPerMinute: 2,
        clientAddress: (c) => c.req.header("x-test-client"),
      },
    });
    const wrong = () =>
      app.request(signInRequest("not-the-token-000000", { "x-test-client": "a" }));
    const first = await wrong();
    expect(first.status).toBe(401);
    expect(first.headers.get("set-cookie")).toBeNull();
    const body = await first.text();
    expect(body).toContain("Staff token: This token is not valid");
    expect(body).toContain('aria-invalid="true"');
    expect((await wrong()).status).toBe(401);
    expect((await wrong()).status).toBe(429);
  });

  it("limits the finder per signed-in caller", async () => {
    const { app } = appWith({
      rateLimits: {
        publicPerMinute: 0,
        staffPerMinute: 2,
        clientAddress: () => "192.0.2.9",
      },
    });
    const cookie = await signIn(app);
    expect((await get(app, "/staff/finder", cookie)).status).toBe(200);
    expect((await get(app, "/staff/finder.csv?country=DE", cookie)).status).toBe(200);
    const over = await get(app, "/staff/finder", cookie);
    expect(over.status).toBe(429);
    expect(over.headers.get("cache-control")).toBe("no-store");
  });

  it("refuses a tampered or an expired session cookie", async () => {
    const { app, advance } = appWith();
    const cookie = await signIn(app);
    const [name, value] = cookie.split("=") as [string, string];
    const forged = decodeURIComponent(value).replace('"l":"ana"', '"l":"boss"');
    const tampered = await get(app, "/staff/finder", `${name}=${encodeURIComponent(forged)}`);
    expect(tampered.status).toBe(303);
    const otherKey = appWith({ staffSessions: { secret: "x".repeat(40), ttlSeconds: 60 } });
    expect((await get(otherKey.app, "/staff/finder", cookie)).status).toBe(303);
    expect((await get(app, "/staff/finder", cookie)).status).toBe(200);
    advance(8 * 3600 * 1000 + 1000);
    expect((await get(app, "/staff/finder", cookie)).status).toBe(303);
  });

  it("refuses a cross-origin form POST (CSRF) and one without an origin", async () => {
    const { app } = appWith();
    const cross = await app.request(signInRequest(TOKEN, {}, "https://evil.example"));
    expect(cross.status).toBe(403);
    expect(cross.headers.get("set-cookie")).toBeNull();
    expect(cross.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await cross.text()).toContain("This form was sent from another site");
    const noOrigin = await app.request(`${ORIGIN}/staff/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: TOKEN }).toString(),
    });
    expect(noOrigin.status).toBe(403);
    const cookie = await signIn(app);
    const out = await app.request(`${ORIGIN}/staff/sign-out`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://evil.example",
        cookie,
      },
      body: "",
    });
    expect(out.status).toBe(403);
  });

  it("reads no sign-in form larger than a token needs", async () => {
    const { app } = appWith();
    const res = await app.request(signInRequest("x".repeat(20_000)));
    expect(res.status).toBe(413);
    const broken = await app.request(`${ORIGIN}/staff/sign-in`, {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=zzz", origin: ORIGIN },
      body: "--zzz\r\nnot a part",
    });
    expect(broken.status).toBe(401);
  });

  it("signs out: the cookie is cleared", async () => {
    const { app } = appWith();
    const cookie = await signIn(app);
    const res = await app.request(`${ORIGIN}/staff/sign-out?lang=fr`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, cookie },
      body: "",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/staff/sign-in?lang=fr");
    const set = res.headers.get("set-cookie") ?? "";
    expect(set).toMatch(/^__Secure-staff_session=;/);
    expect(set).toMatch(/Max-Age=0/);
  });

  it("never sends a visitor back to another site after sign-in", async () => {
    const { app } = appWith();
    const res = await app.request(
      new Request(`${ORIGIN}/staff/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
        body: new URLSearchParams({ token: TOKEN, return: "//evil.example/x" }).toString(),
      }),
    );
    expect(res.headers.get("location")).toBe("/staff/finder");
  });
});

describe("SSO proxy identity", () => {
  const proxied = () =>
    appWith({
      staffSessions: {
        secret: SECRET,
        ttlSeconds: 3600,
        identityHeader: "X-Auth-Request-Email",
        proxySecret: PROXY_SECRET,
      },
    });

  it("believes the identity header only with the proxy's secret", async () => {
    const { app, audit } = proxied();
    const headers = { "x-auth-request-email": "ana@example.com" };
    const forged = await app.request(`${ORIGIN}/staff/finder`, { headers });
    expect(forged.status).toBe(303);
    const wrong = await app.request(`${ORIGIN}/staff/finder`, {
      headers: { ...headers, "x-staff-proxy-secret": "q".repeat(40) },
    });
    expect(wrong.status).toBe(303);
    const ok = await app.request(`${ORIGIN}/staff/finder?country=DE`, {
      headers: { ...headers, "x-staff-proxy-secret": PROXY_SECRET },
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("Signed in as ana@example.com");
    const [record] = await audit.recent({ limit: 1 });
    expect(record?.caller).toBe("ana@example.com");
  });
});

describe("staff finder page", () => {
  it("answers with candidates, reasons as bars, coverage and teams, never cached, audited", async () => {
    const { app, audit } = appWith();
    const cookie = await signIn(app);
    const q = "country=DE&languages=de&needs=crm_implementation&needs=onboarding&motion=difm";
    const res = await get(app, `/staff/finder?${q}`, cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain('data-id="p-002"');
    expect(html).toMatch(/class="bar w\d+"/);
    expect(html).toContain("Accredited");
    expect(html).toContain("Pass the basic rules");
    expect(html).toContain("No shared language");
    expect(html).toContain("Teams covering every need");
    expect(html).toContain("2 of 5 referral slots in use");
    expect(html).toContain(`href="/staff/finder.csv?${q.replace(/&/g, "&amp;")}"`);
    expect(html).toContain(`value="${ORIGIN}/staff/finder?${q.replace(/&/g, "&amp;")}"`);
    // Twins score within the epsilon: the rotation note shows, and both carry the same group.
    expect(html).toContain("the order among these rotates daily");
    expect(html.match(/Rotates daily, group 1/g)).toHaveLength(2);
    const [record] = await audit.recent({ limit: 1 });
    expect(record).toMatchObject({ caller: "ana", status: 200, market: "DE" });
    expect(record?.candidates.length).toBeGreaterThan(0);
  });

  it("marks the countries where matching is offered, with localized names", async () => {
    const { app } = appWith();
    const cookie = await signIn(app);
    const html = await (await get(app, "/staff/finder?lang=de", cookie)).text();
    const offered = html.slice(html.indexOf('label="Matching angeboten"'));
    const only = html.slice(html.indexOf('label="Nur Verzeichnis'));
    expect(offered).toContain(">Deutschland</option>");
    expect(only).toContain('value="JP"');
    expect(offered.slice(0, offered.indexOf("</optgroup>"))).not.toContain('value="JP"');
  });

  it("names industries, products and needs in the page's language, from the catalog", async () => {
    const { app } = appWith();
    const cookie = await signIn(app);
    const ja = await (await get(app, "/staff/finder?lang=ja", cookie)).text();
    expect(ja).toContain(catalog.label("industry", "manufacturing", "ja"));
    expect(catalog.label("industry", "manufacturing", "ja")).not.toBe("Manufacturing");
    expect(ja).not.toContain(">Manufacturing<");
  });

  it("refuses a gated market with the policy's message and a link to its directory", async () => {
    const { app, audit } = appWith();
    const cookie = await signIn(app);
    const res = await get(app, "/staff/finder?country=JP", cookie);
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain("Matching is not offered in Japan");
    expect(html).toContain('href="/directory?country=JP&amp;lang=en"');
    expect((await audit.recent({ limit: 1 }))[0]).toMatchObject({ status: 422, market: "JP" });
  });

  it("takes the customer's location as a city's name, coordinates winning when both are given", async () => {
    const { app, audit } = appWith();
    const cookie = await signIn(app);
    const res = await get(app, "/staff/finder?country=DE&city=munich", cookie);
    expect(res.status).toBe(200);
    const [byName] = await audit.recent({ limit: 1 });
    expect(byName?.request).toMatchObject({
      customer: { location: { lat: findPlace("München")?.lat, lon: findPlace("München")?.lon } },
    });
    await get(app, "/staff/finder?country=DE&city=munich&lat=53.5&lon=10", cookie);
    const [both] = await audit.recent({ limit: 1 });
    expect(both?.request).toMatchObject({ customer: { location: { lat: 53.5, lon: 10 } } });
    const unknown = await get(app, "/staff/finder?country=DE&city=Atlantis&lang=fr", cookie);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toMatch(/id="city-error">Ville: Aucun lieu nommé « Atlantis »/);
  });

  it("names each invalid field next to it", async () => {
    const { app } = appWith();
    const cookie = await signIn(app);
    const res = await get(app, "/staff/finder?country=&limit=999&lat=53.5", cookie);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="country-error">Country: Required\./);
    expect(html).toMatch(/id="limit-error">Number of candidates: /);
    expect(html).toMatch(/id="lon-error">Longitude: Give both latitude and longitude/);
  });

  it("takes a repeated single-valued field once, and checks the customer reference", async () => {
    const { app } = appWith();
    const cookie = await signIn(app);
    const twice = await get(app, "/staff/finder?country=DE&country=JP&customerRef=crm-42", cookie);
    expect(twice.status).toBe(200);
    expect(await twice.text()).toContain('value="crm-42"');
    const long = await get(app, `/staff/finder?country=DE&customerRef=${"x".repeat(201)}`, cookie);
    expect(long.status).toBe(400);
    expect(await long.text()).toMatch(/id="customerRef-error">Customer reference: /);
  });

  it("resolves a partner of record given by name, and offers suggestions when several match", async () => {
    const { app } = appWith();
    const cookie = await signIn(app);
    const one = await get(app, "/staff/finder?country=DE&partnerOfRecord=Rhein+Onboarding", cookie);
    expect(one.status).toBe(200);
    expect(await one.text()).toMatch(
      /Partner of record:<\/strong> (Rhein Onboarding is eligible|p-003)/,
    );
    const many = await get(app, "/staff/finder?country=DE&partnerOfRecord=Hamburg", cookie);
    expect(many.status).toBe(400);
    const html = await many.text();
    expect(html).toContain("Several partners match");
    expect(html).toContain('<option value="Elbe &quot;Digital&quot;, GmbH (p-002)">');
  });
});

describe("CSV export", () => {
  it("escapes quotes and defuses formulas", () => {
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    for (const s of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx"]) expect(csvCell(s)).toBe(`"'${s}"`);
    expect(csvCell(-1.5)).toBe("-1.5");
  });

  it("downloads the same list as an attachment", async () => {
    const { app } = appWith();
    const cookie = await signIn(app);
    const res = await get(app, "/staff/finder.csv?country=DE&languages=de", cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toBe(
      'attachment; filename="partner-finder-DE-2026-12-02.csv"',
    );
    expect(res.headers.get("cache-control")).toBe("no-store");
    const lines = (await res.text())
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toMatch(/^"rank","score","eligibility","partner_id","partner_name"/);
    expect(lines).toHaveLength(5);
    const text = lines.join("\n");
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(text).toContain(`"Elbe ""Digital"", GmbH"`);
    const gated = await get(app, "/staff/finder.csv?country=JP", cookie);
    expect(gated.status).toBe(422);
    expect(await gated.json()).toMatchObject({ code: "market_not_offered", country: "JP" });
    const bad = await get(app, "/staff/finder.csv?country=DE&limit=0", cookie);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "invalid_request" });
    expect((await get(app, "/staff/finder.csv?country=DE")).status).toBe(303);
  });
});

describe("interface languages", () => {
  it("has every message key in every language", () => {
    const keys = Object.keys(STAFF_MESSAGES.en).sort();
    for (const lang of UI_LANGUAGES) {
      expect(Object.keys(STAFF_MESSAGES[lang]).sort(), lang).toEqual(keys);
      for (const k of keys) {
        expect(STAFF_MESSAGES[lang][k as keyof typeof STAFF_MESSAGES.en], `${lang}.${k}`).not.toBe(
          "",
        );
      }
    }
  });

  it("renders the sign-in and finder pages in each language", async () => {
    const { app } = appWith();
    const cookie = await signIn(app);
    for (const lang of UI_LANGUAGES) {
      const finder = await (await get(app, `/staff/finder?country=DE&lang=${lang}`, cookie)).text();
      expect(finder).toContain(`<html lang="${lang}">`);
      expect(finder).toContain(`<title>${STAFF_MESSAGES[lang].finder_title}</title>`);
      expect(finder).toContain(`hreflang="${lang}"`);
      expect(finder).toContain('hreflang="x-default"');
      const signInPage = await (await get(app, "/staff/sign-in", undefined, lang)).text();
      expect(signInPage).toContain(`<html lang="${lang}">`);
    }
  });
});

describe("edge cache", () => {
  it("treats every staff path as a staff page", () => {
    for (const p of ["/staff", "/staff/finder", "/staff/finder.csv", "/finder"]) {
      expect(isStaffPage(p)).toBe(true);
    }
    expect(isStaffPage("/directory")).toBe(false);
  });
});
