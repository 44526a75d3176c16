import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { haversineKm, kmFromChord2, writeUnitVector } from "../../src/ranking/geo.js";

describe("geo", () => {
  it("knows a few real distances", () => {
    expect(haversineKm(53.55, 9.99, 52.52, 13.4)).toBeCloseTo(255, -1); // Hamburg-Berlin
    expect(haversineKm(40.71, -74.0, 51.51, -0.13)).toBeCloseTo(5570, -1); // NYC-London
    expect(haversineKm(0, 0, 0, 180)).toBeCloseTo(Math.PI * 6371.0088, 6);
  });

  // The matcher ranks by chord length between unit vectors; this ties it to great-circle km.
  it("for any two points on the globe, the unit-vector chord distance equals the textbook haversine within half a metre", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -90, max: 90, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.double({ min: -90, max: 90, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        (lat1, lon1, lat2, lon2) => {
          const v = new Float64Array(6);
          writeUnitVector(lat1, lon1, v, 0);
          writeUnitVector(lat2, lon2, v, 3);
          const [x1 = 0, y1 = 0, z1 = 0, x2 = 0, y2 = 0, z2 = 0] = v;
          const c2 = (x1 - x2) ** 2 + (y1 - y2) ** 2 + (z1 - z2) ** 2;
          expect(kmFromChord2(c2)).toBeCloseTo(haversineKm(lat1, lon1, lat2, lon2), 3);
        },
      ),
    );
  });
});
