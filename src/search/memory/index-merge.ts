// What the embedded engine's views are read through besides the query evaluator: lookups by id
// in an index (docs are numbered in id order) and the merge of a base's and a delta's answers.
import type { Profile } from "../../partner/schema.js";
import type { SortKey } from "../../ranking/directory.js";
import type { DirectoryHit } from "../backend.js";
import type { BuiltIndex } from "./built-index.js";
import type { DocHit } from "./index-query.js";

export function byId(a: Profile, b: Profile): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The doc number of `id` in an index (profiles in id order), or -1. */
export function docOf(ix: BuiltIndex, id: string): number {
  let lo = 0;
  let hi = ix.n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const at = ix.idAt(mid);
    if (at === id) return mid;
    if (at < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export function mergeById(a: Profile[], b: Profile[]): Profile[] {
  if (b.length === 0) return a;
  return [...a, ...b].sort(byId);
}

export function hitOf(ix: BuiltIndex, h: DocHit): DirectoryHit {
  return { profile: ix.profileAt(h.doc), score: h.score };
}

export type Located = readonly [BuiltIndex, DocHit];

/** Two sorted hit lists from different indexes as one, ordered by the sort's keys. */
export function mergeHits(keys: readonly SortKey[], a: Located[], b: Located[]): Located[] {
  const compare = (x: Located, y: Located): number => {
    for (const { field, order } of keys) {
      const u = keyOf(x, field);
      const v = keyOf(y, field);
      const c = u < v ? -1 : u > v ? 1 : 0;
      if (c !== 0) return order === "asc" ? c : -c;
    }
    return 0;
  };
  const out: Located[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && compare(a[i] as Located, b[j] as Located) <= 0)) {
      out.push(a[i++] as Located);
    } else {
      out.push(b[j++] as Located);
    }
  }
  return out;
}

function keyOf([ix, h]: Located, field: SortKey["field"]): number | string {
  switch (field) {
    case "relevance":
      return h.score;
    case "distance":
      return h.distance ?? Number.POSITIVE_INFINITY;
    case "id":
      return ix.idAt(h.doc);
    case "nameKey":
      return ix.nameKeyAt(h.doc);
    default:
      return ix.columns[field][h.doc] as number;
  }
}
