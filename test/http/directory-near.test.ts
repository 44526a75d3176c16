// "Near me" and budget on the directory route (CONTRACT 2a): near/radiusKm, sort=distance,
// budgetUsd and locatedIn over a handful of partners whose distances are known, and the 400s.
import { describe, expect, it } from "vitest";
import { haversineKm, roundKm } from "../../src/ranking/geo.js";
import { appOf, rawProfile } from "../helpers.js";

const HAMBURG = { lat: 53.55, lon: 9.99 };
const BERLIN = { lat: 52.52, lon: 13.405 };
const VIENNA = { lat: 48.208, lon: 16.373 };

const { app } = appOf([
  // Accredited (the contract example), located in Hamburg, serving DE, AT, CH; minimum 5000.
  rawProfile({ id: "hh", name: "Hamburg Partner" }),
  rawProfile({
    id: "be",
    name: "Berlin Partner",
    accreditations: [],
    locations: [{ country: "DE", city: "Berlin", ...BERLIN }],
    markets: [],
    minProjectBudgetUsd: undefined,
  }),
  rawProfile({
    id: "mu",
    name: "Munich Vienna Partner",
    accreditations: [],
    locations: [
      { country: "DE", city: "Munich", lat: 48.137, lon: 11.575 },
      { country: "AT", city: "Vienna", ...VIENNA },
    ],
    markets: [],
    minProjectBudgetUsd: 20_000,
  }),
  rawProfile({
    id: "ny",
    name: "New York Partner",
    accreditations: [],
    locations: [{ country: "US", city: "New York", lat: 40.71, lon: -74.0 }],
    markets: ["US"],
    minProjectBudgetUsd: 1000,
  }),
  // Located in Hamburg but without coordinates: never "near" anything.
  rawProfile({
    id: "nocoord",
    name: "Somewhere Partner",
    accreditations: [],
    locations: [{ country: "DE", city: "Hamburg" }],
    markets: [],
    minProjectBudgetUsd: undefined,
  }),
]);

interface Result {
  id: string;
  distanceKm?: number;
  locatedIn?: boolean;
}
interface Answer {
  total: number;
  results: Result[];
  facets: Record<string, Record<string, number>>;
}

async function search(query: string): Promise<Answer> {
  const r = await app.request(`/v1/directory/partners?${query}`);
  expect(r.status, await r.clone().text()).toBe(200);
  return (await r.json()) as Answer;
}
const ids = (a: Answer) => a.results.map((r) => r.id);

describe("near and radiusKm", () => {
  it("keeps partners within the default 100 km and says how far each is", async () => {
    const a = await search("near=53.55,9.99");
    expect(ids(a)).toEqual(["hh"]);
    expect(a.results[0]?.distanceKm).toBe(0);
  });

  it("measures to a partner's nearest location, one decimal", async () => {
    const a = await search(`near=${VIENNA.lat},${VIENNA.lon}&radiusKm=50`);
    expect(ids(a)).toEqual(["mu"]);
    expect(a.results[0]?.distanceKm).toBe(0);
    const far = await search(`near=${HAMBURG.lat},${HAMBURG.lon}&radiusKm=1000&sort=distance`);
    const berlin = far.results.find((r) => r.id === "be");
    const km = roundKm(haversineKm(HAMBURG.lat, HAMBURG.lon, BERLIN.lat, BERLIN.lon));
    expect(km).toBeGreaterThan(250);
    expect(berlin?.distanceKm).toBe(km);
    // Munich (~610 km) is nearer to Hamburg than Vienna (~740 km).
    const munich = far.results.find((r) => r.id === "mu");
    expect(munich?.distanceKm).toBe(roundKm(haversineKm(HAMBURG.lat, HAMBURG.lon, 48.137, 11.575)));
  });

  it("with relevance, keeps accredited first; sort=distance orders nearest first", async () => {
    const near = `near=${BERLIN.lat},${BERLIN.lon}&radiusKm=300`;
    expect(ids(await search(near))).toEqual(["hh", "be"]);
    const byDistance = await search(`${near}&sort=distance`);
    expect(ids(byDistance)).toEqual(["be", "hh"]);
    expect(byDistance.results.map((r) => r.distanceKm)).toEqual([
      0,
      roundKm(haversineKm(BERLIN.lat, BERLIN.lon, HAMBURG.lat, HAMBURG.lon)),
    ]);
  });

  it("counts facets over the partners inside the circle only", async () => {
    const a = await search(`near=${BERLIN.lat},${BERLIN.lon}&radiusKm=300`);
    expect(a.total).toBe(2);
    expect(a.facets.accredited).toEqual({ false: 1, true: 1 });
    expect(Object.values(a.facets.tier ?? {}).reduce((x, y) => x + y, 0)).toBe(2);
  });

  it("is absent without near", async () => {
    const a = await search("");
    expect(a.total).toBe(5);
    expect(a.results.every((r) => !("distanceKm" in r))).toBe(true);
  });

  it("keeps answers for different points apart, and one for both spellings of the default", async () => {
    expect(ids(await search("near=40.71,-74&radiusKm=10"))).toEqual(["ny"]);
    expect(ids(await search("near=53.55,9.99&radiusKm=10"))).toEqual(["hh"]);
    const a = await app.request("/v1/directory/partners?near=53.55,9.99");
    const b = await app.request("/v1/directory/partners?near=53.550,9.990&radiusKm=100");
    expect(a.headers.get("etag")).toBeTruthy();
    expect(b.headers.get("etag")).toBe(a.headers.get("etag"));
  });
});

