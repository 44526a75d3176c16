// Pages for people (CONTRACT 2a): standards mode, a viewport on every page, five interface
// languages, every filter as a multi-select facet whose state survives every link, paging that
// explains itself past the end, an empty state that says which filter to drop, partner profile
// pages with a real 404, and links from campaigns (utm_*, gclid, ...) that never break a page
// while the JSON API keeps refusing unknown parameters.
import { describe, expect, it } from "vitest";
import { directoryQuerySchema } from "../../src/http/routes/directory.js";
import { MAX_DROP_SEARCHES } from "../../src/http/routes/web.js";
import { UI_LANGUAGES } from "../../src/web/i18n/languages.js";
import { appOf, catalog, policy, rawProfile } from "../helpers.js";

const { app } = appOf([
  rawProfile(),
  rawProfile({ id: "p-2", name: "Zweite Agentur GmbH", description: "SEO und Inbound" }),
  ...Array.from({ length: 25 }, (_, i) =>
    rawProfile({
      id: `plain-${String(i).padStart(2, "0")}`,
      name: `Elbe Agentur ${i}`,
      description: "Marketingagentur für den Mittelstand",
      accreditations: [],
      tier: i % 2 ? "elite" : "none",
      industries: i % 3 ? ["software"] : ["healthcare"],
      languages: i % 4 ? ["de"] : ["fr"],
    }),
  ),
  rawProfile({ id: "hidden-1", name: "Unlisted Partner", directoryListed: false }),
]);

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await app.request(path, { headers });
  return { res, text: await res.text() };
}
const cards = (t: string) => [...t.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]);
/** Every href on the page, decoded from HTML. */
const hrefs = (t: string) =>
  [...t.matchAll(/href="([^"]*)"/g)].map((m) => (m[1] ?? "").replace(/&amp;/g, "&"));
const known = new Set(Object.keys(directoryQuerySchema(catalog, policy).shape));

describe("pages", () => {
  it.each(["/directory", "/docs", "/partners/p-000123", "/partners/nobody"])(
    "%s starts with the doctype and has a viewport",
    async (path) => {
      const res = await app.request(path);
      expect(res.status).toBe(path.endsWith("nobody") ? 404 : 200);
      const text = await res.text();
      expect(text.startsWith("<!doctype html><html")).toBe(true);
      expect(text).toContain(
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
      );
    },
  );

  it("redirects / to the directory", async () => {
    const res = await app.request("/");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/directory");
  });

  it("ignores tracking and other unknown parameters on the directory page", async () => {
    const plain = await (await app.request("/directory?q=seo")).text();
    const tracked = await app.request(
      "/directory?q=seo&utm_source=news&utm_campaign=dec&gclid=abc&fbclid=x&msclkid=y&ref=z&lang=xx",
    );
    expect(tracked.status).toBe(200);
    const text = await tracked.text();
    // The same search: the same cards (the CSP nonce differs per response).
    expect(cards(text)).toEqual(cards(plain));
    expect(cards(text)).toEqual(["p-2"]);
    // ...and the page's own links do not carry them on.
    for (const h of hrefs(text)) expect(h, h).not.toMatch(/utm_|gclid|fbclid|msclkid|ref=/);
  });

  it("ignores unknown parameters on a profile page too", async () => {
    const { res } = await get("/partners/p-000123?utm_source=x&gclid=y&lang=de&ref=z");
    expect(res.status).toBe(200);
  });

  it("still refuses an unknown parameter on the JSON API", async () => {
    const res = await app.request("/v1/directory/partners?utm_source=news");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ name: "utm_source" }] });
  });
});

