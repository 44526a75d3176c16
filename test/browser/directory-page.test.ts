// The directory page in real headless Chromium: a person searches, filters and pages.
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { serve } from "@hono/node-server";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appOf, rawProfile } from "../helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FACETS = [
  "country",
  "language",
  "industry",
  "service",
  "product",
  "customerSize",
  "tier",
  "accredited",
];

const feed = [
  rawProfile({ id: "acc-1", name: "Nordlicht Digital", tier: "gold" }),
  ...Array.from({ length: 25 }, (_, i) =>
    rawProfile({
      id: `plain-${String(i).padStart(2, "0")}`,
      name: `Elbe Agentur ${i}`,
      description: "Marketingagentur für den Mittelstand",
      accreditations: [],
      tier: i % 2 ? "elite" : "none",
      industries: i % 3 ? ["software"] : ["healthcare"],
    }),
  ),
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
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe("directory page", () => {
  it("renders styled under its Content-Security-Policy, with no violation reported", async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy/.test(m.text()))
        violations.push(m.text());
    });
    for (const path of ["/directory", "/directory?q=agentur", "/docs"])
      await page.goto(`${base}${path}`);
    await page.goto(`${base}/directory`);
    // The stylesheet applied: the results list lost its default bullets.
    const listStyle = await page
      .locator("ol.results")
      .first()
      .evaluate((el) => getComputedStyle(el).listStyleType);
    expect(listStyle).toBe("none");
    expect(violations).toEqual([]);
  });

  it("shows accredited partners first", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/directory`);
    const cards = page.locator("li.card");
    expect(await cards.count()).toBe(20);
    expect(await cards.first().getAttribute("data-id")).toBe("acc-1");
    expect(await cards.first().getAttribute("data-accredited")).toBe("true");
    expect(await page.locator("p.total").getAttribute("data-total")).toBe("26");
    await page.close();
  });

  it("narrows to accredited partners when the box is checked and restores the list when unchecked", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/directory`);
    const total = () => page.locator("p.total").getAttribute("data-total");
    expect(await total()).toBe("26");
    expect(await page.locator("li.card[data-accredited=false]").count()).toBeGreaterThan(0);

    await page.check("input[name=accredited]");
    await page.click("button[type=submit]");
    await page.waitForURL(/accredited=true/);
    expect(await total()).toBe("1");
    const cards = page.locator("li.card");
    expect(await cards.count()).toBe(1);
    expect(await cards.first().getAttribute("data-id")).toBe("acc-1");
    expect(await page.locator("li.card[data-accredited=false]").count()).toBe(0);
    expect(await cards.first().locator(".badge.acc").textContent()).toBe(
      "Accredited: CRM Implementation",
    );
    expect(await page.isChecked("input[name=accredited]")).toBe(true);

    await page.uncheck("input[name=accredited]");
    await page.click("button[type=submit]");
    await page.waitForURL((u) => !u.searchParams.has("accredited"));
    expect(await total()).toBe("26");
    expect(await page.locator("li.card").count()).toBe(20);
    expect(await page.isChecked("input[name=accredited]")).toBe(false);
    await page.close();
  });

  it("searches free text, pages and filters by a facet", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/directory`);
    await page.fill("input[name=q]", "agentur");
    await page.click("button[type=submit]");
    await page.waitForURL(/q=agentur/);
    expect(await page.locator("p.total").getAttribute("data-total")).toBe("25");

    await page.click("a[rel=next]");
    await page.waitForURL(/page=2/);
    expect(await page.locator("li.card").count()).toBe(5);

    await page.check("fieldset[data-facet=industry] input[value=healthcare]");
    await page.click("aside button[type=submit]");
    await page.waitForURL(/industry=healthcare/);
    const n = Number(await page.locator("p.total").getAttribute("data-total"));
    expect(n).toBe(9);
    await page.close();
  });

  it("explains a bad parameter on the page instead of failing", async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${base}/directory?pageSize=500`);
    expect(res?.status()).toBe(400);
    expect(await page.locator("[role=alert]").textContent()).toContain("pageSize");
    await page.close();
  });

  it("renders the API docs page", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/docs`);
    expect(await page.locator("h1").textContent()).toBe("Partner matching API");
    expect(await page.locator("#problem-market_not_offered").count()).toBe(1);
    await page.close();
  });
});

describe("with the keyboard", () => {
  it("reaches the search box within three Tab presses, and a skip link jumps to the results", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/directory`);
    let presses = 0;
    for (; presses < 10; presses++) {
      const focused = await page.evaluate(() => document.activeElement?.getAttribute("name"));
      if (focused === "q") break;
      await page.keyboard.press("Tab");
    }
    expect(presses).toBeLessThanOrEqual(3);
    await page.goto(`${base}/directory`);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(
      "Skip to the results",
    );
    await page.keyboard.press("Enter");
    expect(new URL(page.url()).hash).toBe("#results");
    // Every form control has a visible label.
    for (const name of ["q", "sort", ...FACETS]) {
      const label = await page.locator(`label:has([name="${name}"])`).first().innerText();
      expect(label.trim().length, name).toBeGreaterThan(0);
    }
    await page.close();
  });
});

