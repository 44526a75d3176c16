// The staff finder end to end in Debian's Chromium, past what staff-finder.test.ts covers: a
// match with its reasons, a team for needs no single partner covers, a gated market and its
// directory link, cross-site form posts refused, signed-out and wrong-token answers, the CSV
// download, and axe-core in German, French and Spanish (English and Japanese are in the other
// file), so every language's sign-in, form, answer and a gated refusal is checked.
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { serve } from "@hono/node-server";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { CSV_COLUMNS } from "../../src/web/staff/finder-csv.js";
import { backendOf, catalog, policy, rawProfile } from "../helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const TOKEN = "browser-flows-token-0123456789";

// Two German partners whose services split the needs crm_implementation + training, so only a
// team of both covers them; a Japanese partner the directory shows for JP (and only for JP).
const feed = [
  rawProfile({
    id: "p-101",
    name: "Elbe CRM GmbH",
    services: ["crm_implementation"],
    accreditations: [{ code: "crm_implementation", since: "2023-06-01" }],
  }),
  rawProfile({
    id: "p-102",
    name: "Isar Schulung GmbH",
    services: ["training"],
    accreditations: [],
    locations: [{ country: "DE", city: "München", lat: 48.14, lon: 11.58 }],
  }),
  rawProfile({
    id: "p-103",
    name: "Sakura Partners KK",
    languages: ["ja", "en"],
    markets: ["JP"],
    locations: [{ country: "JP", city: "Tokyo", lat: 35.68, lon: 139.69 }],
  }),
];
const TEAM_QUERY = "country=DE&needs=crm_implementation&needs=training";

let server: ReturnType<typeof serve>;
let foreign: Server;
let base = "";
let foreignBase = "";
let browser: Browser;

beforeAll(async () => {
  const app = createApp({
    backend: backendOf(feed),
    catalog,
    policy,
    matchTokens: [TOKEN],
    matchCallers: new Map([[TOKEN, "ana"]]),
  });
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
  });
  // localhost: a secure context for Chromium, so it keeps the Secure session cookie over HTTP.
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
  // Another site (127.0.0.1 is not localhost, and the port differs too): its page posts a
  // form to the finder's origin as soon as it loads, the way a hostile page would.
  foreign = createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    const action = `${base}${u.pathname === "/sign-in" ? "/staff/sign-in" : "/staff/sign-out"}`;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><title>elsewhere</title>
