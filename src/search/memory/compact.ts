// Keeps 100k profiles small in memory: identical strings (codes, cities, dates) and identical
// code lists are stored once and shared. Shared lists are frozen, so code that tried to mutate
// one profile's list (and with it every other's) fails loudly instead.
import type { Profile } from "../../partner/schema.js";

export class InternPool {
  private readonly strings = new Map<string, string>();
  private readonly lists = new Map<string, readonly string[]>();

  str(s: string): string {
    const held = this.strings.get(s);
    if (held !== undefined) return held;
    this.strings.set(s, s);
    return s;
  }

  list(items: readonly string[]): string[] {
    const key = items.join("\u0000");
    let held = this.lists.get(key);
    if (!held) {
      held = Object.freeze(items.map((s) => this.str(s)));
      this.lists.set(key, held);
    }
    return held as string[];
  }

  /** Replaces a profile's repeated values by shared ones, in place; returns the same object. */
  profile(p: Profile): Profile {
    p.programLevel = this.str(p.programLevel);
    p.tier = this.str(p.tier);
    p.updatedAt = this.str(p.updatedAt);
    p.languages = this.list(p.languages);
    p.industries = this.list(p.industries);
    p.services = this.list(p.services);
    p.products = this.list(p.products);
    p.customerSizes = this.list(p.customerSizes);
    p.markets = this.list(p.markets);
    for (const l of p.locations) {
      l.country = this.str(l.country);
      l.city = this.str(l.city);
    }
    for (const a of p.accreditations) {
      a.code = this.str(a.code);
      if (a.since !== undefined) a.since = this.str(a.since);
    }
    return p;
  }
}