describe("interface languages", () => {
  const titles = {
    en: "Find a solutions partner",
    de: "Einen Lösungspartner finden",
    fr: "Trouver un partenaire de solutions",
    ja: "ソリューションパートナーを探す",
    es: "Encuentre un socio de soluciones",
  };
  it.each(UI_LANGUAGES)("renders /directory and a profile in %s", async (lang) => {
    for (const path of [`/directory?lang=${lang}`, `/partners/p-000123?lang=${lang}`]) {
      const { res, text } = await get(path);
      expect(res.status).toBe(200);
      expect(text).toContain(`<html lang="${lang}">`);
      expect(res.headers.get("content-language")).toBe(lang);
      for (const l of [...UI_LANGUAGES, "x-default"]) {
        expect(text, `${path} hreflang ${l}`).toMatch(
          new RegExp(`<link rel="alternate" hreflang="${l}" href="http://localhost/`),
        );
      }
    }
    expect((await get(`/directory?lang=${lang}`)).text).toContain(`<h1>${titles[lang]}</h1>`);
  });

  it("follows Accept-Language when the URL does not say, and ?lang= over it", async () => {
    const de = await get("/directory", { "accept-language": "de-AT,de;q=0.9,en;q=0.5" });
    expect(de.text).toContain('<html lang="de">');
    expect(de.res.headers.get("vary")).toMatch(/accept-language/i);
    const fr = await get("/directory?lang=fr", { "accept-language": "de" });
    expect(fr.text).toContain('<html lang="fr">');
  });

  it("names countries, languages and catalog codes in the page's language", async () => {
    const { text } = await get("/directory?lang=de");
    expect(text).toContain("Deutschland");
    expect(text).toContain("Französisch");
    expect(text).toContain("Gesundheitswesen");
    expect(text).toContain("51–200 Beschäftigte");
    const ja = (await get("/directory?lang=ja")).text;
    expect(ja).toContain("ドイツ");
    // Numbers as the language writes them: 1.234 in German would be a thousands separator.
    const profile = (await get("/partners/p-000123?lang=de")).text;
    expect(profile).toContain("4,8");
    expect(profile).toContain("15.10.2026");
  });

  it("the language switcher keeps the current search", async () => {
    const { text } = await get("/directory?q=agentur&industry=software&industry=healthcare&page=2");
    const ja = hrefs(text).find((h) => h.includes("lang=ja") && h.startsWith("/directory"));
    expect(ja).toBeDefined();
    const u = new URL(ja as string, "http://x");
    expect(u.searchParams.get("q")).toBe("agentur");
    expect(u.searchParams.getAll("industry")).toEqual(["software", "healthcare"]);
    expect(u.searchParams.get("page")).toBe("2");
  });
});

