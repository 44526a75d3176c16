// The embedded engine's text matching against the ranking's rule (ranking/text-match.ts): hand
// cases on a small feed, and a property check on part of the sample feed against a brute-force
// reading of the rule over each partner's analysed text.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFeed } from "../../../src/partner/feed.js";
import type { Profile } from "../../../src/partner/schema.js";
import {
  buildDirectoryPlan,
  type DirectoryQuery,
  TEXT_FIELDS,
  toDirectoryDoc,
} from "../../../src/ranking/directory.js";
import { tokenMatch } from "../../../src/ranking/text-match.js";
import type { QueryWord } from "../../../src/ranking/tokenize.js";
import { MemoryBackend } from "../../../src/search/memory/memory-backend.js";
import { backendOf, catalog, policy, rawProfile } from "../../helpers.js";

function plan(q: Partial<DirectoryQuery> = {}) {
  return buildDirectoryPlan(
    { filters: {}, page: 1, pageSize: 50, sort: "relevance", ...q },
    policy,
  );
}

const partner = (id: string, name: string, city: string, description: string, acc = false) =>
  rawProfile({
    id,
    name,
    description,
    locations: [{ country: "DE", city }],
    markets: [],
    services: ["crm_implementation"],
    industries: [],
    products: [],
    ...(acc ? {} : { accreditations: [] }),
  });

const feed = [
  partner("p-1", "Nordlicht Digital", "Hamburg", "Salesforce migration for retailers", true),
  partner("p-2", "Elbe Beratung", "Hamburg", "Onboarding and training"),
  partner("p-3", "Isar Systems", "München", "Migration projects and Hamburg office"),
  partner("p-4", "Hamburg Works", "Berlin", "Data migration", true),
  partner("p-5", "Donau Consulting", "Wien", "Migrations and reporting"),
];
const backend = backendOf(feed);
const ids = (q: Partial<DirectoryQuery>) =>
  backend.directorySync(plan(q)).hits.map((h) => h.profile.id);

describe("embedded text matching", () => {
  it("matches a partner only when every word matches", () => {
    expect(ids({ q: "migration hamburg" }).sort()).toEqual(["p-1", "p-3", "p-4"]);
    expect(ids({ q: "onboarding hamburg" })).toEqual(["p-2"]);
  });

  it("takes only the last word as a prefix", () => {
    expect(ids({ q: "nordlicht hamb" })).toEqual(["p-1"]);
    // "hamb" before another word must match whole: nobody has it, so it is dropped.
    expect(backend.directorySync(plan({ q: "hamb nordlicht" })).relaxed).toEqual({
      dropped: ["hamb"],
    });
  });

  it("allows one edit in words of five letters or more, none in shorter ones", () => {
    expect(ids({ q: "hamburq onboarding" })).toEqual(["p-2"]);
    // A swap is one edit; "migrations" is two edits away.
    expect(ids({ q: "migratoin" }).sort()).toEqual(["p-1", "p-3", "p-4"]);
    expect(backend.directorySync(plan({ q: "wein" })).total).toBe(0);
    expect(ids({ q: "wien" })).toEqual(["p-5"]);
  });

  it("puts accredited partners first among the matches, then name and city over description", () => {
    // p-4 (accredited, Hamburg in the name) and p-1 (accredited, Hamburg the city) lead; of the
    // others, Hamburg as the city (p-2) outranks Hamburg in the description (p-3).
    const order = ids({ q: "hamburg" });
    expect(order.slice(0, 2).sort()).toEqual(["p-1", "p-4"]);
    expect(order.slice(2)).toEqual(["p-2", "p-3"]);
  });

  it("drops the fewest words when nobody matches them all, and says which", () => {
    const r = backend.directorySync(plan({ q: "salesforce onboarding hamburg" }));
    // Dropping "salesforce" keeps p-2, dropping "onboarding" keeps p-1: a tie, so the earlier
    // word stays.
    expect(r.relaxed).toEqual({ dropped: ["onboarding"] });
    expect(r.hits.map((h) => h.profile.id)).toEqual(["p-1"]);
    // "reporting" with "hamburg" matches nobody; "migration" keeps the most partners.
    const m = backend.directorySync(plan({ q: "Migration reporting Hamburg" }));
    expect(m.relaxed).toEqual({ dropped: ["reporting"] });
    expect(m.total).toBe(3);
  });

  it("says nothing when every word matched, or when no word matches anybody", () => {
    expect(backend.directorySync(plan({ q: "migration" })).relaxed).toBeUndefined();
    const none = backend.directorySync(plan({ q: "zzzzz qqqqq" }));
    expect(none.total).toBe(0);
    expect(none.relaxed).toBeUndefined();
  });

  it("chooses dropped words with the filters applied", () => {
    const r = backend.directorySync(plan({ q: "hamburg wien", filters: { country: ["DE"] } }));
    expect(r.relaxed?.dropped).toHaveLength(1);
    expect(r.total).toBeGreaterThan(0);
  });
});

// Part of the sample feed, for a brute-force check of the rule.
const sample = parseFeed(
  readFileSync(new URL("../../../data/sample-partners.ndjson", import.meta.url), "utf8"),
  catalog,
)
  .entries.flatMap((e) => (e.kind === "upsert" ? [e.profile] : []))
  .slice(0, 400);
const sampleBackend = new MemoryBackend(catalog, policy);
sampleBackend.applySync(sample.map((profile) => ({ kind: "upsert" as const, profile })));
const terms = new Map<string, string[]>();
for (const p of sample) {
  const text = toDirectoryDoc(p, catalog, policy).text;
  terms.set(p.id, [...new Set(TEXT_FIELDS.flatMap((f) => text[f]))]);
}

function matchesWord(p: Pick<Profile, "id">, w: QueryWord): boolean {
  const own = terms.get(p.id) ?? [];
  return w.alternatives.some((alt) =>
    alt.every((t) => own.some((term) => tokenMatch(t, term) !== undefined)),
  );
}

describe("embedded text matching, property", () => {
  const vocab = [...new Set([...terms.values()].flat())].filter((t) => /^[a-z]{3,}$/.test(t));
  const word = fc.oneof(
    fc.constantFrom(...vocab),
    // A typo, a cut-off word, or a word nobody has.
    fc
      .tuple(fc.constantFrom(...vocab), fc.nat())
      .map(([w, i]) => w.slice(0, i % w.length) + w.slice((i % w.length) + 1)),
    fc.constantFrom(...vocab).map((w) => w.slice(0, Math.max(1, w.length - 2))),
    fc.constantFrom("zzqx", "qqqqqq"),
  );
  it("returns exactly the partners matching every word not dropped, dropping as few as possible", () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), (ws) => {
        const q = ws.join(" ");
        const p = plan({ q });
        const words = p.text?.words ?? [];
        const r = sampleBackend.directorySync(p);
        const dropped = new Set(r.relaxed?.dropped ?? []);
        const kept = words.filter((w) => !dropped.has(w.text));
        const listed = sample.filter((x) => x.directoryListed);
        const expected = listed.filter((x) => kept.every((w) => matchesWord(x, w)));
        expect(r.total).toBe(expected.length);
        for (const h of r.hits) for (const w of kept) expect(matchesWord(h.profile, w)).toBe(true);
        // No search keeping more words would have found anybody.
        if (r.relaxed) {
          const everyWord = listed.filter((x) => words.every((w) => matchesWord(x, w)));
          expect(everyWord).toEqual([]);
          expect(r.total).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  });
});
