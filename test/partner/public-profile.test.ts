import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toPublicProfile } from "../../src/partner/public-profile.js";
import type { Profile } from "../../src/partner/schema.js";
import { appOf, catalog, PUBLIC_KEYS, policy, profiles, rawProfile } from "../helpers.js";

describe("public projection", () => {
  it("for any extra field name and value added at any level, the projection keeps only allow-listed keys and leaks no value (an allow-list)", () => {
    const base = profiles([rawProfile()])[0] as Profile;
    fc.assert(
      fc.property(
        fc.string({ minLength: 12, maxLength: 24 }).filter((s) => /^[a-z]+$/i.test(s)),
        fc.string({ minLength: 12, maxLength: 24 }).filter((s) => /^[a-z]+$/i.test(s)),
        (secretKey, secretValue) => {
          const marker = `LEAK${secretValue}`;
          // Simulate schema drift: extra fields at every level of the object.
          const drifted = structuredClone(base) as unknown as Record<string, unknown>;
          drifted[secretKey] = marker;
          (drifted.internal as Record<string, unknown>).notes = marker;
          (drifted.reviews as Record<string, unknown>)[secretKey] = marker;
          ((drifted.locations as Record<string, unknown>[])[0] as Record<string, unknown>)[
            secretKey
          ] = marker;
          ((drifted.accreditations as Record<string, unknown>[])[0] as Record<string, unknown>)[
            secretKey
          ] = marker;
          const out = toPublicProfile(drifted as unknown as Profile, catalog, policy);
          const json = JSON.stringify(out);
          expect(json).not.toContain(marker);
          expect(json).not.toContain("internal");
          for (const k of Object.keys(out)) expect(PUBLIC_KEYS).toContain(k);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("never sends internal values through the directory API", async () => {
    const internal = {
      soldMrr12m: 987654,
      managedMrr: 876543,
      retention: 0.8765,
      toolUsageIndex: 7.654,
      trackRecord: { products: { sales_hub: 4321 }, industries: {}, customerSizes: {} },
      capacity: { acceptingReferrals: true, maxOpenReferrals: 77, openReferrals: 66 },
      notes: "do-not-leak-notes",
      contactEmails: ["staff-only@nordlicht.example"],
    };
    const { app } = appOf([rawProfile({ internal })]);
    const bodies = await Promise.all(
      [
        "/v1/directory/partners",
        "/v1/directory/partners?q=nordlicht",
        "/v1/directory/partners/p-000123",
      ].map(async (u) => (await app.request(u)).text()),
    );
    for (const b of bodies) {
      for (const leak of [
        "987654",
        "876543",
        "0.8765",
        "7.654",
        "4321",
        "do-not-leak",
        "staff-only",
        "soldMrr",
        "internal",
        "capacity",
      ]) {
        expect(b).not.toContain(leak);
      }
    }
  });

  it("shows badges for tier, accreditations and top ratings", () => {
    const p = profiles([rawProfile({ reviews: { count: 31, average: 4.8 } })])[0] as Profile;
    expect(toPublicProfile(p, catalog, policy).badges).toEqual([
      "platinum_partner",
      "accredited_crm_implementation",
      "top_rated",
    ]);
  });
});