describe("on a phone", () => {
  it.each([360, 390, 768, 1440])("has no horizontal scroll at %i px", async (width) => {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    for (const path of ["/directory", "/directory?q=agentur", "/directory?pageSize=0", "/docs"]) {
      await page.goto(`${base}${path}`);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${path} at ${width}px`).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
});

describe("accessibility (axe-core in Chromium)", () => {
  it.each([
    ["results", "/directory?q=agentur"],
    ["empty", "/directory?q=zzzzqqqq"],
    ["error", "/directory?pageSize=0"],
    ["docs", "/docs"],
  ])(
    "the %s page has no serious or critical violation, on a desktop and a phone",
    async (_, path) => {
      for (const width of [1366, 390]) {
        const context = await browser.newContext({ viewport: { width, height: 800 } });
        const page = await context.newPage();
        await page.goto(`${base}${path}`);
        const { violations } = await new AxeBuilder({ page }).analyze();
        const bad = violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id} (${v.nodes.length})`);
        expect(bad, `${path} at ${width}px`).toEqual([]);
        await context.close();
      }
    },
  );
});

describe("in every interface language (axe-core)", () => {
  it.each(["en", "de", "fr", "ja", "es"])(
    "/directory, a filtered search and a profile in %s have no axe violation",
    async (lang) => {
      for (const width of [1280, 390]) {
        const context = await browser.newContext({ viewport: { width, height: 800 } });
        const page = await context.newPage();
        for (const path of [
          `/directory?lang=${lang}&industry=healthcare&industry=software&q=agentur&page=2&pageSize=5`,
          `/directory?lang=${lang}&q=zzzzqqqq&tier=elite`,
          `/directory?lang=${lang}&page=400`,
          `/partners/acc-1?lang=${lang}`,
          `/partners/nobody?lang=${lang}`,
        ]) {
          await page.goto(`${base}${path}`);
          expect(await page.getAttribute("html", "lang")).toBe(lang);
          // axe takes seconds a page on a busy box: it runs on the desktop layout, the phone
          // layout is checked for width (the text, which changes with the language, is the same).
          if (width === 1280) {
            const { violations } = await new AxeBuilder({ page }).analyze();
            const found = violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`);
            expect(found, `${path} at ${width}px`).toEqual([]);
          }
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          expect(overflow, `${path} at ${width}px`).toBeLessThanOrEqual(0);
        }
        await context.close();
      }
    },
    180_000,
  );
});

describe("with JavaScript off", () => {
  it("searches, filters with several values and pages with plain forms and links", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/directory?utm_source=newsletter&gclid=x`);
    await page.fill("input[name=q]", "agentur");
    await page.click("form#f button[type=submit]");
    await page.waitForURL(/q=agentur/);
    expect(await page.locator("p.total").getAttribute("data-total")).toBe("25");
    // Two values of one facet: OR; the "show more" list is a <details>, no script needed.
    await page.check("fieldset[data-facet=industry] input[value=healthcare]");
    await page.check("fieldset[data-facet=industry] input[value=software]");
    await page.click("aside button[type=submit]");
    await page.waitForURL(/industry=software/);
    expect(new URL(page.url()).searchParams.getAll("industry").sort()).toEqual([
      "healthcare",
      "software",
    ]);
    expect(await page.locator("p.total").getAttribute("data-total")).toBe("25");
    await page.click("nav.pages a[rel=next]");
    await page.waitForURL(/page=2/);
    const u = new URL(page.url());
    expect(u.searchParams.get("q")).toBe("agentur");
    expect(u.searchParams.getAll("industry").sort()).toEqual(["healthcare", "software"]);
    expect(await page.locator("li.card").count()).toBe(5);
    // A chip removes one value and keeps the rest.
    await page.click("a.chip >> nth=0");
    await page.waitForURL((url) => url.searchParams.getAll("industry").length === 1);
    expect(await page.isChecked("input[name=q]").catch(() => false)).toBe(false);
    expect(await page.inputValue("input[name=q]")).toBe("agentur");
    // The "use my location" button needs a script: without one it stays hidden.
    expect(await page.locator("#locate").count()).toBeLessThanOrEqual(1);
    if ((await page.locator("#locate").count()) === 1)
      expect(await page.locator("#locate").isVisible()).toBe(false);
    await context.close();
  });
});

describe("with JavaScript on", () => {
  it("pages by swapping the results without a navigation, and the back button restores them", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/directory?q=agentur&pageSize=5`);
    const first = await page.locator("li.card").first().getAttribute("data-id");
    // A marker on window survives only if the document is not replaced.
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    const navigations: string[] = [];
    page.on("framenavigated", (f) => {
      if (f === page.mainFrame()) navigations.push(f.url());
    });
    await page.click("nav.pages a[rel=next]");
    await page.waitForURL(/page=2/);
    await page.waitForFunction(
      (id) => document.querySelector("li.card")?.getAttribute("data-id") !== id,
      first,
    );
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    expect(await page.locator("nav.pages a[aria-current=page]").textContent()).toBe("2");
    // Focus moves to the results, so a screen reader hears the new page.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("results");

    await page.click("nav.pages a[rel=next]");
    await page.waitForURL(/page=3/);
    await page.goBack();
    await page.waitForFunction(() => new URL(location.href).searchParams.get("page") === "2");
    await page.waitForFunction(
      () => document.querySelector("nav.pages a[aria-current=page]")?.textContent === "2",
    );
    await page.goBack();
    await page.waitForFunction(() => !new URL(location.href).searchParams.has("page"));
    await page.waitForFunction(
      (id) => document.querySelector("li.card")?.getAttribute("data-id") === id,
      first,
    );
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    await page.close();
  });

  it("shows the location button when the browser can locate", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/directory`);
    const button = page.locator("#locate");
    if ((await button.count()) === 1) expect(await button.isVisible()).toBe(true);
    await page.close();
  });
});

// Opt-in (SCREENSHOTS=1): the committed pictures change only when someone means to renew them.
describe.runIf(process.env.SCREENSHOTS === "1")("screenshots for the README", () => {
  it.each([390, 1280])("at %i px", async (width) => {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/directory?industry=healthcare&industry=software`);
    await page.screenshot({ path: `docs/screenshots/directory-${width}.png` });
    await page.goto(`${base}/partners/acc-1`);
    await page.screenshot({ path: `docs/screenshots/profile-${width}.png` });
    await context.close();
  });
});
