// Lines of a file, read only as fast as they are consumed (the indexer and the benchmark stream
// 100k-line feeds with it). Not `readline`: its interface starts emitting as soon as it is
// created and loses the lines emitted before iteration begins, and the indexer awaits the new
// index's creation in between.
import { createReadStream } from "node:fs";
import { readLines } from "../../src/lib/lines.js";

export function readFileLines(file: string): AsyncGenerator<string> {
  return readLines(createReadStream(file));
}

/** Number of lines, counted on bytes (for a progress total), without decoding. */
export async function countLines(file: string): Promise<number> {
  let n = 0;
  let last = 10;
  for await (const chunk of createReadStream(file)) {
    const buf = chunk as Buffer;
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
    last = buf[buf.length - 1] ?? last;
  }
  return last === 10 ? n : n + 1;
}
