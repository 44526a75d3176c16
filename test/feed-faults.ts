// A seeded generator of hostile NDJSON feeds, shared by the feed-fault tests of both backends,
// and the model they are judged against. A feed holds valid profiles (sample partners under new
// ids), several versions of one id (timestamps in mixed UTC offsets, so text order is not time
// order), exact repeats of a line, tombstones of known and unknown ids, tombstones older than
// the upsert, newer versions that are invalid (an unknown catalog code, truncated JSON) and so
// must never win, garbage lines and blank lines. The lines are shuffled (older after newer) and
// cut into batches of random sizes, applied in a random order. Everything follows from the seed.
//
// The model is independent of the code under test: per id the newest valid line of the whole
// feed wins (ids in the feed never share an instant between different lines), and a batch's
// rejects are its unparseable lines, its invalid lines and, per id, every valid line but the
// newest (the first of equal ones), each at its line number within the batch.
import { readFileSync } from "node:fs";
import { createFeedParser } from "../src/partner/feed.js";
import type { Profile } from "../src/partner/schema.js";
import { catalog } from "./helpers.js";

/** A PRNG in [0, 1) (mulberry32): small, fast, and the same everywhere for one seed. */
export type Rng = () => number;

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, min: number, max: number) => min + Math.floor(r() * (max - min + 1));
const chance = (r: Rng, p: number) => r() < p;
function pick<T>(r: Rng, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)] as T;
}
function shuffle<T>(r: Rng, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
  return xs;
}

export type FaultLine =
  /** A valid profile version. */
  | { kind: "upsert"; id: string; at: number; text: string }
  /** A valid tombstone. */
  | { kind: "delete"; id: string; at: number; text: string }
  /** Not one JSON object: truncated JSON, garbage, an array, a scalar. */
  | { kind: "malformed"; text: string }
  /** A well-formed profile naming a code the catalog does not have, at `path`. */
  | { kind: "unknownCode"; id: string; at: number; text: string; path: string; code: string }
  /** Empty or whitespace only: skipped, but counted in line numbers. */
  | { kind: "blank"; text: string };

export interface FaultyFeed {
  seed: number;
  /** The batches in the order they are applied; a batch's line N is its element N-1. */
  batches: FaultLine[][];
  /** Every id any line names (valid or not), plus ids no line names. */
  ids: string[];
  /** Line terminator per batch, and whether the batch ends with one. */
  eol: { sep: "\n" | "\r\n"; trailing: boolean }[];
}

/** Sample partners as templates: real shapes, every program level and tier. */
const TEMPLATES: Record<string, unknown>[] = readFileSync(
  new URL("../data/sample-partners.ndjson", import.meta.url),
  "utf8",
)
  .split("\n", 60)
  .map((l) => JSON.parse(l) as Record<string, unknown>);

const BASE_TIME = Date.parse("2026-06-01T00:00:00Z");

