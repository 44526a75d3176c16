// The grid cell index behind `near`: for any points and any circle (near the poles and across
// the antimeridian too), the cells it visits hold exactly the points a scan of every point finds.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { circleBox, haversineKm } from "../../../src/ranking/geo.js";
import { GeoBuilder, pointsWithin } from "../../../src/search/memory/geo-index.js";

/** Latitudes and longitudes with extra weight on the edges: poles, ±180, the equator. */
const lat = fc.oneof(
  fc.double({ min: -90, max: 90, noNaN: true }),
  fc.double({ min: 80, max: 90, noNaN: true }),
  fc.double({ min: -90, max: -80, noNaN: true }),
  fc.constantFrom(-90, 90, 0, 89.999, -89.999),
);
const lon = fc.oneof(
  fc.double({ min: -180, max: 180, noNaN: true }),
  fc.double({ min: 170, max: 180, noNaN: true }),
  fc.double({ min: -180, max: -170, noNaN: true }),
  fc.constantFrom(-180, 180, 0, 179.999, -179.999),
);
const point = fc.record({ lat, lon });
const radiusKm = fc.oneof(
  fc.double({ min: 1, max: 1000, noNaN: true }),
  fc.constantFrom(1, 100, 1000),
);

/** A point near another one: within a few degrees, wrapped onto the globe. */
const around = (c: { lat: number; lon: number }) =>
  fc
    .record({
      dLat: fc.double({ min: -12, max: 12, noNaN: true }),
      dLon: fc.double({ min: -30, max: 30, noNaN: true }),
    })
    .map(({ dLat, dLon }) => ({
      lat: Math.max(-90, Math.min(90, c.lat + dLat)),
      lon: ((((c.lon + dLon + 180) % 360) + 360) % 360) - 180,
    }));

/** Points scattered over the globe and clustered around the circle's centre. */
const scene = fc.record({ centre: point, radiusKm }).chain(({ centre, radiusKm }) =>
  fc.record({
    centre: fc.constant(centre),
    radiusKm: fc.constant(radiusKm),
    points: fc.array(fc.oneof(point, around(centre)), { maxLength: 120 }),
  }),
);

describe("geo grid index", () => {
  it("for random points and circles, finds exactly the points a scan of every point finds, at the same distances", () => {
    fc.assert(
      fc.property(scene, ({ centre, radiusKm, points }) => {
        const b = new GeoBuilder();
        for (const [d, p] of points.entries()) b.add(d, [p]);
        const got = new Map<number, number>();
        pointsWithin(b.build(), centre.lat, centre.lon, radiusKm, (d, km) => got.set(d, km));
        const want = new Map<number, number>();
        points.forEach((p, d) => {
          const km = haversineKm(centre.lat, centre.lon, p.lat, p.lon);
          if (km <= radiusKm) want.set(d, km);
        });
        expect([...got].sort((a, b) => a[0] - b[0])).toEqual([...want].sort((a, b) => a[0] - b[0]));
      }),
      { numRuns: 2000, seed: 20_261_202 },
    );
  });

  it("finds the points of the generators' own edge cases", () => {
    // Across the antimeridian: Fiji's Suva (178.44 E) and Taveuni (179.97 W side), 1 km circles
    // on the poles, and a circle whose edge passes through a pole.
    const cases: [number, number, number, number, number][] = [
      [-18.14, 178.44, -16.8, -179.97, 300],
      [-16.8, -179.97, -18.14, 178.44, 300],
      [90, 0, 89.995, 123, 1],
      [-90, 45, -89.995, -170, 1],
      [85.7, 10, 89.9, -170, 500],
    ];
    for (const [aLat, aLon, pLat, pLon, r] of cases) {
      const b = new GeoBuilder();
      b.add(0, [{ lat: pLat, lon: pLon }]);
      const hits: number[] = [];
      pointsWithin(b.build(), aLat, aLon, r, (d) => hits.push(d));
      expect(haversineKm(aLat, aLon, pLat, pLon)).toBeLessThanOrEqual(r);
      expect(hits, `${aLat},${aLon} -> ${pLat},${pLon}`).toEqual([0]);
    }
  });

  it("boxes a circle crossing the antimeridian in two longitude ranges, and one reaching a pole in all", () => {
    expect(circleBox(0, 179.5, 200).lonRanges).toHaveLength(2);
    expect(circleBox(0, -179.5, 200).lonRanges).toHaveLength(2);
    expect(circleBox(0, 0, 200).lonRanges).toHaveLength(1);
    expect(circleBox(89.5, 0, 100).lonRanges).toEqual([[-180, 180]]);
    expect(circleBox(-89.5, 0, 100).lonRanges).toEqual([[-180, 180]]);
  });

  it("skips locations without coordinates and keeps every point of a doc", () => {
    const b = new GeoBuilder();
    b.add(0, [{ lat: 1, lon: 1 }, {}, { lat: 1.001, lon: 1 }]);
    b.add(1, [{}]);
    const g = b.build();
    expect([...g.doc]).toEqual([0, 0]);
  });
});
