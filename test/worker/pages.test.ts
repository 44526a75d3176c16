// The pages for people served by src/worker.ts inside workerd: the same directory page and
// profile pages as on Node, in every interface language, with the enhancement script and a
// real 404.
import { describe, expect, it } from "vitest";
import { referenceApp, worker } from "./helpers.js";

const cards = (t: string) => [...t.matchAll(/data-id="([^"]+)"/g)].map((m) => m[1]);

describe("pages in workerd", () => {
  it.each(["en", "de", "fr", "ja", "es"])(
    "/directory in %s lists what Node lists",
    async (lang) => {
      const path = `/directory?lang=${lang}&country=DE&industry=manufacturing&industry=software&utm_source=x`;
      const [edge, node] = await Promise.all([worker(path), referenceApp().request(path)]);
      expect(edge.status).toBe(200);
      const text = await edge.text();
      expect(text).toContain(`<html lang="${lang}">`);
      expect(text).toContain(`hreflang="x-default"`);
      expect(cards(text)).toEqual(cards(await node.text()));
      expect(cards(text).length).toBeGreaterThan(0);
    },
  );

  it("serves a profile page, the 404 page and the enhancement script", async () => {
    const profile = await worker("/partners/p-000001?lang=de");
    expect(profile.status).toBe(200);
    expect(await profile.text()).toContain('<html lang="de">');
    const missing = await worker("/partners/no-such-partner?lang=fr");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await missing.text()).toContain("Partenaire introuvable");
    const js = await worker("/assets/directory.js");
    expect(js.status).toBe(200);
    expect(await js.text()).toContain("history.pushState");
  });
});
