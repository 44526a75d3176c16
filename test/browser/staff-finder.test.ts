// The staff finder in real headless Chromium: a staff member signs in and asks for partners
// with the keyboard alone, on a phone-sized screen, with JavaScript off, in English and
// Japanese, and axe-core finds nothing to fix.
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { backendOf, catalog, policy, rawProfile } from "../helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const TOKEN = "browser-staff-token-0123456789";

const feed = [
  rawProfile({ id: "p-001", name: "Nordlicht Digital GmbH" }),
  rawProfile({ id: "p-002", name: "Nordlicht Zwilling GmbH" }),
  rawProfile({
    id: "p-003",
    name: "Rhein Onboarding AG mit einem sehr langen Namen, der auf kleinen Bildschirmen umbricht",
    tier: "gold",
    services: ["onboarding"],
    accreditations: [{ code: "onboarding", since: "2024-01-01" }],
  }),
];

let server: ReturnType<typeof serve>;
let base = "";
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
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
  });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

/** Presses Tab until the element with this id has focus (at most `max` times). */
async function tabTo(page: Page, id: string, max = 400): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((want) => document.activeElement?.id === want, id)) return;
  }
  throw new Error(`never reached #${id} with Tab`);
}

async function signIn(page: Page, path = "/staff/finder"): Promise<void> {
  await page.goto(`${base}${path}`);
  expect(new URL(page.url()).pathname).toBe("/staff/sign-in");
  await tabTo(page, "token");
  await page.keyboard.type(TOKEN);
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.pathname === "/staff/finder");
}

async function noHorizontalScroll(page: Page): Promise<void> {
  const [scroll, client] = await page.evaluate(() => [
    document.documentElement.scrollWidth,
    document.documentElement.clientWidth,
  ]);
  expect(scroll).toBeLessThanOrEqual(client);
  // Nor does anything stick out of its card (a card may clip what the page would not scroll to).
  const overflowing = await page.evaluate(() =>
    [...document.querySelectorAll("li.candidate *")]
      .filter((el) => {
        const card = el.closest("li.candidate") as Element;
        return el.getBoundingClientRect().right > card.getBoundingClientRect().right + 0.5;
      })
      .map((el) => `${el.tagName}.${el.className}`),
  );
  expect(overflowing).toEqual([]);
}

async function axeViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page }).analyze();
  return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe("staff finder page", () => {
  it("signs in and answers a request made with the keyboard alone, under the CSP", async () => {
    const page = await browser.newPage();
    const csp: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" && /Content Security Policy/.test(m.text())) csp.push(m.text());
    });
    await signIn(page);
    // The skip link is the first stop and moves focus to the content.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await tabTo(page, "country");
    await page.keyboard.type("Germany");
    await tabTo(page, "languages");
    await page.keyboard.type("German");
    await tabTo(page, "limit");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("5");
    await page.keyboard.press("Enter");
    await page.waitForSelector("li.candidate");
    const url = new URL(page.url());
    expect(url.searchParams.get("country")).toBe("DE");
    expect(url.searchParams.getAll("languages")).toEqual(["de"]);
    expect(await page.locator("li.candidate").count()).toBe(3);
    // The bars are drawn by the style block: a share has a width.
    const width = await page
      .locator("li.candidate .bar")
      .first()
      .evaluate((el) => el.clientWidth);
    expect(width).toBeGreaterThan(0);
    expect(await page.locator("#share-url").inputValue()).toBe(page.url());
    // Focus is visible: an outline on the focused field.
    await tabTo(page, "country");
    const outline = await page.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(outline).not.toBe("none");
    expect(csp).toEqual([]);
  });

  for (const lang of ["en", "ja"] as const) {
    it(`has no axe-core violations in ${lang}, signed out and with an answer`, async () => {
      // axe-core's runner opens pages of its own: it needs a context, not a bare page.
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/staff/sign-in?lang=${lang}`);
      expect(await page.getAttribute("html", "lang")).toBe(lang);
      expect(await axeViolations(page)).toEqual([]);
      await signIn(page, `/staff/finder?lang=${lang}`);
      await page.goto(
        `${base}/staff/finder?lang=${lang}&country=DE&needs=crm_implementation&needs=onboarding&partnerOfRecord=p-003`,
      );
      expect(await page.getAttribute("html", "lang")).toBe(lang);
      expect(await page.locator("li.candidate").count()).toBe(3);
      expect(await axeViolations(page)).toEqual([]);
      // The refusal of a gated market in one language, the field errors in the other.
      await page.goto(
        lang === "ja"
          ? `${base}/staff/finder?lang=ja&country=JP`
          : `${base}/staff/finder?lang=en&country=DE&lat=x&limit=0`,
      );
      expect(await axeViolations(page)).toEqual([]);
      await context.close();
      // axe-core over four country and language lists is slow on a busy two-core machine.
    }, 180_000);
  }

  it("fits a 390 px phone without horizontal scrolling", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(`${base}/staff/sign-in`);
    await noHorizontalScroll(page);
    await signIn(page);
    for (const lang of ["en", "de", "ja"]) {
      await page.goto(
        `${base}/staff/finder?lang=${lang}&country=DE&needs=crm_implementation&needs=onboarding`,
      );
      expect(await page.locator("li.candidate").count()).toBe(3);
      await noHorizontalScroll(page);
    }
    await context.close();
  });

  it("works with JavaScript disabled: sign in, ask, sign out", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page);
    await page.selectOption("#country", "DE");
    await page.check('input[name="needs"][value="onboarding"]');
    await page.click('button[type="submit"] >> text=Find partners');
    await page.waitForSelector("li.candidate");
    expect(await page.locator("li.candidate").count()).toBe(3);
    await page.click("text=Sign out");
    await page.waitForURL((u) => u.pathname === "/staff/sign-in");
    await page.goto(`${base}/staff/finder`);
    expect(new URL(page.url()).pathname).toBe("/staff/sign-in");
    await context.close();
  });
});