/** An instant written in one of several offsets: same instant, different text. */
function timestamp(r: Rng, at: number): string {
  const offsetMin = pick(r, [0, 0, 0, 120, -300, 330, 60, -600]);
  if (offsetMin === 0) {
    const iso = new Date(at).toISOString();
    return chance(r, 0.5) ? iso : iso.replace(".000Z", "Z");
  }
  const local = new Date(at + offsetMin * 60_000).toISOString().replace(/\.000Z$|Z$/, "");
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${local}${sign}${hh}:${mm}`;
}

function profileText(r: Rng, id: string, at: number, version: number): Record<string, unknown> {
  const t = structuredClone(pick(r, TEMPLATES));
  return {
    ...t,
    id,
    name: `${String(t.name)} v${version}`,
    description: `${String(t.description)} (version ${version} of ${id})`,
    reviews: { count: int(r, 0, 500), average: int(r, 10, 50) / 10 },
    directoryListed: chance(r, 0.8),
    updatedAt: timestamp(r, at),
  };
}

const UNKNOWN_CODES = [
  { field: "industries", code: "basket_weaving" },
  { field: "services", code: "telepathy" },
  { field: "products", code: "time_machine_hub" },
  { field: "customerSizes", code: "galactic" },
  { field: "accreditations", code: "wizardry" },
] as const;

/** A valid profile spoilt by one unknown code appended to one of its code lists. */
function unknownCodeLine(r: Rng, id: string, at: number, version: number): FaultLine {
  const o = profileText(r, id, at, version);
  const { field, code } = pick(r, UNKNOWN_CODES);
  const list = [...((o[field] as unknown[] | undefined) ?? [])];
  const path =
    field === "accreditations" ? `${field}[${list.length}].code` : `${field}[${list.length}]`;
  list.push(field === "accreditations" ? { code } : code);
  o[field] = list;
  return { kind: "unknownCode", id, at, text: JSON.stringify(o), path, code };
}

const GARBAGE = [
  "{not json",
  "{'id':'p-1'}",
  "}{",
  '{"id": "x",',
  "[]",
  '[{"id":"p-1"}]',
  "null",
  "42",
  '"a string"',
  "true",
  "NaN",
  "{}{}",
  '{"id":"p-1"} trailing',
];

/** The instants of one id's lines: distinct, so no two different lines of an id tie. */
function instants(r: Rng, n: number): number[] {
  const seen = new Set<number>();
  while (seen.size < n) seen.add(BASE_TIME + int(r, 0, 200_000) * 60_000);
  return [...seen];
}

/** A feed of roughly 100-300 lines from one seed. */
export function faultyFeed(seed: number): FaultyFeed {
  const r = seededRng(seed);
  const lines: FaultLine[] = [];
  const ids: string[] = [];
  const nIds = int(r, 25, 60);
  for (let i = 0; i < nIds; i++) {
    const id = `ff-${String(i).padStart(3, "0")}`;
    ids.push(id);
    const valid: FaultLine[] = [];
    if (chance(r, 0.1)) {
      // Never listed: only tombstones (deletes of an unknown id).
      for (const at of instants(r, int(r, 1, 2))) {
        valid.push(tombstone(r, id, at));
      }
    } else {
      const n = int(r, 1, 4);
      const times = instants(r, n + 3).sort((a, b) => a - b);
      // times[0] is older than every version: a delete that arrives too late.
      // The last two are newer than every version: for invalid lines that must not win.
      const [older, ...rest] = times;
      const versions = rest.slice(0, n);
      let upserts = 0;
      versions.forEach((at, k) => {
        const isDelete = k > 0 && chance(r, 0.25);
        if (isDelete) valid.push(tombstone(r, id, at));
        else {
          upserts++;
          valid.push({
            kind: "upsert",
            id,
            at,
            text: JSON.stringify(profileText(r, id, at, k + 1)),
          });
        }
      });
      if (upserts > 0 && chance(r, 0.3)) valid.push(tombstone(r, id, older as number));
      const newest = rest.slice(n);
      if (chance(r, 0.25)) lines.push(unknownCodeLine(r, id, newest[0] as number, n + 1));
      if (chance(r, 0.15)) {
        const text = JSON.stringify(profileText(r, id, newest[1] as number, n + 2));
        lines.push({ kind: "malformed", text: text.slice(0, int(r, 1, text.length - 1)) });
      }
    }
    for (const line of valid) {
      lines.push(line);
      // The same line again, which the feed's rules and the version check both absorb.
      if (chance(r, 0.3)) for (let k = int(r, 1, 2); k > 0; k--) lines.push({ ...line });
    }
  }
  for (let k = int(r, 3, 12); k > 0; k--) lines.push({ kind: "malformed", text: pick(r, GARBAGE) });
  for (let k = int(r, 0, 6); k > 0; k--)
    lines.push({ kind: "blank", text: pick(r, ["", " ", "\t", "  "]) });
  // Ids no line names, and the ids of garbage (never valid), asked for all the same.
  ids.push("ff-never-seen", "p-1", "x");

  shuffle(r, lines);
  const batches: FaultLine[][] = [];
  for (let at = 0; at < lines.length; ) {
    const size = int(r, 1, 45);
    batches.push(lines.slice(at, at + size));
    at += size;
  }
  shuffle(r, batches);
  const eol = batches.map(() => ({
    sep: chance(r, 0.3) ? ("\r\n" as const) : ("\n" as const),
    trailing: chance(r, 0.5),
  }));
  return { seed, batches, ids, eol };
}

function tombstone(r: Rng, id: string, at: number): FaultLine {
  const o: Record<string, unknown> = { id, deleted: true, updatedAt: timestamp(r, at) };
  // A tombstone may carry other fields; they are ignored.
  if (chance(r, 0.2)) o.name = "whatever was there";
  return { kind: "delete", id, at, text: JSON.stringify(o) };
}

/** A batch as the text a service receives. */
export function batchText(feed: FaultyFeed, i: number): string {
  const batch = feed.batches[i] ?? [];
  const { sep, trailing } = feed.eol[i] ?? { sep: "\n", trailing: false };
  const text = batch.map((l) => l.text).join(sep);
  return trailing ? text + sep : text;
}

export interface ExpectedReject {
  line: number;
  path: string;
  id?: string;
}

/** The rejects one batch must produce, by line. */
export function expectedRejects(batch: readonly FaultLine[]): ExpectedReject[] {
  const out: ExpectedReject[] = [];
  const best = new Map<string, { at: number; line: number }>();
  batch.forEach((l, i) => {
    const line = i + 1;
    if (l.kind === "malformed") out.push({ line, path: "(root)" });
    else if (l.kind === "unknownCode") out.push({ line, path: l.path, id: l.id });
    else if (l.kind === "upsert" || l.kind === "delete") {
      const b = best.get(l.id);
      if (!b || l.at > b.at) best.set(l.id, { at: l.at, line });
    }
  });
  batch.forEach((l, i) => {
    if ((l.kind === "upsert" || l.kind === "delete") && best.get(l.id)?.line !== i + 1) {
      out.push({ line: i + 1, path: "id", id: l.id });
    }
  });
  return out.sort((a, b) => a.line - b.line);
}

export interface ExpectedState {
  /** Per id, the profile that must be held; ids absent here must be absent. */
  live: Map<string, Profile>;
  /** Live ids listed in the directory. */
  listed: Set<string>;
}

/** Newest valid line per id over the whole feed, whatever the batches and their order. */
export function expectedState(feed: FaultyFeed): ExpectedState {
  const newest = new Map<string, FaultLine & { at: number; id: string }>();
  for (const l of feed.batches.flat()) {
    if (l.kind !== "upsert" && l.kind !== "delete") continue;
    const n = newest.get(l.id);
    if (!n || l.at > n.at) newest.set(l.id, l);
  }
  const parser = createFeedParser(catalog);
  const live = new Map<string, Profile>();
  const listed = new Set<string>();
  for (const [id, l] of newest) {
    if (l.kind !== "upsert") continue;
    const { entry } = parser.parseLine(l.text, 1);
    if (entry?.kind !== "upsert") throw new Error(`generator bug: ${l.text}`);
    live.set(id, entry.profile);
    if (entry.profile.directoryListed) listed.add(id);
  }
  return { live, listed };
}

/** What kinds of fault one feed holds, so a test can show its feeds exercise each of them. */
export function faultCounts(feed: FaultyFeed) {
  const all = feed.batches.flat();
  const count = (k: FaultLine["kind"]) => all.filter((l) => l.kind === k).length;
  const valid = all.filter(
    (l): l is Extract<FaultLine, { id: string; at: number }> =>
      l.kind === "upsert" || l.kind === "delete",
  );
  const known = new Set(valid.filter((l) => l.kind === "upsert").map((l) => l.id));
  const newestUpsert = new Map<string, number>();
  for (const l of valid) {
    if (l.kind === "upsert") newestUpsert.set(l.id, Math.max(newestUpsert.get(l.id) ?? 0, l.at));
  }
  // Applied after a newer line of its id, counting batch order then line order.
  const seenNewest = new Map<string, number>();
  let olderAfterNewer = 0;
  for (const l of all) {
    if (l.kind !== "upsert" && l.kind !== "delete") continue;
    const s = seenNewest.get(l.id) ?? 0;
    if (l.at < s) olderAfterNewer++;
    seenNewest.set(l.id, Math.max(s, l.at));
  }
  return {
    lines: all.length,
    upserts: count("upsert"),
    deletes: count("delete"),
    malformed: count("malformed"),
    unknownCodes: count("unknownCode"),
    blanks: count("blank"),
    deletesOfUnknownIds: valid.filter((l) => l.kind === "delete" && !known.has(l.id)).length,
    deletesOlderThanUpsert: valid.filter(
      (l) => l.kind === "delete" && (newestUpsert.get(l.id) ?? 0) > l.at,
    ).length,
    duplicatesInBatch: feed.batches.flatMap(expectedRejects).filter((x) => x.path === "id").length,
    olderAfterNewer,
    batches: feed.batches.length,
  };
}
