// Sections of equal bytes are written once and read back, through their own types, as what
// each was; sections that only look alike (same length, same checksum bucket or not) stay apart.
import { describe, expect, it } from "vitest";
import { decodeValue, SectionWriter } from "../../../src/search/snapshot/index-codec.js";

function roundTrip(v: unknown): { shape: unknown; back: unknown; size: number } {
  const w = new SectionWriter();
  const shape = w.encode(v);
  const body = new Uint8Array(w.size);
  let at = 0;
  for (const c of w.chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return { shape, back: decodeValue(JSON.parse(JSON.stringify(shape)), body), size: w.size };
}

describe("section writer", () => {
  it("writes equal bytes once, whatever the arrays' types, and reads each back as it was", () => {
    const offsets = Int32Array.of(0, 2, 5, 9);
    const at = Uint32Array.of(0, 2, 5, 9);
    const other = Int32Array.of(0, 2, 5, 8);
    const { shape, back, size } = roundTrip({ offsets, at, other });
    const s = shape as Record<string, { o: number }>;
    expect(s.offsets?.o).toBe(s.at?.o);
    expect(s.other?.o).not.toBe(s.offsets?.o);
    expect(size).toBe(2 * 16);
    const b = back as { offsets: Int32Array; at: Uint32Array; other: Int32Array };
    expect(b.offsets).toBeInstanceOf(Int32Array);
    expect(b.at).toBeInstanceOf(Uint32Array);
    expect([...b.offsets]).toEqual([0, 2, 5, 9]);
    expect([...b.at]).toEqual([0, 2, 5, 9]);
    expect([...b.other]).toEqual([0, 2, 5, 8]);
  });

  it("keeps arrays of one length but other bytes apart, however many there are", () => {
    const arrays = Array.from({ length: 300 }, (_, i) => Uint16Array.of(i % 7, i));
    const { back } = roundTrip(arrays);
    expect((back as Uint16Array[]).map((a) => [...a])).toEqual(arrays.map((a) => [...a]));
  });
});
