// Great-circle distance for the proximity signal. Locations are stored as unit vectors so the
// hot loop needs no trigonometry until the nearest location is known.
export const EARTH_RADIUS_KM = 6371.0088;

const RAD = Math.PI / 180;

/** Unit vector of a latitude/longitude in degrees, written into `out` at `at`. */
export function writeUnitVector(lat: number, lon: number, out: Float64Array, at: number): void {
  const phi = lat * RAD;
  const lambda = lon * RAD;
  const c = Math.cos(phi);
  out[at] = c * Math.cos(lambda);
  out[at + 1] = c * Math.sin(lambda);
  out[at + 2] = Math.sin(phi);
}

/**
 * Haversine distance from the squared chord between two unit vectors: the haversine of the
 * central angle is chord² / 4, so d = 2R·asin(√(chord²/4)). Same formula, fewer sines.
 */
export function kmFromChord2(chord2: number): number {
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(chord2 / 4)));
}

/** The textbook haversine, kept as the reference the unit-vector form is tested against. */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dPhi = (lat2 - lat1) * RAD;
  const dLambda = (lon2 - lon1) * RAD;
  const a =
    Math.sin(dPhi / 2) ** 2 +
    Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLambda / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * The directory's "near me" distance: from a point to a partner's nearest location that has
 * coordinates (undefined when none has). The one distance the filter, the `distance` sort and
 * the answer's `distanceKm` all use, on every backend, so they cannot disagree.
 */
export function nearestKm(
  locations: readonly { lat?: number | undefined; lon?: number | undefined }[],
  lat: number,
  lon: number,
): number | undefined {
  let best: number | undefined;
  for (const l of locations) {
    if (l.lat === undefined || l.lon === undefined) continue;
    const km = haversineKm(lat, lon, l.lat, l.lon);
    if (best === undefined || km < best) best = km;
  }
  return best;
}

/** Kilometres as answered: one decimal (a tenth of a kilometre is finer than a street). */
export function roundKm(km: number): number {
  return Math.round(km * 10) / 10;
}

/** A latitude band and the longitude ranges (none crossing ±180) that enclose a circle. */
export interface CircleBox {
  minLat: number;
  maxLat: number;
  lonRanges: [number, number][];
}

/**
 * Slack added around a box, in degrees (~1 cm): float rounding in the box's trigonometry must
 * never leave out a point that the exact distance then accepts.
 */
const BOX_SLACK_DEG = 1e-7;

/**
 * The box around a spherical circle (Matuschek's bounding coordinates). A circle reaching a pole
 * spans every longitude; one crossing the antimeridian is split into two longitude ranges.
 */
export function circleBox(lat: number, lon: number, radiusKm: number): CircleBox {
  const angle = radiusKm / EARTH_RADIUS_KM;
  const dLat = angle / RAD + BOX_SLACK_DEG;
  const minLat = Math.max(-90, lat - dLat);
  const maxLat = Math.min(90, lat + dLat);
  if (minLat <= -90 || maxLat >= 90 || angle >= Math.PI / 2) {
    return { minLat, maxLat, lonRanges: [[-180, 180]] };
  }
  const dLon = Math.asin(Math.min(1, Math.sin(angle) / Math.cos(lat * RAD))) / RAD + BOX_SLACK_DEG;
  if (dLon >= 180) return { minLat, maxLat, lonRanges: [[-180, 180]] };
  const west = lon - dLon;
  const east = lon + dLon;
  const lonRanges: [number, number][] = [[Math.max(-180, west), Math.min(180, east)]];
  if (west < -180) lonRanges.push([west + 360, 180]);
  if (east > 180) lonRanges.push([-180, east - 360]);
  return { minLat, maxLat, lonRanges };
}