describe("directory page", () => {
  it("shows all eight filters as multi-select facets with counts", async () => {
    const { text } = await get("/directory");
    for (const f of [
      "country",
      "language",
      "industry",
      "service",
      "product",
      "customerSize",
      "tier",
      "accredited",
    ]) {
      expect(text, f).toContain(`data-facet="${f}"`);
      expect(text, f).toMatch(new RegExp(`type="checkbox" name="${f}"`));
    }
    expect(text).toMatch(/Healthcare <span class="count">\(9\)<\/span>/);
  });

  it("keeps every selected value in every link (paging, chips, sort form)", async () => {
    const { text } = await get(
      "/directory?q=agentur&industry=software&industry=healthcare&language=de&pageSize=5&lang=de",
    );
    expect(text).toMatch(/name="industry" value="software" form="f" checked/);
    expect(text).toMatch(/name="industry" value="healthcare" form="f" checked/);
    const next = hrefs(text).find((h) => /page=2/.test(h) && h.startsWith("/directory"));
    const u = new URL(next as string, "http://x");
    expect(u.searchParams.getAll("industry")).toEqual(["software", "healthcare"]);
    expect(u.searchParams.get("q")).toBe("agentur");
    expect(u.searchParams.get("lang")).toBe("de");
    // A chip removes its own value and keeps the others.
    const chips = [...text.matchAll(/<a href="([^"]+)" class="chip"/g)].map(
      (m) => new URL((m[1] ?? "").replace(/&amp;/g, "&"), "http://x"),
    );
    expect(chips).toHaveLength(3);
    // In filter order: language de, industry software, industry healthcare.
    expect(chips[0]?.searchParams.has("language")).toBe(false);
    expect(chips[0]?.searchParams.getAll("industry")).toEqual(["software", "healthcare"]);
    expect(chips[1]?.searchParams.getAll("industry")).toEqual(["healthcare"]);
    expect(chips[1]?.searchParams.get("language")).toBe("de");
    expect(chips[1]?.searchParams.get("q")).toBe("agentur");
    // Clear all: no filter left, the words and the language stay.
    const clear = /<a href="([^"]+)" class="clear-all"/.exec(text)?.[1]?.replace(/&amp;/g, "&");
    expect(clear).toBe("/directory?q=agentur&pageSize=5&lang=de");
    // The form carries the language on.
    expect(text).toContain('<input type="hidden" name="lang" value="de"/>');
  });

  it("links cards to the profile page (not to JSON), with the search to go back to", async () => {
    const { text } = await get("/directory?q=nordlicht&lang=fr");
    expect(text).toContain('href="/partners/p-000123?lang=fr&amp;back=q%3Dnordlicht%26lang%3Dfr"');
    expect(text).not.toContain('href="/v1/directory/partners/');
  });

  it("puts accredited partners under their own heading above the others", async () => {
    const { text } = await get("/directory");
    const acc = text.indexOf('<h2 id="acc-h">Accredited partners</h2>');
    const other = text.indexOf('<h2 id="other-h">Other partners</h2>');
    expect(acc).toBeGreaterThan(0);
    expect(other).toBeGreaterThan(acc);
    expect(text.indexOf('data-id="p-000123"')).toBeLessThan(other);
    expect(text.indexOf('data-id="plain-00"')).toBeGreaterThan(other);
    // Headings in order: one h1, then h2s, then the cards' h3s.
    const levels = [...text.matchAll(/<h([1-6])/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++)
      expect(levels[i] as number).toBeLessThanOrEqual((levels[i - 1] as number) + 1);
  });

  it("numbers the pages and explains a page past the last one, linking to the last", async () => {
    const { text } = await get("/directory?page=2");
    expect(text).toContain("Page 2 of 2");
    expect(text).toContain('aria-current="page"');
    for (const path of ["/directory?page=500", "/directory?page=1000000"]) {
      const { res, text: past } = await get(path);
      expect(res.status, path).toBe(200);
      expect(past).toContain("There is no page");
      expect(past).toContain("this search has 2 pages of results");
      expect(past).toMatch(/<a href="\/directory\?page=2">Go to the last page \(page 2\)<\/a>/);
      expect(cards(past)).toEqual([]);
    }
  });

  it("names the filters to drop, with the count each removal would give", async () => {
    const { text } = await get("/directory?q=agentur&industry=healthcare&language=fr&tier=gold");
    expect(text).toContain("No partner matches this search.");
    const suggestions = [...text.matchAll(/data-drop="(\w+)" data-count="(\d+)"/g)].map(
      (m) => [m[1], Number(m[2])] as const,
    );
    // agentur + healthcare + fr: 3 of the 25 (i % 3 == 0 and i % 4 == 0: 0, 12, 24); gold: none.
    // Dropping anything else still leaves "gold", which no one is: only useful ways out show.
    expect(Object.fromEntries(suggestions)).toEqual({ tier: 3 });
    expect(text).toContain("Without Tier: Gold: 3 partners");
    const href = /data-drop="tier"[^>]*><a href="([^"]+)"/.exec(text)?.[1]?.replace(/&amp;/g, "&");
    const u = new URL(href as string, "http://x");
    expect(u.searchParams.has("tier")).toBe(false);
    expect(u.searchParams.get("industry")).toBe("healthcare");
  });

  it("caps the extra searches of the empty state", async () => {
    const many =
      "/directory?q=zzzz&country=JP&language=ja&industry=legal&service=seo&product=content_hub&customerSize=micro&tier=gold&accredited=true";
    const { text } = await get(many);
    expect(text).toContain("No partner matches this search.");
    // Only the suggestions that find someone are shown, and at most MAX_DROP_SEARCHES were run.
    expect([...text.matchAll(/data-drop=/g)].length).toBeLessThanOrEqual(MAX_DROP_SEARCHES);
  });

  it("offers near, budget and the distance sort only when the API knows them", async () => {
    const { text } = await get("/directory?near=52.5,13.4&budgetUsd=10000");
    expect(text.includes('name="near"')).toBe(known.has("near"));
    expect(text.includes('name="budgetUsd"')).toBe(known.has("budgetUsd"));
    expect(text.includes('value="distance"')).toBe(known.has("near"));
    // Unknown to this build: ignored like any unknown parameter, never a 400.
    if (!known.has("near")) expect(cards(text).length).toBeGreaterThan(0);
  });

  it("serves its enhancement script as a file the CSP allows by nonce", async () => {
    const page = await app.request("/directory");
    const csp = page.headers.get("content-security-policy") ?? "";
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(await page.text()).toContain(
      `<script nonce="${nonce}" src="/assets/directory.js" defer=""></script>`,
    );
    const js = await app.request("/assets/directory.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(await js.text()).toContain("history.pushState");
  });
});

