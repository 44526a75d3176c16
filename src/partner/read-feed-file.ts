// Node-only: reads an NDJSON feed file line by line, so a 100k-profile feed never sits in
// memory as one string (twice its size in UTF-16 once any line is non-Latin-1).
import { createReadStream } from "node:fs";
import type { Catalog } from "../catalog/catalog.js";
import { readLines } from "../lib/lines.js";
import { FeedAccumulator, type FeedResult } from "./feed.js";
import type { FeedEntry } from "./schema.js";

export async function readFeedFile(
  path: string | URL,
  catalog: Catalog,
  sink?: (entry: FeedEntry) => void,
): Promise<FeedResult> {
  const acc = new FeedAccumulator(catalog, sink ? { sink } : {});
  let n = 0;
  for await (const line of readLines(createReadStream(path))) acc.push(line, ++n);
  return acc.result();
}
