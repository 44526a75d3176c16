// The partner profile as the feed carries it (CONTRACT.md section 1). The schema is built from a
// catalog because the codes it accepts are data, replaceable by an operator.
import { z } from "zod";
import type { Catalog, CodeKind } from "../catalog/catalog.js";

const trimmed = (max: number) => z.string().trim().max(max);

/** A string that must be a known catalog code; the message names the offending code. */
export function codeOf(catalog: Catalog, kind: CodeKind, normalise?: (s: string) => string) {
  const set = catalog.codes[kind];
  // overwrite, not transform: a transform makes a pipe of two schemas, which costs every code
  // of every feed line a second run and its allocations.
  const base = normalise ? z.string().overwrite(normalise) : z.string();
  return base.refine((v) => set.has(v), {
    error: (iss) => `unknown ${kind} code "${String(iss.input)}"`,
  });
}

/** Array of codes, de-duplicated, order kept (first occurrence). */
function codeList(catalog: Catalog, kind: CodeKind, normalise?: (s: string) => string) {
  return z
    .array(codeOf(catalog, kind, normalise))
    .max(300)
    .overwrite((a) => (a.length < 2 || new Set(a).size === a.length ? a : [...new Set(a)]));
}

const upper = (s: string) => s.trim().toUpperCase();
const lower = (s: string) => s.trim().toLowerCase();
const count = z.number().int().min(0).max(1_000_000_000);

export function createProfileSchemas(catalog: Catalog) {
  const countRecord = (kind: CodeKind) =>
    z.record(codeOf(catalog, kind), count).default({}) as unknown as z.ZodType<
      Partial<Record<string, number>>
    >;

  const Location = z
    .object({
      country: codeOf(catalog, "country", upper),
      city: trimmed(120).min(1),
      lat: z.number().min(-90).max(90).optional(),
      lon: z.number().min(-180).max(180).optional(),
    })
    .strict()
    .refine((l) => (l.lat === undefined) === (l.lon === undefined), {
      message: "lat and lon come together",
      path: ["lon"],
    });

  const Internal = z
    .object({
      soldMrr12m: z.number().min(0).default(0),
      managedMrr: z.number().min(0).default(0),
      retention: z.number().min(0).max(1).default(0),
      toolUsageIndex: z.number().min(0).max(25).default(0),
      trackRecord: z
        .object({
          products: countRecord("product"),
          industries: countRecord("industry"),
          customerSizes: countRecord("customerSize"),
        })
        .strict()
        .default({ products: {}, industries: {}, customerSizes: {} }),
      capacity: z
        .object({
          acceptingReferrals: z.boolean().default(false),
          maxOpenReferrals: count.default(0),
          openReferrals: count.default(0),
        })
        .strict()
        .default({ acceptingReferrals: false, maxOpenReferrals: 0, openReferrals: 0 }),
      notes: z.string().max(10_000).default(""),
      contactEmails: z.array(z.email()).max(50).default([]),
    })
    .strict();

  const Profile = z
    .object({
      id: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "ids are 1-64 of A-Z a-z 0-9 _ . -"),
      name: trimmed(200).min(1),
      description: trimmed(5000).default(""),
      website: z
        .url({ protocol: /^https?$/ })
        .max(500)
        .optional(),
      programLevel: codeOf(catalog, "programLevel"),
      tier: codeOf(catalog, "tier"),
      accreditations: z
        .array(
          z
            .object({ code: codeOf(catalog, "accreditation"), since: z.iso.date().optional() })
            .strict(),
        )
        .max(50)
        .default([])
        .refine((a) => new Set(a.map((x) => x.code)).size === a.length, {
          message: "an accreditation is listed twice",
        }),
      certificationsCount: count.default(0),
      languages: codeList(catalog, "language", lower).default([]),
      industries: codeList(catalog, "industry").default([]),
      services: codeList(catalog, "service").default([]),
      products: codeList(catalog, "product").default([]),
      customerSizes: codeList(catalog, "customerSize").default([]),
      locations: z.array(Location).min(1).max(100),
      markets: codeList(catalog, "country", upper).default([]),
      reviews: z
        .object({ count: count, average: z.number().min(0).max(5) })
        .strict()
        .default({ count: 0, average: 0 }),
      directoryListed: z.boolean().default(true),
      minProjectBudgetUsd: z.number().min(0).max(1e9).optional(),
      internal: Internal.default(Internal.parse({})),
      updatedAt: z.iso.datetime({ offset: true }),
      deleted: z.literal(false).default(false),
    })
    .strict()
    .superRefine((p, ctx) => {
      if (!catalog.isTiered(p.programLevel) && p.tier !== catalog.untieredTier) {
        ctx.addIssue({
          code: "custom",
          path: ["tier"],
          message: `a ${catalog.label("programLevel", p.programLevel)} has no tier: "${catalog.untieredTier}" (got "${p.tier}")`,
        });
      }
    });

  /** A deletion needs only the id and its time; other fields are ignored. */
  const Tombstone = z.object({
    id: z.string().min(1).max(64),
    updatedAt: z.iso.datetime({ offset: true }),
    deleted: z.literal(true),
  });

  return { Profile, Tombstone, Internal, Location };
}

type Schemas = ReturnType<typeof createProfileSchemas>;
export type Profile = z.output<Schemas["Profile"]>;
/**
 * A profile without its internal part: all that public answers are drawn from (the directory's
 * hits carry only this, so Elasticsearch leaves a third of each stored profile unsent).
 */
export type ProfileWithoutInternal = Omit<Profile, "internal">;
export type ProfileInput = z.input<Schemas["Profile"]>;
export type Tombstone = z.output<Schemas["Tombstone"]>;
export type InternalData = z.output<Schemas["Internal"]>;
export type PartnerLocation = Profile["locations"][number];
/** One accepted feed line: a profile to upsert or a deletion. */
export type FeedEntry =
  | { kind: "upsert"; profile: Profile }
  | { kind: "delete"; tombstone: Tombstone };

/** Milliseconds since the epoch; the version that orders updates of one partner. */
export function versionOf(e: { updatedAt: string }): number {
  return Date.parse(e.updatedAt);
}
