// The directory page in real headless Chromium: a person searches, filters and pages.
import type { AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import { serve } from "@hono/node-server";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appOf, rawProfile } from "../helpers.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

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
      "accredited crm implementation",
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

    await page.click("section[data-facet=industry] a >> text=Healthcare");
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
    for (const name of ["q", "country", "industry", "accredited"]) {
      const label = await page.locator(`label:has([name="${name}"])`).innerText();
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
