// The pushed body as lines (src/http/ndjson-body.ts): for any text cut into any chunks, the
// lines are those of the text, a line over the limit comes out as TOO_LONG without being held,
// and a body over its byte limit stops the read.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BodyTooLargeError, ndjsonLines, TOO_LONG } from "../../src/http/ndjson-body.js";

const utf8 = new TextEncoder();

function streamOf(bytes: Uint8Array, cuts: number[]): ReadableStream<Uint8Array> {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) chunks.push(bytes.slice(from, p));
    from = Math.max(from, p);
  }
  return new ReadableStream({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>, maxLineBytes: number, maxBytes = 1e9) {
  const out: (string | typeof TOO_LONG)[] = [];
  for await (const l of ndjsonLines(body, { maxBytes, maxLineBytes })) out.push(l);
  return out;
}

/**
 * What the lines must be (the line splitter's rules): split on LF, a CR before it dropped, and
 * an unterminated last line that is empty once its CR is dropped is no line.
 */
function expected(text: string, maxLineBytes: number) {
  const raw = text.split("\n");
  const out = raw.map((l) =>
    utf8.encode(l).length > maxLineBytes ? TOO_LONG : l.endsWith("\r") ? l.slice(0, -1) : l,
  );
  if (out[out.length - 1] === "") out.pop();
  return out;
}

describe("ndjsonLines", () => {
  it("gives the text's lines for any chunking, TOO_LONG for a line over the limit", async () => {
    const line = fc.string({
      unit: fc.constantFrom("a", "é", "日", "😀", "\r", " "),
      maxLength: 12,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 8 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.integer({ min: 1, max: 24 }),
        async (lines, trailing, cuts, max) => {
          const text = lines.join("\n") + (trailing ? "\n" : "");
          const got = await collect(streamOf(utf8.encode(text), cuts), max);
          expect(got).toEqual(expected(text, max));
        },
      ),
      { numRuns: 300, seed: 20_261_201 },
    );
  });

  it("stops with BodyTooLargeError once the bytes pass the limit", async () => {
    const bytes = utf8.encode("one\ntwo\nthree\n");
    const read = collect(streamOf(bytes, [4, 8]), 100, bytes.length - 1);
    await expect(read).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(await collect(streamOf(bytes, [4, 8]), 100, bytes.length)).toEqual([
      "one",
      "two",
      "three",
    ]);
  });

  it("has no lines without a body", async () => {
    const out = [];
    for await (const l of ndjsonLines(null, { maxBytes: 1, maxLineBytes: 1 })) out.push(l);
    expect(out).toEqual([]);
  });
});
