// The directory's remaining flows in real headless Chromium: sort, near a city with a radius
// and by distance, a budget, "use my location", the language switch, and a campaign link's
// tracking parameters. Screenshots of a search in two languages, phone and desktop, are kept
// in test-artifacts/ on every run (not committed; the README's come from SCREENSHOTS=1).
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appOf, rawProfile } from "../helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = "test-artifacts/screenshots";

const at = (city: string, lat: number, lon: number) => [{ country: "DE", city, lat, lon }];
const feed = [
  rawProfile({ id: "hh-1", name: "Alster Digital", minProjectBudgetUsd: 5000 }),
  rawProfile({
    id: "b-1",
    name: "Spree Beratung",
    accreditations: [],
    locations: at("Berlin", 52.52, 13.405),
    minProjectBudgetUsd: 20000,
  }),
  rawProfile({
    id: "p-1",
    name: "Havel Systeme",
    accreditations: [],
    locations: at("Potsdam", 52.39, 13.06),
    minProjectBudgetUsd: 2000,
  }),
  rawProfile({
    id: "m-1",
    name: "Isar Agentur",
    accreditations: [],
    locations: at("München", 48.137, 11.575),
  }),
];

let server: ReturnType<typeof serve>;
let base = "";
let browser: Browser;

beforeAll(async () => {
  const { app } = appOf(feed);
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

const cards = (page: Page) =>
  page.locator("li.card").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id));

describe("directory flows", () => {
  it("sorts by name from the sort control", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/directory`);
    await page.selectOption("select[name=sort]", "name");
    await Promise.all([page.waitForURL(/sort=name/), page.click("form#f button[type=submit]")]);
    const names = await page.locator("li.card h3").allInnerTexts();
    expect(names.length).toBe(4);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    await page.close();
  });

  it("finds partners near a city typed by name, within a radius, nearest first on request", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/directory`);
    await page.fill("input[name=near]", "Berlin");
    await page.selectOption("select[name=radiusKm]", "50");
    await Promise.all([page.waitForURL(/near=Berlin/), page.click("form#f button[type=submit]")]);
    expect((await cards(page)).sort()).toEqual(["b-1", "p-1"]);
    expect(await page.inputValue("input[name=near]")).toBe("Berlin");
    // With a place given, the sort control offers distance.
    await page.selectOption("select[name=sort]", "distance");
    await Promise.all([page.waitForURL(/sort=distance/), page.click("form#f button[type=submit]")]);
    expect(await cards(page)).toEqual(["b-1", "p-1"]);
    expect(await page.locator("li.card").first().innerText()).toMatch(/0[.,]0 km/);
    await page.close();
  });

  it("keeps only partners whose minimum project fits the budget", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/directory`);
    await page.fill("input[name=budgetUsd]", "5000");
    await Promise.all([
      page.waitForURL(/budgetUsd=5000/),
      page.click("form#f button[type=submit]"),
    ]);
    // b-1 asks 20,000; m-1 names no minimum, so it fits any budget.
    expect((await cards(page)).sort()).toEqual(["hh-1", "m-1", "p-1"]);
    await page.close();
  });

  it("fills near from the browser's location", async () => {
    const context = await browser.newContext({
      geolocation: { latitude: 48.14, longitude: 11.58 },
      permissions: ["geolocation"],
    });
    const page = await context.newPage();
    await page.goto(`${base}/directory`);
    await page.click("#locate");
    await expect.poll(() => page.inputValue("input[name=near]")).toMatch(/^48\.1\d*,11\.5\d*$/);
    await context.close();
  });

  it("switches language from the menu, keeping the search", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/directory?q=agentur&lang=en`);
    await page.click("details.lang summary");
    await Promise.all([page.waitForURL(/lang=ja/), page.click('details.lang a[hreflang="ja"]')]);
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    expect(await page.inputValue("input[name=q]")).toBe("agentur");
    expect(await cards(page)).toEqual(["m-1"]);
    await page.close();
  });

  it("opens a campaign link with tracking parameters as the plain search", async () => {
    const page = await browser.newPage();
    const res = await page.goto(
      `${base}/directory?utm_source=news&utm_medium=mail&gclid=abc&fbclid=x&ref=partner&q=beratung`,
    );
    expect(res?.status()).toBe(200);
    expect(await cards(page)).toEqual(["b-1"]);
    // No link on the page carries the tracking parameters on.
    const hrefs = await page
      .locator("a[href]")
      .evaluateAll((els) => els.map((e) => e.getAttribute("href") ?? ""));
    expect(hrefs.filter((h) => /utm_|gclid|fbclid/.test(h))).toEqual([]);
    await page.close();
  });

  it("submits the search form without a navigation when scripts run", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/directory`);
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 7;
    });
    await page.fill("input[name=q]", "beratung");
    await page.click("form#f button[type=submit]");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("q") === "beratung");
    await expect.poll(() => cards(page)).toEqual(["b-1"]);
    // The same document: the marker survived, and the URL holds no empty fields.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
    expect(new URL(page.url()).searchParams.has("budgetUsd")).toBe(false);
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has("q"));
    await expect.poll(async () => (await cards(page)).length).toBe(4);
    await page.close();
  });

  it("clears every filter with one link, keeping the words", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/directory?q=agentur&budgetUsd=50000&industry=software&tier=elite`);
    await page.click("a.clear-all");
    await page.waitForURL((u) => !u.searchParams.has("industry"));
    const u = new URL(page.url());
    expect([...u.searchParams.keys()].filter((k) => k !== "lang")).toEqual(["q"]);
    expect(await cards(page)).toEqual(["m-1"]);
    await page.close();
  });

  it.each(["en", "de", "fr", "ja", "es"])(
    "an error page in %s (a place it does not know, a page size too large) passes axe",
    async (lang) => {
      // axe opens pages of its own in the page's context: a context, not browser.newPage().
      const context = await browser.newContext();
      const page = await context.newPage();
      for (const path of [
        `/directory?near=Atlantis&lang=${lang}`,
        `/directory?pageSize=999&lang=${lang}`,
      ]) {
        const res = await page.goto(`${base}${path}`);
        expect(res?.status()).toBe(400);
        expect(await page.getAttribute("html", "lang")).toBe(lang);
        const { violations } = await new AxeBuilder({ page }).analyze();
        const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
        expect(
          serious.map((v) => v.id),
          path,
        ).toEqual([]);
      }
      await context.close();
    },
    120_000,
  );

  it.each(["en", "ja"])("keeps phone and desktop screenshots of a search in %s", async (lang) => {
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${base}/directory?near=Berlin&radiusKm=300&lang=${lang}`);
      const path = `${ARTIFACTS}/directory-${lang}-${width}.png`;
      await page.screenshot({ path, fullPage: true });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        width,
      );
      await context.close();
    }
  });
});
