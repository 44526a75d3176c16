// The backend-neutral half of "near me" and budget: the plan's defaults, the distance order's
// keys, and what a result says about its place (distanceKm, locatedIn).
import { describe, expect, it } from "vitest";
import {
  buildDirectoryPlan,
  type DirectoryQuery,
  placeOf,
  SORT_ORDERS,
  withinBudget,
} from "../../src/ranking/directory.js";
import { haversineKm, nearestKm, roundKm } from "../../src/ranking/geo.js";
import { policy } from "../helpers.js";

const query = (q: Partial<DirectoryQuery>): DirectoryQuery => ({
  filters: {},
  page: 1,
  pageSize: 20,
  sort: "relevance",
  ...q,
});

describe("near and budget in the directory plan", () => {
  it("takes the policy's default radius when near comes without one", () => {
    const near = { lat: 1, lon: 2 };
    expect(buildDirectoryPlan(query({ near }), policy).near).toEqual({
      ...near,
      radiusKm: policy.data.directory.near.defaultRadiusKm,
    });
    expect(buildDirectoryPlan(query({ near, radiusKm: 7 }), policy).near?.radiusKm).toBe(7);
    expect(buildDirectoryPlan(query({}), policy).near).toBeUndefined();
  });

  it("refuses a distance order without a point", () => {
    expect(() => buildDirectoryPlan(query({ sort: "distance" }), policy)).toThrow(/near/);
  });

  it("orders by distance, then like relevance: accredited first, relevance, id", () => {
    expect(SORT_ORDERS.distance.map((k) => `${k.field} ${k.order}`)).toEqual([
      "distance asc",
      "accredited desc",
      "relevance desc",
      "id asc",
    ]);
  });

  it("passes a partner without a minimum budget, and one at exactly the budget", () => {
    expect(withinBudget(undefined, 0)).toBe(true);
    expect(withinBudget(5000, 5000)).toBe(true);
    expect(withinBudget(5001, 5000)).toBe(false);
  });
});

describe("placeOf", () => {
  const locations = [
    { country: "DE", city: "Hamburg", lat: 53.55, lon: 9.99 },
    { country: "AT", city: "Vienna", lat: 48.208, lon: 16.373 },
    { country: "CH", city: "Zürich" },
  ];

  it("measures to the nearest location with coordinates, one decimal", () => {
    const plan = buildDirectoryPlan(query({ near: { lat: 48.137, lon: 11.575 } }), policy);
    const km = roundKm(haversineKm(48.137, 11.575, 48.208, 16.373));
    expect(placeOf({ locations }, plan)).toEqual({ distanceKm: km });
    expect(nearestKm([{ lat: undefined, lon: undefined }], 0, 0)).toBeUndefined();
  });

  it("says locatedIn only with a country filter: true for a location there, false for serving", () => {
    const at = buildDirectoryPlan(query({ filters: { country: ["AT", "US"] } }), policy);
    expect(placeOf({ locations }, at)).toEqual({ locatedIn: true });
    const us = buildDirectoryPlan(query({ filters: { country: ["US"] } }), policy);
    expect(placeOf({ locations }, us)).toEqual({ locatedIn: false });
    expect(placeOf({ locations }, buildDirectoryPlan(query({}), policy))).toEqual({});
  });

  it("rounds kilometres to one decimal", () => {
    expect(roundKm(12.34)).toBe(12.3);
    expect(roundKm(12.35000001)).toBe(12.4);
    expect(roundKm(0.04)).toBe(0);
  });
});
