// Coded texts read back byte for byte, whatever the text: words that repeat, words that do not,
// any script, long runs without spaces, and bytes of every value around the codes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeTexts, MAX_ENTRIES, TextReader } from "../../../src/search/memory/text-dictionary.js";

const utf8 = new TextEncoder();

function pack(texts: readonly string[]): { bytes: Uint8Array; ends: Uint32Array } {
  const parts = texts.map((t) => utf8.encode(t));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  const ends = new Uint32Array(parts.length);
  let at = 0;
  parts.forEach((p, i) => {
    bytes.set(p, at);
    at += p.length;
    ends[i] = at;
  });
  return { bytes, ends };
}

function readAll(texts: readonly string[]) {
  const { bytes, ends } = pack(texts);
  const coded = codeTexts(bytes, ends);
  const reader = coded.dictionary ? new TextReader(coded.dictionary) : undefined;
  const dec = new TextDecoder("utf-8", { ignoreBOM: true });
  const back = texts.map((_, i) => {
    const start = i > 0 ? (coded.ends[i - 1] as number) : 0;
    const end = coded.ends[i] as number;
    return dec.decode(
      reader ? reader.read(coded.bytes, start, end) : coded.bytes.subarray(start, end),
    );
  });
  return { back, coded, plainBytes: bytes.length };
}

const words = fc.constantFrom(
  "HubSpot ",
  "marketing ",
  "onboarding",
  ", ",
  "Köln ",
  "導入支援",
  "https://",
  "example",
  "\ufeff",
  "😀",
  " ",
  "",
);

describe("text dictionary", () => {
  it("gives back every text as it was", () => {
    const text = fc.oneof(
      fc.array(words, { maxLength: 30 }).map((w) => w.join("")),
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc.string({ maxLength: 200 }),
    );
    fc.assert(
      fc.property(fc.array(text, { maxLength: 40 }), (texts) => {
        expect(readAll(texts).back).toEqual(texts);
      }),
      { numRuns: 300 },
    );
  });

  it("codes repeated words in two bytes and leaves a text without them alone", () => {
    const texts = Array.from(
      { length: 500 },
      (_, i) => `HubSpot onboarding and inbound marketing ${i}`,
    );
    const { back, coded, plainBytes } = readAll(texts);
    expect(back).toEqual(texts);
    expect(coded.dictionary).toBeDefined();
    expect(coded.bytes.length).toBeLessThan(plainBytes / 2);
    const unique = readAll(["abc", "xyz"]);
    expect(unique.coded.dictionary).toBeUndefined();
  });

  it("fills every code there is and still reads back", () => {
    const texts = Array.from({ length: MAX_ENTRIES + 500 }, (_, i) => `word${i} word${i} word${i}`);
    const { back, coded } = readAll(texts);
    expect(coded.dictionary?.ends.length).toBe(MAX_ENTRIES);
    expect(back).toEqual(texts);
  });
});