<form id="f" method="post" action="${action}">
<input type="hidden" name="token" value="${TOKEN}"><input type="hidden" name="return" value="/staff/finder">
</form><script>document.getElementById("f").submit()</script></html>`);
  });
  await new Promise<void>((resolve) => foreign.listen(0, "127.0.0.1", resolve));
  foreignBase = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
  });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
  foreign?.close();
});

async function signIn(page: Page, lang = "en"): Promise<void> {
  await page.goto(`${base}/staff/finder?lang=${lang}`);
  expect(new URL(page.url()).pathname).toBe("/staff/sign-in");
  await page.fill("#token", TOKEN);
  await page.press("#token", "Enter");
  await page.waitForURL((u) => u.pathname === "/staff/finder");
}

async function signedInContext(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page);
  return { context, page };
}

/** Whether this context's session still opens the finder (rather than being sent to sign in). */
async function finderOpens(page: Page): Promise<boolean> {
  await page.goto(`${base}/staff/finder`);
  return new URL(page.url()).pathname === "/staff/finder";
}

async function axeSerious(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** RFC 4180 rows: quoted cells with doubled quotes, CRLF between rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(cell);
      cell = "";
    } else if (ch === "\n") {
      row.push(cell.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length > 0) rows.push([...row, cell]);
  return rows;
}

describe("staff finder flows", () => {
  it("answers with reason bars for each candidate and a team naming both members", async () => {
    const { context, page } = await signedInContext();
    await page.goto(`${base}/staff/finder?${TEAM_QUERY}`);
    const cards = page.locator("li.candidate");
    expect(await cards.count()).toBe(2);
    const first = cards.first();
    const rows = first.locator("table.breakdown tbody tr");
    const n = await rows.count();
    expect(n).toBeGreaterThan(0);
    // Each reason is a visible row: a named signal, a bar as wide as its share, the share.
    let drawn = 0;
    for (let i = 0; i < n; i++) {
      const row = rows.nth(i);
      expect(await row.isVisible()).toBe(true);
      const signal =
        (await row.locator("th .hint").evaluate((el) => el.previousSibling?.textContent)) ?? "";
      expect(signal.trim()).not.toBe("");
      const pctText = (await row.locator(".pct").innerText()).trim();
      expect(pctText).toMatch(/^-?\d+\s?%$/);
      const pct = Number.parseInt(pctText, 10);
      const [bar, track] = await row
        .locator(".track")
        .evaluate((t) => [
          (t.firstElementChild as HTMLElement).offsetWidth,
          (t as HTMLElement).offsetWidth,
        ]);
      // The bar's width is its share of the track, to a couple of pixels of rounding.
      expect(
        Math.abs((bar as number) - ((track as number) * Math.max(0, Math.min(100, pct))) / 100),
      ).toBeLessThanOrEqual(2);
      if ((bar as number) > 0) drawn++;
    }
    expect(drawn).toBeGreaterThan(0);
    // The services reason is among them, named in the page's language.
    expect(await first.locator("table.breakdown tbody th").allInnerTexts()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Services/)]),
    );
    // The team: under its heading, one need each, both members named with their ids.
    expect(await page.locator("h2#teams").innerText()).toBe("Teams covering every need");
    const team = page.locator("ol.teams > li").first();
    expect(await team.isVisible()).toBe(true);
    const members = (await team.locator("ul > li").allInnerTexts()).sort();
    expect(members).toHaveLength(2);
    expect(members[0]).toMatch(/: Elbe CRM GmbH \(p-101\)$/);
    expect(members[1]).toMatch(/: Isar Schulung GmbH \(p-102\)$/);
    await context.close();
  });

  it("refuses a gated market with a directory link that opens the directory for JP", async () => {
    const { context, page } = await signedInContext();
    await page.selectOption("#country", "JP");
    const [answer] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === "/staff/finder"),
      page.click('button[type="submit"] >> text=Find partners'),
    ]);
    expect(answer.status()).toBe(422);
    expect(await page.locator("#gated-title").innerText()).toBe("Matching is not offered in Japan");
    expect(await page.locator("li.candidate").count()).toBe(0);
    const link = page.locator("section[aria-labelledby=gated-title] a");
    expect(await link.innerText()).toBe("Partners for Japan in the directory");
    await link.click();
    await page.waitForURL((u) => u.pathname === "/directory");
    expect(new URL(page.url()).searchParams.get("country")).toBe("JP");
    // Filtered to JP: the Japanese partner is listed, the German ones are not.
    expect(
      await page
        .locator("ol.results > li.card")
        .evaluateAll((els) => els.map((e) => e.getAttribute("data-id"))),
    ).toEqual(["p-103"]);
    await context.close();
  });

  it("refuses a sign-out posted from another site, and keeps the session", async () => {
    const { context, page } = await signedInContext();
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${base}/staff/sign-out`)),
      page.goto(`${foreignBase}/sign-out`),
    ]);
    expect(refused.status()).toBe(403);
    await page.waitForURL((u) => u.pathname === "/staff/sign-out");
    expect(await page.locator("h1").innerText()).toBe("Form refused");
    expect(await finderOpens(page)).toBe(true);
    await context.close();
  });

  it("refuses a sign-in posted from another site: no session is started", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().startsWith(`${base}/staff/sign-in`)),
      page.goto(`${foreignBase}/sign-in`),
    ]);
    // The right token, from the wrong site: a login CSRF would sign this browser in as ana.
    expect(refused.status()).toBe(403);
    expect(await page.locator("h1").innerText()).toBe("Form refused");
    expect((await context.cookies(base)).map((c) => c.name)).toEqual([]);
    expect(await finderOpens(page)).toBe(false);
    await context.close();
  });

  it("signs out with the button, then sends the finder to sign-in; a wrong token is a 401", async () => {
    const { context, page } = await signedInContext();
    await page.click('button:has-text("Sign out")');
    await page.waitForURL((u) => u.pathname === "/staff/sign-in");
    await page.goto(`${base}/staff/finder?${TEAM_QUERY}`);
    const at = new URL(page.url());
    expect(at.pathname).toBe("/staff/sign-in");
    expect(at.searchParams.get("return")).toBe(`/staff/finder?${TEAM_QUERY}`);
    expect(await page.locator("li.candidate").count()).toBe(0);
    // The CSV of the same list is no download for a signed-out browser either.
    await page.goto(`${base}/staff/finder.csv?${TEAM_QUERY}`);
    expect(new URL(page.url()).pathname).toBe("/staff/sign-in");
    await page.fill("#token", "not-the-token-0123456789");
    const [wrong] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.press("#token", "Enter"),
    ]);
    expect(wrong.status()).toBe(401);
    const error = page.locator("#token-error[role=alert]");
    expect(await error.isVisible()).toBe(true);
    expect(await error.innerText()).toContain("This token is not valid");
    expect(await page.getAttribute("#token", "aria-invalid")).toBe("true");
    expect(await finderOpens(page)).toBe(false);
    await context.close();
  });

  it("downloads the CSV of the list on the page", async () => {
    const { context, page } = await signedInContext();
    await page.goto(`${base}/staff/finder?${TEAM_QUERY}`);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.click("a[download]"),
    ]);
    expect(download.suggestedFilename()).toMatch(/^partner-finder-DE-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile(await download.path(), "utf8");
    expect(text.startsWith("\uFEFF")).toBe(true);
    const [header, ...rows] = parseCsv(text.slice(1));
    expect(header).toEqual([...CSV_COLUMNS]);
    const cards = page.locator("li.candidate");
    expect(rows).toHaveLength(await cards.count());
    // The first data row is the first card: rank, score, id and name as the page shows them.
    const row = Object.fromEntries(CSV_COLUMNS.map((k, i) => [k, rows[0]?.[i]]));
    const card = cards.first();
    expect(row.partner_id).toBe(await card.getAttribute("data-id"));
    expect(`${row.rank}. ${row.partner_name}`).toBe(await card.locator("h3").innerText());
    const shown = (await card.locator(".tag", { hasText: "Score" }).innerText())
      .replace("Score", "")
      .trim();
    expect(Number(row.score).toFixed(3)).toBe(shown);
    expect(row.reasons?.split("; ").length).toBe(
      await card.locator("table.breakdown tbody tr").count(),
    );
    await context.close();
  });

  for (const lang of ["de", "fr", "es"] as const) {
    it(`has no serious or critical axe-core violation in ${lang}: sign-in, answer${lang === "de" ? ", gated refusal" : ""}`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/staff/sign-in?lang=${lang}`);
      expect(await page.getAttribute("html", "lang")).toBe(lang);
      expect(await axeSerious(page)).toEqual([]);
      await signIn(page, lang);
      // The answer page holds the form too, and here the reason bars and a team.
      await page.goto(`${base}/staff/finder?lang=${lang}&${TEAM_QUERY}`);
      expect(await page.getAttribute("html", "lang")).toBe(lang);
      expect(await page.locator("ol.teams > li").count()).toBeGreaterThan(0);
      expect(await axeSerious(page)).toEqual([]);
      if (lang === "de") {
        await page.goto(`${base}/staff/finder?lang=de&country=JP`);
        expect(await page.locator("#gated-title").count()).toBe(1);
        expect(await axeSerious(page)).toEqual([]);
      }
      await context.close();
      // axe-core over the country and language lists takes tens of seconds on a busy machine.
    }, 240_000);
  }
});
