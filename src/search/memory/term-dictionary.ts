// The text index's terms, sorted and reversed, for the loose matches of text-match.ts: the
// terms a prefix or a word within one edit expands to.
import { withinOneEdit } from "../../ranking/text-match.js";

/** Expansions kept for the next queries; past this many, the oldest lookups are forgotten. */
const MAX_EXPANSIONS = 4096;

export class TermDictionary {
  private readonly terms: string[];
  private readonly reversed: string[];
  /**
   * Expansions already looked up, by kind and term: the one-edit search builds strings per
   * candidate, garbage that set off young-generation GCs every few hundred queries.
   */
  private readonly expansions = new Map<string, string[]>();

  constructor(fields: Iterable<Iterable<string>>) {
    const all = new Set<string>();
    for (const f of fields) for (const t of f) all.add(t);
    this.terms = [...all].sort();
    this.reversed = this.terms.map(reverse).sort();
  }

  prefixTerms(prefix: string): string[] {
    return this.expanded(`p${prefix}`, () => withPrefix(this.terms, prefix));
  }

  /**
   * Terms within one edit: one edit leaves either the first half of the word or the rest after
   * its middle character untouched, so candidates come from two sorted-dictionary ranges (terms
   * starting with that half, terms ending with that rest) rather than from a scan of all terms.
   */
  oneEditTerms(term: string): string[] {
    return this.expanded(`e${term}`, () => {
      const cps = [...term];
      const half = Math.floor(cps.length / 2);
      const head = cps.slice(0, half).join("");
      const tail = cps.slice(half + 1).join("");
      const out = new Set<string>();
      const consider = (t: string) => {
        if (Math.abs(t.length - term.length) <= 2 && withinOneEdit(term, t)) out.add(t);
      };
      for (const t of withPrefix(this.terms, head)) consider(t);
      for (const r of withPrefix(this.reversed, reverse(tail))) consider(reverse(r));
      return [...out];
    });
  }

  private expanded(key: string, expand: () => string[]): string[] {
    let terms = this.expansions.get(key);
    if (!terms) {
      if (this.expansions.size >= MAX_EXPANSIONS) {
        this.expansions.delete(this.expansions.keys().next().value as string);
      }
      terms = expand();
      this.expansions.set(key, terms);
    }
    return terms;
  }
}

function reverse(s: string): string {
  return [...s].reverse().join("");
}

/** The sorted terms starting with `prefix`, found by binary search. */
function withPrefix(sorted: readonly string[], prefix: string): string[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < sorted.length && (sorted[i] as string).startsWith(prefix); i++) {
    out.push(sorted[i] as string);
  }
  return out;
}
