// The embedded engine's counts kept per query, as Elasticsearch's shard request cache keeps its
// size-0 counting searches: a directory answer's facets depend on its text, filters, circle and
// budget only (countingKey), so the next page, another sort or page size of the same query
// reuse them and only the page is searched again. Kept for one index generation: the first
// lookup under a newer one drops everything, so counts never outlive the data they came from.
import { keep, touch } from "../../lib/recent.js";
import type { DirectoryResult } from "../backend.js";

type Facets = DirectoryResult["facets"];

export class FacetCache {
  /** In use order, least recent first (src/lib/recent.ts). */
  private readonly entries = new Map<string, Facets>();
  private generation: number | undefined;

  constructor(private readonly maxEntries = 256) {}

  get(generation: number, key: string): Facets | undefined {
    this.at(generation);
    return touch(this.entries, key);
  }

  /** Keeps `facets` frozen, so an answer sharing them cannot change another's. */
  set(generation: number, key: string, facets: Facets): Facets {
    this.at(generation);
    for (const counts of Object.values(facets)) Object.freeze(counts);
    Object.freeze(facets);
    keep(this.entries, key, facets, this.maxEntries);
    return facets;
  }

  private at(generation: number): void {
    if (generation !== this.generation) {
      this.entries.clear();
      this.generation = generation;
    }
  }
}
