// Fixtures for the partner-finder tests: partners built from the contract example with plain
// overrides (internal fields merged, not replaced), and requests with defaults.
import type { MatchRequest } from "../../src/ranking/match.js";
import { contractExample, rawProfile } from "../helpers.js";

type Internal = Record<string, unknown>;

/** A raw partner: the contract example (accredited, platinum, DE) with overrides. */
export function partner(
  id: string,
  overrides: Record<string, unknown> = {},
  internal: Internal = {},
): Record<string, unknown> {
  const base = structuredClone(contractExample.internal) as Internal;
  const merged: Internal = { ...base, ...internal };
  if (internal.capacity) {
    merged.capacity = { ...(base.capacity as Internal), ...(internal.capacity as Internal) };
  }
  if (internal.trackRecord) {
    merged.trackRecord = {
      ...(base.trackRecord as Internal),
      ...(internal.trackRecord as Internal),
    };
  }
  return rawProfile({ id, name: `Partner ${id}`, ...overrides, internal: merged });
}

/** A non-accredited partner that meets the default qualified conditions for sales_hub. */
export function qualifiedPartner(
  id: string,
  overrides: Record<string, unknown> = {},
  internal: Internal = {},
) {
  return partner(id, { accreditations: [], tier: "gold", ...overrides }, internal);
}

export function request(
  customer: Partial<MatchRequest["customer"]> = {},
  rest: Partial<Omit<MatchRequest, "customer">> = {},
): MatchRequest {
  return { customer: { country: "DE", ...customer }, limit: 10, ...rest };
}

export const DAY = new Date("2026-11-23T10:00:00Z");
