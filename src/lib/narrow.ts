// Column storage in the narrowest typed array that holds its values exactly. A 100k index keeps
// millions of small counts, codes and term frequencies; at 8 or 4 bytes each where 1 or 2 hold
// them, they were a sixth of a loaded snapshot's bytes. Readers only index these arrays, so the
// element type is the builder's choice, made once from the values.

export type UintColumn = Uint8Array | Uint16Array | Uint32Array;
export type IdColumn = Uint16Array | Uint32Array;
export type FloatColumn = Float32Array | Float64Array;

function maxOf(a: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) if ((a[i] as number) > max) max = a[i] as number;
  return max;
}

/** Non-negative integers in one, two or four bytes each, as their largest value needs. */
export function narrowUint(a: Uint8Array | Uint16Array): Uint8Array | Uint16Array;
export function narrowUint(a: UintColumn): UintColumn;
export function narrowUint(a: UintColumn): UintColumn {
  const max = maxOf(a);
  const Ctor = max <= 0xff ? Uint8Array : max <= 0xffff ? Uint16Array : Uint32Array;
  return a instanceof Ctor ? a : Ctor.from(a);
}

/**
 * Ids in two or four bytes. Never one: id columns of one store are read at the same call sites,
 * and two element types keep those sites' inline caches small where three would not.
 */
export function narrowIds(a: IdColumn): IdColumn {
  return maxOf(a) <= 0xffff ? (a instanceof Uint16Array ? a : Uint16Array.from(a)) : a;
}

/** Float32 when every value (NaN, ±0 and infinities included) survives the round trip. */
export function narrowFloat(a: FloatColumn): FloatColumn {
  if (a instanceof Float32Array) return a;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number;
    if (Math.fround(v) !== v && !Number.isNaN(v)) return a;
  }
  return Float32Array.from(a);
}
