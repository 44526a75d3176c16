import { describe, expect, it } from "vitest";
import type { Profile } from "../../src/partner/schema.js";
import { toStaffProfile } from "../../src/partner/staff-profile.js";
import { catalog, policy, profiles, rawProfile } from "../helpers.js";

describe("staff projection", () => {
  const base = profiles([rawProfile({ directoryListed: false })])[0] as Profile;

  it("shows the public fields plus every internal field staff work with", () => {
    const s = toStaffProfile(base, catalog, policy);
    expect(s).toMatchObject({
      id: "p-000123",
      accredited: true,
      directoryListed: false,
      internal: {
        soldMrr12m: 182000,
        managedMrr: 95000,
        retention: 0.91,
        toolUsageIndex: 4.2,
        trackRecord: { products: { sales_hub: 14, service_hub: 6 } },
        capacity: { acceptingReferrals: true, maxOpenReferrals: 5, openReferrals: 2 },
        notes: "free text for staff",
      },
    });
  });

  it("is still an allow-list: a field the feed grows later does not appear", () => {
    const drifted = structuredClone(base) as unknown as Record<string, unknown>;
    drifted.secretScore = "LEAK-top";
    (drifted.internal as Record<string, unknown>).secretScore = "LEAK-internal";
    (
      (drifted.internal as Record<string, unknown>).capacity as Record<string, unknown>
    ).secretScore = "LEAK-capacity";
    const json = JSON.stringify(toStaffProfile(drifted as unknown as Profile, catalog, policy));
    expect(json).not.toContain("LEAK");
  });

  it("copies, so a caller cannot change the held profile", () => {
    const s = toStaffProfile(base, catalog, policy);
    s.internal.contactEmails.push("x@example.com");
    (s.internal.trackRecord.products as Record<string, number>).sales_hub = 0;
    expect(base.internal.trackRecord.products.sales_hub).toBe(14);
    expect(base.internal.contactEmails).toEqual([]);
  });
});
