// Profiles as columns, so 100k of them cost typed arrays and one UTF-8 blob instead of 100k
// object graphs for the garbage collector to walk: numbers in Float64Arrays, or Float32 where
// exact (bit-exact, -0 included), codes, cities and accreditation dates as ids into one interned
// string table, lists as offsets into flat id arrays, free text (id, name, description, website,
// notes, emails, updatedAt) as UTF-8.
// `profileAt` builds a Profile equal to the one added: the same fields, an optional field
// present exactly when it was. The columns are plain typed arrays and string lists, so the
// binary snapshot stores them as they are (src/search/snapshot/index-file.ts).
import { type FloatColumn, type IdColumn, narrowFloat, narrowIds } from "../../lib/narrow.js";
import type { Profile } from "../../partner/schema.js";
import { codeTexts, type TextDictionary, TextReader } from "./text-dictionary.js";

/** The numeric fields, one Float64Array each; an absent optional number is stored as NaN. */
const NUMBERS = [
  "certificationsCount",
  "reviewCount",
  "reviewAverage",
  "minProjectBudgetUsd",
  "soldMrr12m",
  "managedMrr",
  "retention",
  "toolUsageIndex",
  "maxOpenReferrals",
  "openReferrals",
] as const;
type NumberField = (typeof NUMBERS)[number];

const CODE_LISTS = [
  "languages",
  "industries",
  "services",
  "products",
  "customerSizes",
  "markets",
] as const;
type CodeListField = (typeof CODE_LISTS)[number];

const TRACK_RECORDS = ["products", "industries", "customerSizes"] as const;
type TrackRecordField = (typeof TRACK_RECORDS)[number];

