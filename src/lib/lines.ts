// The one line splitter: NDJSON feeds (files, request bodies, strings) and snapshots are all
// cut into lines here. UTF-8 is decoded as a stream, so a character split across two chunks
// survives, and only a chunk's worth of text exists at a time; LF and CRLF both end a line.

export class LineSplitter {
  private readonly decoder = new TextDecoder();
  private rest = "";

  /** The lines this chunk completes, without their terminators. */
  push(chunk: Uint8Array | string): string[] {
    const text =
      this.rest +
      (typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true }));
    const parts = text.split("\n");
    this.rest = parts.pop() ?? "";
    for (let i = 0; i < parts.length; i++) parts[i] = stripCr(parts[i] as string);
    return parts;
  }

  /** The last line when the input did not end with a newline. */
  end(): string[] {
    const last = stripCr(this.rest + this.decoder.decode());
    this.rest = "";
    return last === "" ? [] : [last];
  }
}

function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

/** Lines of a stream of chunks, read only as fast as they are consumed. */
export async function* readLines(
  chunks: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<string> {
  const splitter = new LineSplitter();
  for await (const chunk of chunks) yield* splitter.push(chunk);
  yield* splitter.end();
}

/** Text decoded at most this many bytes at a time: no string as large as the whole input. */
const BATCH_BYTES = 1 << 20;

/** Lines of bytes or text already in memory. */
export function* splitLines(input: Uint8Array | string): Generator<string> {
  const splitter = new LineSplitter();
  if (typeof input === "string") {
    yield* splitter.push(input);
  } else {
    for (let at = 0; at < input.length; at += BATCH_BYTES) {
      yield* splitter.push(input.subarray(at, at + BATCH_BYTES));
    }
  }
  yield* splitter.end();
}
