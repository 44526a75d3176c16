// The JSON body of a directory answer, written from each profile's public JSON serialized once.
// Projecting and stringifying 20-50 profiles per request was most of an uncached answer's cost
// outside the engine; a profile's public JSON only changes when the profile does, and an
// update replaces a profile object whole (the backends never edit one in place), so a WeakMap
// from the profile object keeps it exactly as long as the profile is held. The embedded engine
// builds profiles from columns but hands out the same object for a doc while anything holds
// it, and holds the last few thousand it built (src/search/memory/profile-cache.ts), so a page
// asked for again finds its JSON here. The bytes are the
// ones JSON.stringify gives the answer object (test/http/directory-json.test.ts): each result
// is the public profile with its rank and place fields appended, in that key order.
import type { Catalog } from "../catalog/catalog.js";
import type { MarketPolicy } from "../catalog/policy.js";
import { toPublicProfile } from "../partner/public-profile.js";
import type { ProfileWithoutInternal } from "../partner/schema.js";
import { type DirectoryPlan, type DirectoryQuery, placeOf } from "../ranking/directory.js";
import type { DirectoryResult } from "../search/backend.js";

export type DirectoryJson = (
  result: DirectoryResult,
  query: Pick<DirectoryQuery, "page" | "pageSize">,
  plan: DirectoryPlan,
) => string;

/** A writer of directory answers for one catalog and policy (badges depend on both). */
export function directoryJson(catalog: Catalog, policy: MarketPolicy): DirectoryJson {
  const publicJson = new WeakMap<ProfileWithoutInternal, string>();
  const jsonOf = (p: ProfileWithoutInternal): string => {
    let json = publicJson.get(p);
    if (json === undefined) {
      json = JSON.stringify(toPublicProfile(p, catalog, policy));
      publicJson.set(p, json);
    }
    return json;
  };
  // The embedded engine hands out the same (frozen) counts for every page of a query
  // (src/search/memory/facet-cache.ts): their JSON is written once too.
  const facetsJson = new WeakMap<object, string>();
  return (result, query, plan) => {
    const parts: string[] = [];
    const field = (name: string, value: unknown) => {
      const json = JSON.stringify(value);
      if (json !== undefined) parts.push(`"${name}":${json}`);
    };
    field("total", result.total);
    field("page", query.page);
    field("pageSize", query.pageSize);
    const results: string[] = [];
    for (let i = 0; i < result.hits.length; i++) {
      const profile = (result.hits[i] as DirectoryResult["hits"][number]).profile;
      const own = jsonOf(profile);
      const extra = JSON.stringify({ rank: plan.from + i + 1, ...placeOf(profile, plan) });
      // Both are objects with at least one key: "{...}" + "{...}" -> "{...,...}".
      results.push(`${own.slice(0, -1)},${extra.slice(1)}`);
    }
    parts.push(`"results":[${results.join(",")}]`);
    let facets = facetsJson.get(result.facets);
    if (facets === undefined) {
      facets = JSON.stringify(result.facets);
      facetsJson.set(result.facets, facets);
    }
    parts.push(`"facets":${facets}`);
    if (result.relaxed) field("relaxed", result.relaxed);
    return `{${parts.join(",")}}`;
  };
}