describe("profile page", () => {
  it("shows every public field with labels, stars in words and a safe website link", async () => {
    const { res, text } = await get("/partners/p-000123");
    expect(res.status).toBe(200);
    for (const s of [
      "<h1>Nordlicht Digital GmbH</h1>",
      "CRM implementation and RevOps for German manufacturers.",
      "Solutions Partner",
      "Platinum",
      "Platinum partner",
      "Accredited: CRM Implementation",
      "Top rated",
      "CRM Implementation, since Jun 1, 2023",
      "Hamburg, Germany",
      "Austria",
      "German",
      "Manufacturing",
      "Custom integration",
      "Sales Hub",
      "51-200 staff",
      "$5,000",
      "42",
      'aria-label="Rated 4.8 out of 5"',
      "31 reviews",
      'href="https://nordlicht.example/" rel="noopener"',
      '<time datetime="2026-10-15T00:00:00Z">Oct 15, 2026</time>',
    ]) {
      expect(text, s).toContain(s);
    }
    expect(text).toContain('<a class="back" href="/directory">');
  });

  it("links back to the search it came from, keeping only what the directory knows", async () => {
    const back = encodeURIComponent("q=crm&industry=software&industry=healthcare&page=2&evil=1");
    const { text } = await get(`/partners/p-000123?lang=es&back=${back}`);
    expect(text).toContain(
      '<a class="back" href="/directory?q=crm&amp;industry=software&amp;industry=healthcare&amp;page=2&amp;lang=es">',
    );
  });

  it.each([
    ["an unknown id", "/partners/nobody"],
    ["an unlisted partner", "/partners/hidden-1"],
    ["a malformed id", "/partners/%3Cscript%3E"],
  ])("answers %s with a localized HTML 404", async (_, path) => {
    const { res, text } = await get(`${path}?lang=de`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(text).toContain('<html lang="de">');
    expect(text).toContain("<h1>Partner nicht gefunden</h1>");
    expect(text).not.toContain("Unlisted Partner");
    expect(text).not.toContain("<script>");
  });
});

describe("near a place by name", () => {
  it("searches a named city by its coordinates and keeps the name in the page", async () => {
    const { res, text } = await get("/directory?near=hamburg&radiusKm=10");
    expect(res.status).toBe(200);
    // Every partner here sits in Hamburg.
    expect(cards(text).length).toBeGreaterThan(0);
    expect(text).toContain('value="hamburg"');
    const far = await get("/directory?near=Berlin&radiusKm=50");
    expect(cards(far.text)).toEqual([]);
    const wide = await get("/directory?near=BERLIN&radiusKm=300");
    expect(cards(wide.text)).toEqual(cards(text));
  });

  it("says which place it does not know, in the page's language, with a 400", async () => {
    const { res, text } = await get("/directory?near=Atlantis&lang=de");
    expect(res.status).toBe(400);
    expect(text).toContain("Einen Ort „Atlantis“ kennen wir nicht");
  });
});

describe("the form's radius without a place", () => {
  it("is ignored, with a distance sort, instead of refusing the search", async () => {
    // The form always sends its radius select; a plain search must not become a 400.
    const { res, text } = await get("/directory?q=agentur&near=&radiusKm=100&sort=distance");
    expect(res.status).toBe(200);
    expect(cards(text).length).toBeGreaterThan(0);
  });
});

describe("the radius select", () => {
  it("shows a radius a link asked for even when it is not one of the choices", async () => {
    const { text } = await get("/directory?near=Hamburg&radiusKm=300");
    expect(text).toMatch(/<option value="300" selected="">/);
    const plain = await get("/directory?near=Hamburg&radiusKm=250");
    expect(plain.text).not.toContain('value="300"');
  });
});
