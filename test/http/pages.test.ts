// Pages for people (CONTRACT 2a): standards mode, a viewport on every page, and links from
// campaigns (utm_*, gclid, fbclid, msclkid, ref) that never break the directory page, while
// the JSON API keeps refusing unknown parameters.
import { describe, expect, it } from "vitest";
import { appOf, rawProfile } from "../helpers.js";

const { app } = appOf([
  rawProfile(),
  rawProfile({ id: "p-2", name: "Zweite Agentur GmbH", description: "SEO und Inbound" }),
]);

describe("pages", () => {
  it.each(["/directory", "/docs"])(
    "%s starts with the doctype and has a viewport",
    async (path) => {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text.startsWith("<!doctype html><html")).toBe(true);
      expect(text).toContain(
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
      );
    },
  );

  it("ignores tracking and other unknown parameters on the directory page", async () => {
    const plain = await (await app.request("/directory?q=seo")).text();
    const tracked = await app.request(
      "/directory?q=seo&utm_source=news&utm_campaign=dec&gclid=abc&fbclid=x&msclkid=y&ref=z",
    );
    expect(tracked.status).toBe(200);
    const text = await tracked.text();
    // The same search: the same cards (the CSP nonce differs per response).
    const cards = (t: string) => [...t.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]);
    expect(cards(text)).toEqual(cards(plain));
    expect(cards(text)).toEqual(["p-2"]);
  });

  it("still refuses an unknown parameter on the JSON API", async () => {
    const res = await app.request("/v1/directory/partners?utm_source=news");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ errors: [{ name: "utm_source" }] });
  });
});
