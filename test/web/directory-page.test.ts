// The directory page rendered straight from its props: what it shows for answer fields and
// parameters the API may add (CONTRACT 2a: `relaxed`, `distanceKm`, `locatedIn`, `near`,
// `budgetUsd`, `sort=distance`) before the route can produce them.
import { describe, expect, it } from "vitest";
import { toPublicProfile } from "../../src/partner/public-profile.js";
import { type DirectoryPageProps, directoryPage } from "../../src/web/directory-page.js";
import { pageText } from "../../src/web/i18n/directory-messages.js";
import { languageAlternates } from "../../src/web/i18n/languages.js";
import { catalog, policy, profiles, rawProfile } from "../helpers.js";

const [profile] = profiles([rawProfile()]);
const result = {
  ...toPublicProfile(profile as NonNullable<typeof profile>, catalog, policy),
  rank: 1,
  distanceKm: 12.34,
  locatedIn: false,
};

async function render(over: Partial<DirectoryPageProps>, lang: "en" | "de" = "en") {
  const props: DirectoryPageProps = {
    catalog,
    text: pageText(lang),
    alternates: languageAlternates(new URL("http://localhost/directory")),
    state: new URLSearchParams(),
    support: {
      near: true,
      budget: true,
      sorts: ["relevance", "rating", "tier", "name", "distance"],
    },
    maxPage: 500,
    answer: { total: 1, page: 1, pageSize: 20, results: [result], facets: {} },
    ...over,
  };
  return String(await directoryPage(props));
}

describe("directory page parts the API may add", () => {
  it("says which words a relaxed text search left out", async () => {
    const html = await render({
      answer: {
        total: 1,
        page: 1,
        pageSize: 20,
        results: [result],
        facets: {},
        relaxed: { dropped: ["zzz", "qqq"] },
      },
    });
    expect(html).toContain(
      "No partner matched every word, so these results leave out: “zzz”, “qqq”.",
    );
    const plain = await render({});
    expect(plain).not.toContain('class="notice relaxed"');
  });

  it("offers near, radius, budget and the distance sort only with a location", async () => {
    const without = await render({});
    expect(without).toContain('name="near"');
    expect(without).toContain('name="budgetUsd"');
    expect(without).toContain('id="locate" hidden');
    expect(without).not.toContain('value="distance"');
    const near = await render({
      state: new URLSearchParams("near=52.52,13.40&radiusKm=50&sort=distance&budgetUsd=20000"),
    });
    expect(near).toContain('<option value="distance" selected="">Distance</option>');
    expect(near).toContain('<option value="50" selected="">50 km</option>');
    expect(near).toContain('value="52.52,13.40"');
    expect(near).toContain('value="20000"');
    // Removing the location also drops the distance sort it needs.
    const chip = [...near.matchAll(/<a href="([^"]+)" class="chip"/g)].map((m) =>
      (m[1] ?? "").replace(/&amp;/g, "&"),
    );
    expect(chip).toContain("/directory?budgetUsd=20000");
  });

  it("shows a result's distance and whether it only serves the country, in the page's language", async () => {
    const html = await render({}, "de");
    expect(html).toContain("12,3 km entfernt");
    expect(html).toContain("Betreut das gewählte Land ohne eigenes Büro dort");
  });
});
