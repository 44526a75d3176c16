import { describe, expect, it } from "vitest";
import { parseFeed } from "../../src/partner/feed.js";
import { catalog, rawProfile } from "../helpers.js";

const line = (o: unknown) => JSON.stringify(o);

describe("feed parsing", () => {
  it("accepts the contract's example exactly", () => {
    const r = parseFeed(line(rawProfile()), catalog);
    expect(r.rejects).toEqual([]);
    expect(r.entries).toHaveLength(1);
    const e = r.entries[0];
    expect(e?.kind === "upsert" && e.profile.internal.capacity.maxOpenReferrals).toBe(5);
  });

  it("reports each bad line with its number, field path and reason and loads the rest", () => {
    const lines = [
      line(rawProfile({ id: "ok-1" })),
      "{not json",
      line(rawProfile({ id: "bad-code", industries: ["mining"] })),
      line(rawProfile({ id: "bad-country", locations: [{ country: "XX", city: "Nowhere" }] })),
      line(
        rawProfile({
          id: "bad-lat",
          locations: [{ country: "DE", city: "Kiel", lat: 123, lon: 10 }],
        }),
      ),
      "[1,2]",
      line(
        rawProfile({ id: "ok-2", languages: ["DE"], locations: [{ country: "de", city: "Köln" }] }),
      ),
      line(rawProfile({ id: "bad-tier", tier: "bronze" })),
      line(rawProfile({ id: "bad-provider", programLevel: "provider", tier: "gold" })),
      line(rawProfile({ id: "extra", secret: 1 })),
    ];
    const r = parseFeed(lines.join("\n"), catalog);
    expect(r.entries.map((e) => (e.kind === "upsert" ? e.profile.id : ""))).toEqual([
      "ok-1",
      "ok-2",
    ]);
    const byLine = Object.fromEntries(r.rejects.map((x) => [x.line, x]));
    expect(byLine[2]).toMatchObject({
      path: "(root)",
      reason: expect.stringMatching(/malformed JSON/),
    });
    expect(byLine[3]).toMatchObject({
      id: "bad-code",
      path: "industries[0]",
      reason: 'unknown industry code "mining"',
    });
    expect(byLine[4]).toMatchObject({
      path: "locations[0].country",
      reason: 'unknown country code "XX"',
    });
    expect(byLine[5]).toMatchObject({ path: "locations[0].lat" });
    expect(byLine[6]).toMatchObject({ reason: "a line must be one JSON object" });
    expect(byLine[8]).toMatchObject({ path: "tier", reason: 'unknown tier code "bronze"' });
    expect(byLine[9]).toMatchObject({
      path: "tier",
      reason: expect.stringMatching(/Solutions Provider has no tier/),
    });
    // An unknown field is named by its own path, like every other reject.
    expect(byLine[10]).toMatchObject({ path: "secret", reason: "unknown field" });
    // Normalised: country upper-cased, language lower-cased.
    const ok2 = r.entries[1];
    expect(ok2?.kind === "upsert" && ok2.profile.locations[0]?.country).toBe("DE");
    expect(ok2?.kind === "upsert" && ok2.profile.languages).toEqual(["de"]);
  });

  it("keeps the newer of two versions of one id in a feed and reports the other", () => {
    const r = parseFeed(
      [
        line(rawProfile({ id: "a", name: "New", updatedAt: "2026-10-02T00:00:00Z" })),
        line(rawProfile({ id: "a", name: "Old", updatedAt: "2026-10-01T00:00:00Z" })),
      ].join("\n"),
      catalog,
    );
    expect(r.entries).toHaveLength(1);
    expect(r.entries[0]?.kind === "upsert" && r.entries[0].profile.name).toBe("New");
    expect(r.rejects).toEqual([
      expect.objectContaining({
        line: 2,
        id: "a",
        path: "id",
        reason: expect.stringMatching(/duplicate id/),
      }),
    ]);
  });

  it("reads deletions with only id and updatedAt", () => {
    const r = parseFeed(
      line({ id: "gone", updatedAt: "2026-10-01T00:00:00Z", deleted: true }),
      catalog,
    );
    expect(r.rejects).toEqual([]);
    expect(r.entries[0]).toMatchObject({ kind: "delete", tombstone: { id: "gone" } });
  });

  it("skips blank lines but counts them for line numbers", () => {
    const r = parseFeed(["", line(rawProfile()), "", "{"].join("\n"), catalog);
    expect(r.entries).toHaveLength(1);
    expect(r.rejects[0]?.line).toBe(4);
  });
});
