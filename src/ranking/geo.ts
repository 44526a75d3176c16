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
