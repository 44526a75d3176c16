// The one non-cryptographic hash, against published values (not against itself).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, hash53, hashHex, hashHexOfParts, mix32 } from "../../src/lib/hash.js";

describe("hash53 (cyrb53)", () => {
  it("gives the reference implementation's published values", () => {
    expect(hash53("a")).toBe(7929297801672961);
    expect(hash53("b")).toBe(8684336938537663);
    expect(hash53("revenge")).toBe(4051478007546757);
    expect(hash53("revenue")).toBe(8309097637345594);
    expect(hashHex("a")).toBe((7929297801672961).toString(16).padStart(14, "0"));
  });

  it("hashes parts as their concatenation, without joining them (a 1M feed's data version)", () => {
    expect(hashHexOfParts(["rev", "", "enge"])).toBe(
      (4051478007546757).toString(16).padStart(14, "0"),
    );
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary" })), (parts) => {
        expect(hashHexOfParts(parts)).toBe(hashHex(parts.join("")));
      }),
      { numRuns: 300 },
    );
  });
});

describe("mix32 (murmur3 fmix32)", () => {
  it("gives murmur3's finaliser values and keeps zero at zero", () => {
    expect(mix32(1)).toBe(0x514e28b7);
    expect(mix32(0)).toBe(0);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every level and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"x":0,"y":1}]},"b":1}',
    );
  });
});
