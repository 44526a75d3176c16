// Text analysis shared by every backend: the embedded index and the Elasticsearch indexer both
// store these tokens, so free text ranks alike everywhere (the test Elasticsearch has no
// language analyzers). Latin text is lowercased, folded and split into words, German and Dutch
// compounds also yield their parts, and CJK runs become overlapping bigrams.
import compoundData from "./data/compound-parts.json" with { type: "json" };
import stopwordData from "./data/stopwords.json" with { type: "json" };

const MIN_PART = compoundData.minPartLength;
const PARTS = new Set(compoundData.parts.map((p) => fold(p)));
const STOPWORDS = new Set(stopwordData.words.map((w) => fold(w)));

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
    for (const t of wordTokens(word)) out.push(t);
  }
  return out;
}

/**
 * A word's tokens (folded, then its compound parts), kept: profiles repeat a small vocabulary,
 * and folding (two normalisations, a regex) and the compound search were ~60% of the text
 * analysis in an index build. Cleared when full, so a stream of odd query words stays bounded.
 */
const WORD_TOKENS = new Map<string, readonly string[]>();
const WORD_TOKENS_MAX = 65_536;

function wordTokens(word: string): readonly string[] {
  let tokens = WORD_TOKENS.get(word);
  if (tokens === undefined) {
    const t = fold(word);
    tokens = !t ? [] : t.length >= 2 * MIN_PART ? [t, ...compoundParts(t)] : [t];
    if (WORD_TOKENS.size >= WORD_TOKENS_MAX) WORD_TOKENS.clear();
    WORD_TOKENS.set(word, tokens);
  }
  return tokens;
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

/**
 * One word of a query as typed, and the token lists that each satisfy it: a plain word has one
 * list of one token; a German compound also its parts (all needed, in any order); a CJK run its
 * bigrams (all needed). `text` is the word as typed, for telling the searcher what was dropped.
 */
export interface QueryWord {
  text: string;
  alternatives: QueryToken[][];
}

/** A token and how loosely it may match an indexed term (see ranking/text-match.ts). */
export interface QueryToken {
  term: string;
  /** The last word typed may be unfinished: any term starting with it matches. */
  prefix: boolean;
  /** A long word may carry a typo: any term within one edit matches. */
  fuzzy: boolean;
}

/** Words this long (in code points) or longer may match within one edit. */
export const ONE_EDIT_MIN_LENGTH = 5;

/**
 * The query's words, unique and in typed order, with the last one marked as a prefix. CJK runs
 * match exactly: their bigrams already match inside longer words. Function words
 * (data/stopwords.json) are left out unless the query has nothing else.
 */
export function queryWords(text: string): QueryWord[] {
  const raw: { text: string; alternatives: { term: string; cjk: boolean }[][] }[] = [];
  for (const word of text.normalize("NFKC").split(SPLIT)) {
    if (!word) continue;
    for (const run of scriptRuns(word)) {
      if (CJK.test(run)) {
        const bigrams: string[] = [];
        pushCjk(run, bigrams);
        raw.push({ text: run, alternatives: [bigrams.map((term) => ({ term, cjk: true }))] });
        continue;
      }
      const t = fold(run);
      if (!t) continue;
      const alternatives = [[{ term: t, cjk: false }]];
      const parts = t.length >= 2 * MIN_PART ? compoundParts(t) : [];
      if (parts.length > 0) alternatives.push(parts.map((term) => ({ term, cjk: false })));
      raw.push({ text: run, alternatives });
    }
  }
  const meaningful = raw.filter((w) => !isStopword(w.alternatives));
  const seen = new Set<string>();
  const unique = (meaningful.length > 0 ? meaningful : raw).filter((w) => {
    const key = JSON.stringify(w.alternatives);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return unique.map((w, wi) => ({
    text: w.text,
    alternatives: w.alternatives.map((alt) =>
      alt.map((tok, ti) => ({
        term: tok.term,
        prefix: !tok.cjk && wi === unique.length - 1 && ti === alt.length - 1,
        fuzzy: !tok.cjk && [...tok.term].length >= ONE_EDIT_MIN_LENGTH,
      })),
    ),
  }));
}

function isStopword(alternatives: { term: string }[][]): boolean {
  const only =
    alternatives.length === 1 && alternatives[0]?.length === 1 ? alternatives[0][0] : undefined;
  return only !== undefined && STOPWORDS.has(only.term);
}

/** "HubSpot導入支援" -> "HubSpot", "導入支援": each script run is a word of its own. */
function scriptRuns(word: string): string[] {
  if (!CJK.test(word)) return [word];
  const runs: string[] = [];
  let run = "";
  let cjk = false;
  for (const ch of word) {
    const c = CJK.test(ch);
    if (run && c !== cjk) {
      runs.push(run);
      run = "";
    }
    cjk = c;
    run += ch;
  }
  if (run) runs.push(run);
  return runs;
}
