// The directory page served by the Worker (workerd, the 10k snapshot), driven by real headless
// Chromium once: a visitor searches with the form (the enhancement script swapping results),
// opens a partner, switches language, on a phone-sized screen, and axe-core finds nothing
// serious or critical. The Node page is tested in depth in test/browser/.
import AxeBuilder from "@axe-core/playwright";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workerUrl } from "./helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
});

afterAll(async () => {
  await browser?.close();
});

describe("the directory page on the Worker, in Chromium", () => {
  it("searches, opens a partner and switches language on a phone", {
    timeout: 180_000,
  }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`${m.text()} ${m.location().url}`);
    });
    await page.goto(new URL("/directory?lang=de", workerUrl).href);
    expect(await page.getAttribute("html", "lang")).toBe("de");
    await page.fill("input[name=q]", "crm");
    await page.click("form#f button[type=submit]");
    await page.waitForFunction(() => new URL(location.href).searchParams.get("q") === "crm");
    await expect.poll(() => page.locator("li.card").count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );

    const axe = await new AxeBuilder({ page }).analyze();
    const serious = axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => v.id)).toEqual([]);

    const name = (await page.locator("li.card h3 a").first().innerText()).trim();
    await page.locator("li.card h3 a").first().click();
    await page.waitForURL(/\/partners\//);
    expect(await page.locator("h1").innerText()).toContain(name);

    await page.click("details.lang summary");
    await Promise.all([page.waitForURL(/lang=ja/), page.click('details.lang a[hreflang="ja"]')]);
    expect(await page.getAttribute("html", "lang")).toBe("ja");
    await context.close();
  });
});
