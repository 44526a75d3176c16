// The JSON body of a directory answer as UTF-8, written from each profile's public JSON bytes,
// encoded once. Projecting and stringifying 20-50 profiles per request was most of an uncached
// answer's cost outside the engine, and encoding the joined answer to UTF-8 (~25 KB) was the
// next largest part after it; a profile's public JSON only changes when the profile does, and
// an update replaces a profile object whole (the backends never edit one in place), so a
// WeakMap from the profile object keeps its bytes exactly as long as the profile is held. The
// embedded engine builds profiles from columns but hands out the same object for a doc while
// anything holds it, and holds the last few thousand it built
// (src/search/memory/profile-cache.ts), so a page asked for again finds its bytes here. The
// bytes are the UTF-8 of what JSON.stringify gives the answer object
// (test/http/directory-answer.test.ts): each result is the public profile with its rank and place
// fields appended, in that key order.
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
) => Uint8Array;

const encoder = new TextEncoder();

/** A writer of directory answers for one catalog and policy (badges depend on both). */
export function directoryJson(catalog: Catalog, policy: MarketPolicy): DirectoryJson {
  // A profile's public JSON without its closing brace: a result appends its own fields.
  const publicJson = new WeakMap<ProfileWithoutInternal, Uint8Array>();
  const openJsonOf = (p: ProfileWithoutInternal): Uint8Array => {
    let bytes = publicJson.get(p);
    if (bytes === undefined) {
      bytes = encoder.encode(JSON.stringify(toPublicProfile(p, catalog, policy)).slice(0, -1));
      publicJson.set(p, bytes);
    }
    return bytes;
  };
  // The embedded engine hands out the same (frozen) counts for every page of a query
  // (src/search/memory/facet-cache.ts): their JSON is written once too.
  const facetsJson = new WeakMap<object, string>();
  return (result, query, plan) => {
    // Byte parts (profiles) and text parts (everything else) in order; the texts are encoded
    // into the answer's buffer directly, so no joined string is built and encoded whole.
    const parts: (Uint8Array | string)[] = [];
    let text = `{"total":${JSON.stringify(result.total)},"page":${JSON.stringify(query.page)},"pageSize":${JSON.stringify(query.pageSize)},"results":[`;
    for (let i = 0; i < result.hits.length; i++) {
      const profile = (result.hits[i] as DirectoryResult["hits"][number]).profile;
      if (i > 0) text += ",";
      parts.push(text, openJsonOf(profile));
      // Both are objects with at least one key: "{..." + ",rank...}" -> "{...,...}".
      text = `,${JSON.stringify({ rank: plan.from + i + 1, ...placeOf(profile, plan) }).slice(1)}`;
    }
    let facets = facetsJson.get(result.facets);
    if (facets === undefined) {
      facets = JSON.stringify(result.facets);
      facetsJson.set(result.facets, facets);
    }
    text += `],"facets":${facets}`;
    if (result.relaxed) text += `,"relaxed":${JSON.stringify(result.relaxed)}`;
    parts.push(`${text}}`);
    return concatUtf8(parts);
  };
}

/**
 * Where answers are assembled, grown as needed and reused: the writer runs to its end without
 * yielding, so one buffer serves every answer, and each answer is one copy of its used part.
 */
let scratch = new Uint8Array(64 * 1024);

/** The parts as one UTF-8 buffer, texts encoded in place. */
function concatUtf8(parts: readonly (Uint8Array | string)[]): Uint8Array {
  let most = 0;
  // A UTF-16 unit takes at most 3 bytes in UTF-8 (a surrogate pair, two units, takes 4).
  for (const p of parts) most += typeof p === "string" ? p.length * 3 : p.byteLength;
  if (scratch.byteLength < most) scratch = new Uint8Array(Math.max(most, scratch.byteLength * 2));
  const out = scratch;
  let at = 0;
  for (const p of parts) {
    if (typeof p === "string") {
      at += encoder.encodeInto(p, out.subarray(at)).written;
    } else {
      out.set(p, at);
      at += p.byteLength;
    }
  }
  return out.slice(0, at);
}
