// Text analysis shared by every backend: the embedded index and the Elasticsearch indexer both
// store these tokens, so free text ranks alike everywhere (the test Elasticsearch has no
// language analyzers). Latin text is lowercased, folded and split into words, German and Dutch
// compounds also yield their parts, and CJK runs become overlapping bigrams.
import compoundData from "./data/compound-parts.json" with { type: "json" };

const MIN_PART = compoundData.minPartLength;
const PARTS = new Set(compoundData.parts.map((p) => fold(p)));

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\uff66-\uff9f]/u;
const SPLIT = /[^\p{L}\p{N}]+/u;

/** Lowercase and strip diacritics, so "Lösungen" and "losungen" meet. ß stays as "ss". */
export function fold(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss");
}

/** Tokens of a text, in order, with repeats (term frequency matters for scoring). */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const normalised = text.normalize("NFKC");
  for (const word of normalised.split(SPLIT)) {
    if (!word) continue;
    if (CJK.test(word)) {
      pushCjk(word, out);
      continue;
    }
    const t = fold(word);
    if (!t) continue;
    out.push(t);
    if (t.length >= 2 * MIN_PART) for (const p of compoundParts(t)) out.push(p);
  }
  return out;
}

/** Unique tokens of a query, in first-seen order. */
export function queryTerms(text: string): string[] {
  return [...new Set(tokenize(text))];
}

/**
 * A mixed word such as "HubSpot導入支援" is split into its Latin and CJK runs; each CJK run of
 * two or more characters yields overlapping bigrams, a single character yields itself.
 */
function pushCjk(word: string, out: string[]): void {
  let run = "";
  let latin = "";
  const flushRun = () => {
    const chars = [...run];
    if (chars.length === 1) out.push(chars[0] as string);
    for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
    run = "";
  };
  const flushLatin = () => {
    if (latin) out.push(fold(latin));
    latin = "";
  };
  for (const ch of word) {
    if (CJK.test(ch)) {
      flushLatin();
      run += ch;
    } else {
      flushRun();
      latin += ch;
    }
  }
  flushRun();
  flushLatin();
}

/**
 * Splits a compound at known parts from the end: "marketingagentur" -> "marketing", "agentur".
 * Greedy from the right, with a linking "s" allowed ("vertriebsberatung"). Unknown heads stay
 * whole when long enough to mean something.
 */
export function compoundParts(token: string): string[] {
  const parts: string[] = [];
  let rest = token;
  while (rest.length >= 2 * MIN_PART) {
    let found = "";
    for (let i = 1; i <= rest.length - MIN_PART; i++) {
      const tail = rest.slice(i);
      if (PARTS.has(tail)) {
        found = tail;
        break;
      }
    }
    if (!found) break;
    parts.unshift(found);
    rest = rest.slice(0, rest.length - found.length);
    if (rest.endsWith("s") && !PARTS.has(rest) && PARTS.has(rest.slice(0, -1)))
      rest = rest.slice(0, -1);
  }
  if (parts.length === 0) return [];
  if (rest.length >= MIN_PART) parts.unshift(rest);
  return parts.filter((p) => p !== token);
}
