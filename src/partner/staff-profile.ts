// The staff projection: the public profile plus the internal data that customer success and
// sales staff may see (MRR, retention, capacity, track record, notes, contacts). Still an
// allow-list, field by field, so a field added to the feed later is shown to staff only when
// someone decides it belongs here.
import { z } from "@hono/zod-openapi";
import type { Catalog } from "../catalog/catalog.js";
import type { MarketPolicy } from "../catalog/policy.js";
import { PublicProfileSchema, toPublicProfile } from "./public-profile.js";
import type { Profile } from "./schema.js";

/** The staff profile as the API serves it; the type below is inferred from it. */
export const StaffProfileSchema = PublicProfileSchema.extend({
  directoryListed: z.boolean(),
  internal: z.object({
    soldMrr12m: z.number(),
    managedMrr: z.number(),
    retention: z.number(),
    toolUsageIndex: z.number(),
    trackRecord: z.object({
      products: z.record(z.string(), z.number()),
      industries: z.record(z.string(), z.number()),
      customerSizes: z.record(z.string(), z.number()),
    }),
    capacity: z.object({
      acceptingReferrals: z.boolean(),
      maxOpenReferrals: z.number(),
      openReferrals: z.number(),
    }),
    notes: z.string(),
    contactEmails: z.array(z.string()),
  }),
}).openapi("StaffProfile");
export type StaffProfile = z.infer<typeof StaffProfileSchema>;

export function toStaffProfile(p: Profile, catalog: Catalog, policy: MarketPolicy): StaffProfile {
  const i = p.internal;
  return {
    ...toPublicProfile(p, catalog, policy),
    directoryListed: p.directoryListed,
    internal: {
      soldMrr12m: i.soldMrr12m,
      managedMrr: i.managedMrr,
      retention: i.retention,
      toolUsageIndex: i.toolUsageIndex,
      trackRecord: {
        products: counts(i.trackRecord.products),
        industries: counts(i.trackRecord.industries),
        customerSizes: counts(i.trackRecord.customerSizes),
      },
      capacity: {
        acceptingReferrals: i.capacity.acceptingReferrals,
        maxOpenReferrals: i.capacity.maxOpenReferrals,
        openReferrals: i.capacity.openReferrals,
      },
      notes: i.notes,
      contactEmails: [...i.contactEmails],
    },
  };
}

function counts(r: Partial<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
  return out;
}
