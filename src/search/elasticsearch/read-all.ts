// Every profile behind an alias, read page by page from one point in time (PIT + search_after
// on `_shard_doc`): a consistent copy even while writes go on or a full reindex moves the
// alias, turned back into profiles exactly as a get does (documents.ts profileOf). For a
// last-good copy of the whole set; not on any request's path.
import type { Client, estypes } from "@elastic/elasticsearch";
import type { Profile } from "../../partner/schema.js";
import { call } from "./client.js";
import { type IndexedPartner, profileOf } from "./documents.js";

export interface ReadAllOptions {
  /** Profiles per page (default 1,000). */
  pageSize?: number;
  /** Per page; a whole read of 100k profiles takes many (default 60 s). */
  requestTimeoutMs?: number;
}

/** How long the point in time is kept between two pages. */
const KEEP_ALIVE = "2m";

export async function* readAllProfiles(
  client: Client,
  alias: string,
  opts: ReadAllOptions = {},
): AsyncGenerator<Profile[]> {
  const size = opts.pageSize ?? 1_000;
  const options = { requestTimeout: opts.requestTimeoutMs ?? 60_000, maxRetries: 1 };
  const opened = await call(`open point in time on ${alias}`, () =>
    client.openPointInTime({ index: alias, keep_alive: KEEP_ALIVE }, options),
  );
  let id = opened.id;
  try {
    let after: estypes.SortResults | undefined;
    for (;;) {
      const res = await call(`read ${alias}`, () =>
        client.search<IndexedPartner>(
          {
            size,
            pit: { id, keep_alive: KEEP_ALIVE },
            sort: [{ _shard_doc: "asc" }],
            track_total_hits: false,
            ...(after ? { search_after: after } : {}),
          },
          options,
        ),
      );
      id = res.pit_id ?? id;
      const hits = res.hits.hits;
      const page = hits.flatMap((h) => (h._source ? [profileOf(h._source)] : []));
      if (page.length > 0) yield page;
      if (hits.length < size) return;
      after = hits.at(-1)?.sort;
    }
  } finally {
    // Kept otherwise until KEEP_ALIVE runs out; a failure to close changes nothing read.
    await client.closePointInTime({ id }, options).catch(() => undefined);
  }
}
