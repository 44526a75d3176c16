// Node-only: streams an NDJSON feed file into the embedded engine one entry at a time, so the
// parsed feed is never held twice (as parser output and as the engine's own profiles).
import type { Catalog } from "../../catalog/catalog.js";
import type { FeedReject } from "../../partner/feed.js";
import { readFeedFile } from "../../partner/read-feed-file.js";
import { type ApplySummary, addSummary } from "../backend.js";
import type { MemoryBackend } from "./memory-backend.js";

export async function loadFeedFile(
  backend: MemoryBackend,
  path: string | URL,
  catalog: Catalog,
): Promise<{ summary: ApplySummary; rejects: FeedReject[] }> {
  const summary: ApplySummary = { indexed: 0, updated: 0, deleted: 0, stale: 0 };
  const feed = await readFeedFile(path, catalog, (entry) => {
    addSummary(summary, backend.applySync([entry]));
  });
  return { summary, rejects: feed.rejects };
}