const HAS_WEBSITE = 1;
const LISTED = 2;
const ACCEPTING = 4;
const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Stands for "absent" in id columns of optional strings (an accreditation's `since`). */
const NONE = 0xffffffff;
/** Text entries every profile has before its website and emails (ID .. UPDATED_AT). */
const FIXED_TEXTS = 5;
const ID = 0;
const NAME = 1;
const DESCRIPTION = 2;
const NOTES = 3;
// A text, not an interned string: nearly every profile's differs, and interned they made the
// table 100k strings long (held as JS strings) and pushed every code id past two bytes.
const UPDATED_AT = 4;

/** Entry i of a list column is items[at[i]] .. items[at[i+1]-1]. */
export interface ListColumn {
  at: Uint32Array;
  items: IdColumn;
}

/** Everything a store holds; typed arrays and strings only, so a snapshot stores it as is. */
export interface StoreColumns {
  n: number;
  /** Interned strings: codes, cities, dates. */
  strings: string[];
  // Id and number columns are narrowed (src/lib/narrow.ts): string ids in two bytes while the
  // table has at most 65,536 strings, counts and whole amounts in Float32 when exact.
  programLevel: IdColumn;
  tier: IdColumn;
  flags: Uint8Array;
  numbers: Record<NumberField, FloatColumn>;
  codeLists: Record<CodeListField, ListColumn>;
  /** Codes per doc, with each one's `since` (NONE when absent) at the same item position. */
  accreditations: ListColumn;
  accreditationSince: IdColumn;
  /** Countries per doc; city and point at the same item position (NaN: no point). */
  locations: ListColumn;
  locationCity: IdColumn;
  locationLat: FloatColumn;
  locationLon: FloatColumn;
  /** Codes in the record's key order; the counts at the same item position. */
  trackRecords: Record<TrackRecordField, ListColumn>;
  trackRecordCounts: Record<TrackRecordField, FloatColumn>;
  /** Per doc its first text entry: id, name, description, notes, updatedAt, [website], emails... */
  texts: Uint32Array;
  /** Text entry i is textBytes[textEnds[i-1] .. textEnds[i]] (from 0 for i = 0). */
  textEnds: Uint32Array;
  textBytes: Uint8Array;
  /** In a snapshot: the dictionary its texts are coded with (text-dictionary.ts). */
  textDictionary?: TextDictionary;
  /**
   * Text entries stored as their JSON string literal, sorted: strings with a lone surrogate,
   * which UTF-8 cannot carry but a feed line's "\ud800" escape can.
   */
  escaped: Uint32Array;
}

/** Growable arrays of one element type, turned into a typed array at the end. */
class Grow<T extends Uint32Array | Float64Array | Uint8Array> {
  private buf: T;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.buf = make(1024);
  }
  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = this.make(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  done(): T {
    return this.buf.slice(0, this.length) as T;
  }
}

const u32 = () => new Grow((n) => new Uint32Array(n));
const f64 = () => new Grow((n) => new Float64Array(n));

class ListBuilder {
  readonly at = u32();
  readonly items = u32();
  constructor() {
    this.at.push(0);
  }
  end(): void {
    this.at.push(this.items.length);
  }
  done(): ListColumn {
    return { at: this.at.done(), items: narrowIds(this.items.done()) };
  }
}

const record = <V>(keys: readonly string[], f: (k: string) => V) =>
  Object.fromEntries(keys.map((k) => [k, f(k)]));

/** Adds profiles one at a time (the index build's loop), then `build()`s the store. */
export class ProfileStoreBuilder {
  private n = 0;
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];
  private readonly programLevel = u32();
  private readonly tier = u32();
  private readonly flags = new Grow((n) => new Uint8Array(n));
  private readonly numbers = record(NUMBERS, f64) as Record<NumberField, Grow<Float64Array>>;
  private readonly codeLists = record(CODE_LISTS, () => new ListBuilder()) as Record<
    CodeListField,
    ListBuilder
  >;
  private readonly accreditations = new ListBuilder();
  private readonly accreditationSince = u32();
  private readonly locations = new ListBuilder();
  private readonly locationCity = u32();
  private readonly locationLat = f64();
  private readonly locationLon = f64();
  private readonly trackRecords = record(TRACK_RECORDS, () => new ListBuilder()) as Record<
    TrackRecordField,
    ListBuilder
  >;
  private readonly trackRecordCounts = record(TRACK_RECORDS, f64) as Record<
    TrackRecordField,
    Grow<Float64Array>
  >;
  private readonly texts = u32();
  private readonly textEnds = u32();
  private textBytes = new Uint8Array(1 << 16);
  private textSize = 0;
  private readonly escaped: number[] = [];
  private readonly utf8 = new TextEncoder();

  private str(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  private text(s: string): void {
    let t = s;
    // The plain class test is cheap; the lookbehind only runs on text with surrogates.
    if (SURROGATE.test(s) && LONE_SURROGATE.test(s)) {
      this.escaped.push(this.textEnds.length);
      t = JSON.stringify(s);
    }
    // At most 3 bytes per UTF-16 unit.
    const need = this.textSize + t.length * 3;
    if (need > this.textBytes.length) {
      const next = new Uint8Array(Math.max(need, this.textBytes.length * 2));
      next.set(this.textBytes.subarray(0, this.textSize));
      this.textBytes = next;
    }
    this.textSize += this.utf8.encodeInto(t, this.textBytes.subarray(this.textSize)).written;
    this.textEnds.push(this.textSize);
  }

  /** Profiles added so far; the next one added is this doc. */
  get size(): number {
    return this.n;
  }

  add(p: Profile): void {
    this.n++;
    this.programLevel.push(this.str(p.programLevel));
    this.tier.push(this.str(p.tier));
    const i = p.internal;
    const cap = i.capacity;
    this.flags.push(
      (p.website !== undefined ? HAS_WEBSITE : 0) |
        (p.directoryListed ? LISTED : 0) |
        (cap.acceptingReferrals ? ACCEPTING : 0),
    );
    const values: Record<NumberField, number> = {
      certificationsCount: p.certificationsCount,
      reviewCount: p.reviews.count,
      reviewAverage: p.reviews.average,
      minProjectBudgetUsd: p.minProjectBudgetUsd ?? Number.NaN,
      soldMrr12m: i.soldMrr12m,
      managedMrr: i.managedMrr,
      retention: i.retention,
      toolUsageIndex: i.toolUsageIndex,
      maxOpenReferrals: cap.maxOpenReferrals,
      openReferrals: cap.openReferrals,
    };
    for (const f of NUMBERS) this.numbers[f].push(values[f]);
    for (const f of CODE_LISTS) {
      const l = this.codeLists[f];
      for (const code of p[f]) l.items.push(this.str(code));
      l.end();
    }
    for (const a of p.accreditations) {
      this.accreditations.items.push(this.str(a.code));
      this.accreditationSince.push(a.since === undefined ? NONE : this.str(a.since));
    }
    this.accreditations.end();
    for (const l of p.locations) {
      this.locations.items.push(this.str(l.country));
      this.locationCity.push(this.str(l.city));
      this.locationLat.push(l.lat ?? Number.NaN);
      this.locationLon.push(l.lon ?? Number.NaN);
    }
    this.locations.end();
    for (const f of TRACK_RECORDS) {
      const rec = i.trackRecord[f];
      const l = this.trackRecords[f];
      for (const code of Object.keys(rec)) {
        l.items.push(this.str(code));
        this.trackRecordCounts[f].push(rec[code] as number);
      }
      l.end();
    }
    this.texts.push(this.textEnds.length);
    this.text(p.id);
    this.text(p.name);
    this.text(p.description);
    this.text(i.notes);
    this.text(p.updatedAt);
    if (p.website !== undefined) this.text(p.website);
    for (const e of i.contactEmails) this.text(e);
  }

  build(): ProfileStore {
    this.texts.push(this.textEnds.length);
    return new ProfileStore({
      n: this.n,
      strings: this.strings,
      programLevel: narrowIds(this.programLevel.done()),
      tier: narrowIds(this.tier.done()),
      flags: this.flags.done(),
      numbers: record(NUMBERS, (f) => narrowFloat(this.numbers[f as NumberField].done())) as Record<
        NumberField,
        FloatColumn
      >,
      codeLists: record(CODE_LISTS, (f) => this.codeLists[f as CodeListField].done()) as Record<
        CodeListField,
        ListColumn
      >,
      accreditations: this.accreditations.done(),
      accreditationSince: narrowIds(this.accreditationSince.done()),
      locations: this.locations.done(),
      locationCity: narrowIds(this.locationCity.done()),
      locationLat: narrowFloat(this.locationLat.done()),
      locationLon: narrowFloat(this.locationLon.done()),
      trackRecords: record(TRACK_RECORDS, (f) =>
        this.trackRecords[f as TrackRecordField].done(),
      ) as Record<TrackRecordField, ListColumn>,
      trackRecordCounts: record(TRACK_RECORDS, (f) =>
        narrowFloat(this.trackRecordCounts[f as TrackRecordField].done()),
      ) as Record<TrackRecordField, FloatColumn>,
      texts: this.texts.done(),
      textEnds: this.textEnds.done(),
      textBytes: this.textBytes.slice(0, this.textSize),
      escaped: Uint32Array.from(this.escaped),
    });
  }
}

/** Profiles held as columns; `profileAt` materialises one (a new object on every call). */
export class ProfileStore {
  readonly n: number;
  // ignoreBOM: a text that starts with U+FEFF keeps it.
  private readonly utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
  private readonly reader: TextReader | undefined;

  /** Checks that the columns fit together (a snapshot's are read from a file). */
  constructor(readonly columns: StoreColumns) {
    const c = columns;
    this.n = c.n;
    const dict = c.textDictionary;
    if (dict && dict.ends.length > 0 && dict.ends[dict.ends.length - 1] !== dict.bytes.length) {
      throw new Error("the text dictionary does not fit together");
    }
    this.reader = dict ? new TextReader(dict) : undefined;
    const perDoc = [c.programLevel, c.tier, c.flags, ...Object.values(c.numbers)];
    const lists = [
      ...Object.values(c.codeLists),
      c.accreditations,
      c.locations,
      ...Object.values(c.trackRecords),
    ];
    if (
      perDoc.some((a) => a.length !== c.n) ||
      lists.some((l) => l.at.length !== c.n + 1 || l.at[c.n] !== l.items.length) ||
      c.texts.length !== c.n + 1 ||
      c.texts[c.n] !== c.textEnds.length ||
      (c.textEnds.length > 0 && c.textEnds[c.textEnds.length - 1] !== c.textBytes.length) ||
      c.accreditationSince.length !== c.accreditations.items.length ||
      c.locationCity.length !== c.locations.items.length ||
      c.locationLat.length !== c.locations.items.length ||
      c.locationLon.length !== c.locations.items.length ||
      TRACK_RECORDS.some((f) => c.trackRecordCounts[f].length !== c.trackRecords[f].items.length)
    ) {
      throw new Error("the profile columns do not fit together");
    }
  }

  /** Builds a store from profiles (in the order given). */
  static of(profiles: Iterable<Profile>): ProfileStore {
    const b = new ProfileStoreBuilder();
    for (const p of profiles) b.add(p);
    return b.build();
  }

  /** The columns with the texts coded for a snapshot (text-dictionary.ts). */
  codedColumns(): StoreColumns {
    const c = this.columns;
    if (c.textDictionary) return c;
    const coded = codeTexts(c.textBytes, c.textEnds);
    return {
      ...c,
      textBytes: coded.bytes,
      textEnds: coded.ends,
      ...(coded.dictionary ? { textDictionary: coded.dictionary } : {}),
    };
  }

  private text(i: number): string {
    const c = this.columns;
    const start = i > 0 ? (c.textEnds[i - 1] as number) : 0;
    const end = c.textEnds[i] as number;
    const s = this.utf8.decode(
      this.reader ? this.reader.read(c.textBytes, start, end) : c.textBytes.subarray(start, end),
    );
    return c.escaped.length > 0 && isIn(c.escaped, i) ? (JSON.parse(s) as string) : s;
  }

  private str(id: number): string {
    return this.columns.strings[id] as string;
  }

  /** The id of a doc without materialising its profile (lookups by id binary-search these). */
  idAt(d: number): string {
    return this.text((this.columns.texts[d] as number) + ID);
  }

  nameAt(d: number): string {
    return this.text((this.columns.texts[d] as number) + NAME);
  }

  updatedAtOf(d: number): string {
    return this.text((this.columns.texts[d] as number) + UPDATED_AT);
  }

  profileAt(d: number): Profile {
    const c = this.columns;
    const num = (f: NumberField) => c.numbers[f][d] as number;
    const flags = c.flags[d] as number;
    const t = c.texts[d] as number;
    const website = flags & HAS_WEBSITE ? this.text(t + FIXED_TEXTS) : undefined;
    const emails: string[] = [];
    const textEnd = c.texts[d + 1] as number;
    for (let i = t + FIXED_TEXTS + (website === undefined ? 0 : 1); i < textEnd; i++) {
      emails.push(this.text(i));
    }
    const list = (f: CodeListField) => this.codes(c.codeLists[f], d);
    const accreditations: Profile["accreditations"] = [];
    for (
      let i = c.accreditations.at[d] as number;
      i < (c.accreditations.at[d + 1] as number);
      i++
    ) {
      const since = c.accreditationSince[i] as number;
      const code = this.str(c.accreditations.items[i] as number);
      accreditations.push(since === NONE ? { code } : { code, since: this.str(since) });
    }
    const locations: Profile["locations"] = [];
    for (let i = c.locations.at[d] as number; i < (c.locations.at[d + 1] as number); i++) {
      const country = this.str(c.locations.items[i] as number);
      const city = this.str(c.locationCity[i] as number);
      const lat = c.locationLat[i] as number;
      const lon = c.locationLon[i] as number;
      const at: Profile["locations"][number] = { country, city };
      if (!Number.isNaN(lat)) at.lat = lat;
      if (!Number.isNaN(lon)) at.lon = lon;
      locations.push(at);
    }
    const trackRecord = (f: TrackRecordField) => {
      const l = c.trackRecords[f];
      const counts = c.trackRecordCounts[f];
      const out: Partial<Record<string, number>> = {};
      for (let i = l.at[d] as number; i < (l.at[d + 1] as number); i++) {
        out[this.str(l.items[i] as number)] = counts[i] as number;
      }
      return out;
    };
    const minBudget = num("minProjectBudgetUsd");
    // Keys in the schema's order, so JSON.stringify of it reads as the feed parser's output.
    return {
      id: this.text(t + ID),
      name: this.text(t + NAME),
      description: this.text(t + DESCRIPTION),
      ...(website === undefined ? {} : { website }),
      programLevel: this.str(c.programLevel[d] as number),
      tier: this.str(c.tier[d] as number),
      accreditations,
      certificationsCount: num("certificationsCount"),
      languages: list("languages"),
      industries: list("industries"),
      services: list("services"),
      products: list("products"),
      customerSizes: list("customerSizes"),
      locations,
      markets: list("markets"),
      reviews: { count: num("reviewCount"), average: num("reviewAverage") },
      directoryListed: (flags & LISTED) !== 0,
      ...(Number.isNaN(minBudget) ? {} : { minProjectBudgetUsd: minBudget }),
      internal: {
        soldMrr12m: num("soldMrr12m"),
        managedMrr: num("managedMrr"),
        retention: num("retention"),
        toolUsageIndex: num("toolUsageIndex"),
        trackRecord: {
          products: trackRecord("products"),
          industries: trackRecord("industries"),
          customerSizes: trackRecord("customerSizes"),
        },
        capacity: {
          acceptingReferrals: (flags & ACCEPTING) !== 0,
          maxOpenReferrals: num("maxOpenReferrals"),
          openReferrals: num("openReferrals"),
        },
        notes: this.text(t + NOTES),
        contactEmails: emails,
      },
      updatedAt: this.text(t + UPDATED_AT),
      deleted: false,
    };
  }

  private codes(l: ListColumn, d: number): string[] {
    const out: string[] = [];
    for (let i = l.at[d] as number; i < (l.at[d + 1] as number); i++) {
      out.push(this.str(l.items[i] as number));
    }
    return out;
  }
}

function isIn(sorted: Uint32Array, v: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = sorted[mid] as number;
    if (x === v) return true;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