describe("budgetUsd", () => {
  it("keeps partners whose minimum is at most the budget, and those without one", async () => {
    const a = await search("budgetUsd=5000");
    expect(ids(a).sort()).toEqual(["be", "hh", "nocoord", "ny"]);
    expect(a.facets.country?.AT).toBe(1); // hh serves AT; mu (located there) is filtered out
    expect(ids(await search("budgetUsd=4999")).sort()).toEqual(["be", "nocoord", "ny"]);
    expect(ids(await search("budgetUsd=0")).sort()).toEqual(["be", "nocoord"]);
  });

  it("combines with near", async () => {
    const a = await search(`near=${BERLIN.lat},${BERLIN.lon}&radiusKm=1000&budgetUsd=5000`);
    expect(ids(a)).toEqual(["hh", "be"]);
  });
});

describe("locatedIn", () => {
  it("says whether a partner is located in a selected country or only serves it", async () => {
    const a = await search("country=AT");
    expect(a.results.map((r) => [r.id, r.locatedIn])).toEqual([
      ["hh", false],
      ["mu", true],
    ]);
    const both = await search("country=AT&country=US");
    expect(both.results.find((r) => r.id === "ny")?.locatedIn).toBe(true);
  });

  it("is absent without a country filter", async () => {
    const a = await search("tier=platinum");
    expect(a.results.length).toBeGreaterThan(0);
    expect(a.results.every((r) => !("locatedIn" in r))).toBe(true);
  });
});

describe("invalid near, radiusKm, sort=distance and budgetUsd", () => {
  async function problem(query: string) {
    const r = await app.request(`/v1/directory/partners?${query}`);
    expect(r.headers.get("content-type")).toBe("application/problem+json");
    const body = (await r.json()) as {
      code: string;
      errors?: { name: string; in: string; reason: string }[];
    };
    return { status: r.status, body };
  }

  it.each([
    ["sort=distance", "sort", /needs near/],
    ["radiusKm=50", "radiusKm", /needs near/],
    ["sort=distance&radiusKm=50", "radiusKm", /needs near/],
    ["near=abc", "near", /lat,lon/],
    ["near=52.5", "near", /lat,lon/],
    ["near=1,2,3", "near", /lat,lon/],
    ["near=52.5;13.4", "near", /lat,lon/],
    ["near=", "near", /./],
    ["near=91,0", "near", /latitude/],
    ["near=-90.5,0", "near", /latitude/],
    ["near=0,180.1", "near", /longitude/],
    ["near=0,-181", "near", /longitude/],
    ["near=1,2&near=1,2", "near", /once/],
    ["near=1,2&radiusKm=0", "radiusKm", /at least 1/],
    ["near=1,2&radiusKm=1001", "radiusKm", /at most 1000/],
    ["near=1,2&radiusKm=2.5", "radiusKm", /integer/],
    ["budgetUsd=-1", "budgetUsd", /at least 0/],
    ["budgetUsd=10.5", "budgetUsd", /integer/],
    ["budgetUsd=lots", "budgetUsd", /integer/],
  ])("%s is a 400 naming %s", async (query, name, reason) => {
    const { status, body } = await problem(query);
    expect(status).toBe(400);
    expect(body.code).toBe("invalid_request");
    const e = body.errors?.find((x) => x.name === name);
    expect(e, JSON.stringify(body)).toBeDefined();
    expect(e?.in).toBe("query");
    expect(e?.reason).toMatch(reason);
  });

  it("accepts the edges of the globe and of the radius", async () => {
    for (const q of [
      "near=90,180",
      "near=-90,-180",
      "near=-90.0,180.00",
      "near=0,0&radiusKm=1",
      "near=0,0&radiusKm=1000&sort=distance",
      "budgetUsd=0",
    ]) {
      expect((await app.request(`/v1/directory/partners?${q}`)).status, q).toBe(200);
    }
  });
});

describe("near with a relaxed text search", () => {
  // Nobody matches both words: "zephyr" is one partner in Berlin, "quokka" three in New York.
  const far = (id: string) =>
    rawProfile({
      id,
      name: `Quokka ${id}`,
      accreditations: [],
      locations: [{ country: "US", city: "New York", lat: 40.71, lon: -74.0 }],
      markets: ["US"],
    });
  const { app: relaxApp } = appOf([
    rawProfile({
      id: "zb",
      name: "Zephyr Berlin",
      accreditations: [],
      locations: [{ country: "DE", city: "Berlin", ...BERLIN }],
      markets: [],
    }),
    far("q1"),
    far("q2"),
    far("q3"),
  ]);

  it("drops the word that leaves partners inside the circle, not the one most partners match", async () => {
    const res = await relaxApp.request(
      `/v1/directory/partners?q=zephyr+quokka&near=${BERLIN.lat},${BERLIN.lon}&radiusKm=50`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      total: number;
      results: { id: string }[];
      relaxed?: { dropped: string[] };
    };
    expect(body.relaxed).toEqual({ dropped: ["quokka"] });
    expect(body.results.map((r) => r.id)).toEqual(["zb"]);
    // Without the circle, the word more partners match is kept.
    const wide = (await (
      await relaxApp.request("/v1/directory/partners?q=zephyr+quokka")
    ).json()) as { relaxed?: { dropped: string[] } };
    expect(wide.relaxed).toEqual({ dropped: ["zephyr"] });
  });
});
