// What one partner becomes in Elasticsearch, as pure functions: the whole validated profile
// (kept as `_source`, so `get` and the match ranking see exactly what the feed said) plus the
// derived directory and finder fields under `search` (indexed, but excluded from `_source` by the mapping:
// they are derivable, and reads then return stored bytes without filtering them per hit), and
// the bulk actions that write or delete it.
import type { estypes } from "@elastic/elasticsearch";
import type { Catalog } from "../../catalog/catalog.js";
import type { MarketPolicy } from "../../catalog/policy.js";
import {
  type FeedEntry,
  type Profile,
  type ProfileWithoutInternal,
  versionOf,
} from "../../partner/schema.js";
import { type DirectoryDoc, type TextField, toDirectoryDoc } from "../../ranking/directory.js";
import { featureContext, finderFeatures, finderFeaturesOf } from "../../ranking/retrieval.js";
import { hasCapacity } from "../../ranking/rules.js";

/** The `search` object: the directory document with its token lists joined for `whitespace`. */
export interface SearchFields extends Omit<DirectoryDoc, "id" | "text"> {
  geo: { lat: number; lon: number }[];
  /** The finder's capacity rule (open < max needs a script at query time otherwise). */
  withCapacity: boolean;
  /** The finder's first-stage numbers (ranking/retrieval.ts), one double field each. */
  finder: Record<string, number>;
  text: Record<TextField, string>;
}

export type IndexedPartner = Profile & { search: SearchFields };

export function toIndexDocument(
  p: Profile,
  catalog: Catalog,
  policy: MarketPolicy,
  /** The partner's finderFeatures when already computed with a batch. */
  finder?: Record<string, number>,
): IndexedPartner {
  const { id: _id, text, ...doc } = toDirectoryDoc(p, catalog, policy);
  return {
    ...p,
    search: {
      ...doc,
      geo: p.locations.flatMap((l) =>
        l.lat !== undefined && l.lon !== undefined ? [{ lat: l.lat, lon: l.lon }] : [],
      ),
      withCapacity: hasCapacity(p),
      finder: finder ?? finderFeatures(p, featureContext(catalog, policy)),
      // Our analyzer already produced the tokens (tokens never hold whitespace), so the
      // built-in `whitespace` analyzer reproduces them exactly, with the same field lengths.
      text: {
        name: text.name.join(" "),
        city: text.city.join(" "),
        services: text.services.join(" "),
        description: text.description.join(" "),
      },
    },
  };
}

/**
 * Drops derived fields if a source still carries them (an index from an older mapping). P is
 * what the read asked for: the whole profile, or the directory's page without `internal`.
 */
export function profileOf<P extends ProfileWithoutInternal>(
  source: P | (P & { search: unknown }),
): P {
  if (!("search" in source)) return source;
  const { search: _search, ...profile } = source;
  return profile as unknown as P;
}

export type BulkLine = estypes.BulkOperationContainer | IndexedPartner;

/**
 * The bulk lines for one feed entry. Both upserts and deletes carry the entry's `updatedAt` as
 * an external version with `version_type: external`, which accepts a write only when its
 * version is strictly greater than the one held (or the one a delete left behind):
 * - an older update never overwrites a newer one, and neither does a replay of the same line,
 *   so replaying a feed is idempotent and every replayed line shows up as stale;
 * - a tombstone must be strictly newer than the profile it removes. `external_gte` would let a
 *   delete win a tie with an update of the same millisecond, but it would also accept a replayed
 *   tombstone silently (no conflict to count) and disagree with the embedded backend, which
 *   keeps what it holds on equal versions. With `external` for both, the two backends hold the
 *   same set after any sequence of entries.
 * A delete's version outlives the document for `index.gc_deletes` (set long in the mapping), so
 * a late, older upsert cannot resurrect a deleted partner.
 */
export function bulkLinesOf(
  entry: FeedEntry,
  index: string,
  catalog: Catalog,
  policy: MarketPolicy,
  finder?: Record<string, number>,
): BulkLine[] {
  if (entry.kind === "upsert") {
    const p = entry.profile;
    return [
      { index: { _index: index, _id: p.id, version: versionOf(p), version_type: "external" } },
      toIndexDocument(p, catalog, policy, finder),
    ];
  }
  const t = entry.tombstone;
  return [
    { delete: { _index: index, _id: t.id, version: versionOf(t), version_type: "external" } },
  ];
}

/** bulkLinesOf for many entries, their finder features computed together. */
export function bulkLinesOfEntries(
  entries: readonly FeedEntry[],
  index: string,
  catalog: Catalog,
  policy: MarketPolicy,
): BulkLine[][] {
  const profiles = entries.flatMap((e) => (e.kind === "upsert" ? [e.profile] : []));
  const features = finderFeaturesOf(profiles, featureContext(catalog, policy));
  let next = 0;
  return entries.map((e) =>
    bulkLinesOf(e, index, catalog, policy, e.kind === "upsert" ? features[next++] : undefined),
  );
}
