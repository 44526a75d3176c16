import { describe, expect, it } from "vitest";
import { allPlaces, cityNames, findPlace } from "../../src/ranking/places.js";

describe("places", () => {
  it("finds a city by any of its names, folded", () => {
    expect(findPlace("München")?.name).toBe("München");
    expect(findPlace("munich")).toBe(findPlace("München"));
    expect(findPlace("  MUNCHEN ")).toBe(findPlace("München"));
    expect(findPlace("東京")?.name).toBe("Tokyo");
    expect(findPlace("Atlantis")).toBeUndefined();
  });

  it("narrows a name to a country with ', CC'", () => {
    const berlin = findPlace("Berlin, de");
    expect(berlin).toMatchObject({ name: "Berlin", country: "DE" });
    expect(findPlace("Berlin, FR")).toBeUndefined();
  });

  it("gives each feed city its other names for the text index", () => {
    expect(cityNames("Tokyo")).toEqual(["Tokyo", "東京"]);
    expect(cityNames("Nowhere")).toEqual(["Nowhere"]);
  });

  it("lists each place once per country", () => {
    const keys = allPlaces().map((p) => `${p.country}:${p.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
