// A request body read as NDJSON lines while it arrives: chunks go through the one line splitter
// (src/lib/lines.ts) as the consumer asks for lines, so neither the whole body nor its text is
// ever held. Bytes are counted on the way: past `maxBytes` the read stops with BodyTooLargeError
// (a chunked body announces no length), and a line is never buffered past `maxLineBytes`: the
// rest of such a line is skipped and the line comes out as `TOO_LONG`, so one endless line
// cannot grow a string (and re-split it for every chunk) up to the body limit.
import { LineSplitter } from "../lib/lines.js";

export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  constructor(readonly limit: number) {
    super(`the body is larger than ${limit} bytes`);
  }
}

/** Stands for a line longer than `maxLineBytes`, whose text was not kept. */
export const TOO_LONG: unique symbol = Symbol("line too long");

export interface BodyLimits {
  maxBytes: number;
  maxLineBytes: number;
}

const NEWLINE = 10;

/** The body's lines in order (without terminators); `TOO_LONG` in place of an overlong one. */
export async function* ndjsonLines(
  body: ReadableStream<Uint8Array> | null,
  limits: BodyLimits,
): AsyncGenerator<string | typeof TOO_LONG> {
  if (!body) return;
  const splitter = new LineSplitter();
  const reader = body.getReader();
  let total = 0;
  /** Bytes of the current line handed to the splitter so far. */
  let lineBytes = 0;
  /** The current line went over the limit: its bytes are dropped until its newline. */
  let skipping = false;
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        break;
      }
      const chunk = next.value;
      total += chunk.byteLength;
      if (total > limits.maxBytes) throw new BodyTooLargeError(limits.maxBytes);
      // Hand over whole runs of kept bytes, one splitter call per run (one per chunk normally).
      let runStart = 0;
      let at = 0;
      while (at < chunk.length) {
        const nl = chunk.indexOf(NEWLINE, at);
        const end = nl === -1 ? chunk.length : nl;
        if (skipping) {
          if (nl === -1) {
            runStart = chunk.length;
          } else {
            // The overlong line ends here: it comes out as TOO_LONG, the newline is dropped too.
            yield TOO_LONG;
            skipping = false;
            lineBytes = 0;
            runStart = nl + 1;
          }
        } else if (lineBytes + (end - at) > limits.maxLineBytes) {
          // What the splitter holds of this line is thrown away with the line.
          yield* splitter.push(chunk.subarray(runStart, at));
          splitter.end();
          skipping = true;
          runStart = end;
          continue;
        } else if (nl === -1) {
          lineBytes += end - at;
        } else {
          lineBytes = 0;
        }
        at = nl === -1 ? chunk.length : nl + 1;
      }
      if (runStart < chunk.length) yield* splitter.push(chunk.subarray(runStart));
    }
    if (skipping) yield TOO_LONG;
    else yield* splitter.end();
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    else reader.releaseLock();
  }
}
