// The embedded engine's "near me" index: every location point in a grid of one-degree cells,
// built with the rest of an index. A circle query visits only the cells its bounding box
// overlaps and measures only their points exactly, instead of every profile's locations.
import { circleBox, haversineKm } from "../../ranking/geo.js";

/**
 * One degree is ~111 km of latitude: a 1 km circle touches 1-4 cells, the largest accepted
 * radius (1,000 km) a few hundred, and a city's partners share a cell.
 */
const CELL_DEG = 1;
const COLS = 360 / CELL_DEG;
const ROWS = 180 / CELL_DEG;

export interface GeoIndex {
  /** Occupied cell id -> [start, end) into the point arrays (points grouped by cell). */
  cells: Map<number, [number, number]>;
  doc: Int32Array;
  lat: Float64Array;
  lon: Float64Array;
}

const rowOf = (lat: number) => Math.min(ROWS - 1, Math.floor((lat + 90) / CELL_DEG));
const colOf = (lon: number) => Math.min(COLS - 1, Math.floor((lon + 180) / CELL_DEG));

/** Collects points doc by doc, then groups them by cell. */
export class GeoBuilder {
  private readonly docs: number[] = [];
  private readonly lats: number[] = [];
  private readonly lons: number[] = [];

  add(d: number, locations: readonly { lat?: number | undefined; lon?: number | undefined }[]) {
    for (const l of locations) {
      if (l.lat === undefined || l.lon === undefined) continue;
      this.docs.push(d);
      this.lats.push(l.lat);
      this.lons.push(l.lon);
    }
  }

  build(): GeoIndex {
    const n = this.docs.length;
    const cellOf = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      cellOf[i] = rowOf(this.lats[i] as number) * COLS + colOf(this.lons[i] as number);
    }
    const byCell = Int32Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => (cellOf[a] as number) - (cellOf[b] as number) || a - b,
    );
    const out: GeoIndex = {
      cells: new Map(),
      doc: new Int32Array(n),
      lat: new Float64Array(n),
      lon: new Float64Array(n),
    };
    for (let k = 0; k < n; k++) {
      const i = byCell[k] as number;
      out.doc[k] = this.docs[i] as number;
      out.lat[k] = this.lats[i] as number;
      out.lon[k] = this.lons[i] as number;
      const c = cellOf[i] as number;
      const span = out.cells.get(c);
      if (span) span[1] = k + 1;
      else out.cells.set(c, [k, k + 1]);
    }
    return out;
  }
}

/**
 * Calls `hit(doc, km)` for every point within `radiusKm` of (lat, lon), by the one distance
 * function (nearestKm's); a doc with several points inside is called once per point.
 */
export function pointsWithin(
  geo: GeoIndex,
  lat: number,
  lon: number,
  radiusKm: number,
  hit: (doc: number, km: number) => void,
): void {
  if (geo.doc.length === 0) return;
  const box = circleBox(lat, lon, radiusKm);
  const r0 = rowOf(box.minLat);
  const r1 = rowOf(box.maxLat);
  for (let r = r0; r <= r1; r++) {
    for (const [west, east] of box.lonRanges) {
      const c1 = colOf(east);
      for (let c = colOf(west); c <= c1; c++) {
        const span = geo.cells.get(r * COLS + c);
        if (!span) continue;
        for (let k = span[0]; k < span[1]; k++) {
          const km = haversineKm(lat, lon, geo.lat[k] as number, geo.lon[k] as number);
          if (km <= radiusKm) hit(geo.doc[k] as number, km);
        }
      }
    }
  }
}
