// The staff projection: the public profile plus the internal data that customer success and
// sales staff may see (MRR, retention, capacity, track record, notes, contacts). Still an
// allow-list, field by field, so a field added to the feed later is shown to staff only when
// someone decides it belongs here.
import type { Catalog } from "../catalog/catalog.js";
import type { MarketPolicy } from "../catalog/policy.js";
import { type PublicProfile, toPublicProfile } from "./public-profile.js";
import type { Profile } from "./schema.js";

export interface StaffInternal {
  soldMrr12m: number;
  managedMrr: number;
  retention: number;
  toolUsageIndex: number;
  trackRecord: {
    products: Record<string, number>;
    industries: Record<string, number>;
    customerSizes: Record<string, number>;
  };
  capacity: { acceptingReferrals: boolean; maxOpenReferrals: number; openReferrals: number };
  notes: string;
  contactEmails: string[];
}

export interface StaffProfile extends PublicProfile {
  directoryListed: boolean;
  internal: StaffInternal;
}

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
