// Narrowed columns hold exactly the values given: the element type shrinks only while every
// value survives it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { narrowFloat, narrowIds, narrowUint } from "../../src/lib/narrow.js";

describe("narrowUint", () => {
  it("takes one, two or four bytes as the largest value needs", () => {
    expect(narrowUint(Uint16Array.of(0, 255))).toBeInstanceOf(Uint8Array);
    expect(narrowUint(Uint16Array.of(0, 256))).toBeInstanceOf(Uint16Array);
    expect(narrowUint(Uint32Array.of(65_535))).toBeInstanceOf(Uint16Array);
    expect(narrowUint(Uint32Array.of(65_536))).toBeInstanceOf(Uint32Array);
    expect(narrowUint(new Uint16Array(0))).toBeInstanceOf(Uint8Array);
  });

  it("keeps every value", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 0xffffffff })), (xs) => {
        expect([...narrowUint(Uint32Array.from(xs))]).toEqual(xs);
      }),
    );
  });
});

describe("narrowIds", () => {
  it("never goes below two bytes, nor above four", () => {
    expect(narrowIds(Uint32Array.of(3, 7))).toBeInstanceOf(Uint16Array);
    expect(narrowIds(Uint32Array.of(0xffffffff))).toBeInstanceOf(Uint32Array);
    const wide = Uint32Array.of(1, 70_000);
    expect(narrowIds(wide)).toBe(wide);
  });
});

describe("narrowFloat", () => {
  it("stores Float32 only when every value comes back the same", () => {
    const exact = narrowFloat(
      Float64Array.of(0, -0, 1.5, 905, Number.NaN, Number.POSITIVE_INFINITY),
    );
    expect(exact).toBeInstanceOf(Float32Array);
    expect(Object.is(exact[1], -0)).toBe(true);
    expect(exact[4]).toBeNaN();
    expect(narrowFloat(Float64Array.of(1, 0.1))).toBeInstanceOf(Float64Array);
    expect(narrowFloat(Float64Array.of(2 ** 24 + 1))).toBeInstanceOf(Float64Array);
  });

  it("keeps every value, bit for bit but NaN's payload", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double(), fc.float().map(Math.fround), fc.integer())),
        (xs) => {
          const back = [...narrowFloat(Float64Array.from(xs))];
          expect(back.every((v, i) => Object.is(v, xs[i]))).toBe(true);
        },
      ),
    );
  });
});
