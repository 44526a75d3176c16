// No leak, proven over random partners: every public endpoint and page answers without any
// `internal` value (sentinel strings and numbers planted in each profile) and without any field
// outside the public allow-list, whatever the profiles and the search, unlisted partners
// included. The staff answers, checked last, do carry the sentinels: the test can see them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appOf, PUBLIC_KEYS, rawProfile, TOKEN } from "../helpers.js";

/** The public profile's fields, plus a result's rank. */
const PUBLIC = new Set([...PUBLIC_KEYS, "rank"]);

const partnerArb = fc.record({
  secret: fc.stringMatching(/^[a-z]{10}$/),
  listed: fc.boolean(),
  tier: fc.constantFrom("none", "gold", "elite"),
  country: fc.constantFrom("DE", "US", "FR"),
  accredited: fc.boolean(),
});

/** A raw feed profile whose every internal value is a sentinel that text never contains. */
type Partner = typeof partnerArb extends fc.Arbitrary<infer T> ? T : never;

function planted(i: number, p: Partner) {
  return {
    raw: rawProfile({
      id: `p-leak-${i}`,
      name: `Agentur ${i}`,
      tier: p.tier,
      directoryListed: p.listed,
      locations: [{ country: p.country, city: "Kiel" }],
      ...(p.accredited ? {} : { accreditations: [] }),
      internal: {
        soldMrr12m: 918_273.51 + i,
        managedMrr: 827_364.29 + i,
        retention: 0.123457,
        toolUsageIndex: 7.654321,
        trackRecord: {
          products: { sales_hub: 90_001 + i },
          industries: { software: 80_001 + i },
          customerSizes: {},
        },
        capacity: { acceptingReferrals: true, maxOpenReferrals: 70_007, openReferrals: 60_006 },
        notes: `note${p.secret}`,
        contactEmails: [`mail${p.secret}@leak.example`],
      },
    }),
    sentinels: [
      `note${p.secret}`,
      `mail${p.secret}`,
      String(918_273.51 + i),
      String(827_364.29 + i),
      "0.123457",
      "7.654321",
      String(90_001 + i),
      String(80_001 + i),
      "70007",
      "60006",
    ],
  };
}

/** Every key anywhere in a JSON value that is an object in a results list or a profile. */
function profileKeys(v: unknown): string[] {
  return v !== null && typeof v === "object" ? Object.keys(v as object) : [];
}

describe("no internal value or field reaches a public answer", () => {
  it("for random partners, searches, profiles and pages carry no sentinel and only allow-listed fields", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(partnerArb, { minLength: 1, maxLength: 6 }), async (ps) => {
        const all = ps.map((p, i) => planted(i, p));
        const { app } = appOf(all.map((x) => x.raw));
        const secret = ps[0]?.secret as string;
        const paths = [
          "/v1/directory/partners",
          "/v1/directory/partners?pageSize=50&sort=rating",
          `/v1/directory/partners?q=${secret}`,
          `/v1/directory/partners?q=note${secret}`,
          ...all.map((_, i) => `/v1/directory/partners/p-leak-${i}`),
          "/directory",
          `/directory?q=note${secret}`,
          "/directory?lang=ja&sort=name",
          // The profile pages, in every interface language, and one with a search to go back to.
          ...all.flatMap((_, i) =>
            ["en", "de", "fr", "ja", "es"].map((l) => `/partners/p-leak-${i}?lang=${l}`),
          ),
          `/partners/p-leak-0?back=${encodeURIComponent(`q=note${secret}`)}`,
          "/docs",
          "/openapi.json",
        ];
        for (const path of paths) {
          const res = await app.request(path);
          expect(res.status, path).toBeLessThan(500);
          const text = await res.text();
          // A page may echo what the request itself said (the search box): only sentinels
          // the request did not carry count.
          for (const s of all.flatMap((x) => x.sentinels)) {
            if (path.includes(s)) continue;
            expect(text.includes(s), `${path} leaks ${s}`).toBe(false);
          }
          if (!res.headers.get("content-type")?.startsWith("application/json")) continue;
          const body = JSON.parse(text) as { results?: unknown[] };
          const objects = path.includes("/partners/") ? [body] : (body.results ?? []);
          for (const o of objects) {
            for (const k of profileKeys(o)) expect(PUBLIC.has(k), `${path}: ${k}`).toBe(true);
          }
        }
        // Internal notes are not searchable text either.
        const found = (await (
          await app.request(`/v1/directory/partners?q=note${secret}`)
        ).json()) as { total: number };
        expect(found.total).toBe(0);
        // The staff view of the same partner does carry them: the sentinels are visible at all.
        const staff = await app.request("/v1/staff/partners/p-leak-0", {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        expect(await staff.text()).toContain(`note${ps[0]?.secret}`);
      }),
      { numRuns: 40, seed: 9_2026 },
    );
  });
});
