// Pushing a feed to a running service's POST /v1/admin/partners (`npm run index -- --url`): the
// file's lines are streamed as request bodies (fetch with a ReadableStream body), several pushes
// of at most `linesPerPush` lines each, so no push outgrows the service's body limit or its
// request timeout and the service holds one push's entries at a time. Reject lines are turned
// back into the file's line numbers. A push applies all of its body or, past the body limit,
// nothing; pushes already answered stay applied when a later one fails, and a re-run is safe
// (replayed lines count as stale).
import { ADMIN_PARTNERS_PATH, NDJSON_MEDIA_TYPES } from "../../src/http/routes/admin.js";
import type { FeedReject } from "../../src/partner/feed.js";
import type { IndexProgress } from "../../src/search/elasticsearch/indexer.js";

export const DEFAULT_LINES_PER_PUSH = 10_000;
/** Text handed to the request body at a time. */
const CHUNK_CHARS = 64 * 1024;

export interface PushFeedOptions {
  /** The service's base URL (`http://host:8787`), or the endpoint's own. */
  url: string;
  token: string;
  lines: AsyncIterable<string>;
  linesPerPush?: number;
  onReject?: (reject: FeedReject) => void;
  onProgress?: (progress: IndexProgress) => void;
}

export interface PushFeedSummary {
  endpoint: string;
  pushes: number;
  lines: number;
  indexed: number;
  updated: number;
  deleted: number;
  stale: number;
  rejected: number;
  /** Rejects counted by the service but not listed (it lists the first few of each push). */
  unlisted: number;
  elapsedMs: number;
  docsPerSecond: number;
}

/** The answer of one push (the service's PushSummary). */
interface PushAnswer {
  lines: number;
  indexed: number;
  updated: number;
  deleted: number;
  stale: number;
  rejected: number;
  rejects: FeedReject[];
}

/** The service refused a push or never answered; `applied` says what earlier pushes did. */
export class PushError extends Error {
  override name = "PushError";
  constructor(
    message: string,
    readonly applied: PushFeedSummary,
    readonly status?: number,
  ) {
    super(message);
  }
}

export function endpointOf(url: string): string {
  const u = new URL(url);
  if (!u.pathname.endsWith(ADMIN_PARTNERS_PATH)) {
    u.pathname = `${u.pathname.replace(/\/+$/, "")}${ADMIN_PARTNERS_PATH}`;
  }
  return u.toString();
}

export async function pushFeed(opts: PushFeedOptions): Promise<PushFeedSummary> {
  const endpoint = endpointOf(opts.url);
  const perPush = opts.linesPerPush ?? DEFAULT_LINES_PER_PUSH;
  const started = Date.now();
  const lines = opts.lines[Symbol.asyncIterator]();
  const total: PushFeedSummary = {
    endpoint,
    pushes: 0,
    lines: 0,
    indexed: 0,
    updated: 0,
    deleted: 0,
    stale: 0,
    rejected: 0,
    unlisted: 0,
    elapsedMs: 0,
    docsPerSecond: 0,
  };
  /** Lines handed to request bodies so far; a push's first line is `offset + 1` of the file. */
  let sent = 0;
  const written = () => total.indexed + total.updated + total.deleted + total.stale;
  const finish = () => {
    total.elapsedMs = Date.now() - started;
    total.docsPerSecond =
      total.elapsedMs > 0 ? Math.round((written() * 1000) / total.elapsedMs) : written();
    return total;
  };
  const progress = () =>
    opts.onProgress?.({
      lines: sent,
      settled: written(),
      rejected: total.rejected,
      elapsedMs: Date.now() - started,
    });

  for (;;) {
    // Peeked, so a file ending on a push boundary does not cost an empty push.
    const first = await lines.next();
    if (first.done) break;
    const offset = sent;
    const body = bodyOf(first.value, lines, perPush, () => {
      sent++;
    });
    const what = `push ${total.pushes + 1} (from line ${offset + 1})`;
    let res: Response;
    try {
      res = await fetch(endpoint, {
        method: "POST",
        headers: {
          authorization: `Bearer ${opts.token}`,
          "content-type": NDJSON_MEDIA_TYPES[0],
        },
        body,
        duplex: "half",
      } as RequestInit & { duplex: "half" });
    } catch (e) {
      const cause = (e as { cause?: { message?: string } }).cause?.message;
      throw new PushError(
        `${what}: the service at ${endpoint} is unreachable or dropped the request: ${(e as Error).message}${cause ? ` (${cause})` : ""}`,
        finish(),
      );
    }
    if (!res.ok) {
      // `--url` named Elasticsearch before the live-updates change; say so to an old command.
      const hint =
        res.status === 404 || res.status === 405
          ? " (is this the partner service? --url names a running service; Elasticsearch is --elasticsearch)"
          : res.status === 413
            ? " (try a smaller --lines-per-push)"
            : "";
      throw new PushError(`${what}: ${await problemText(res)}${hint}`, finish(), res.status);
    }
    const answer = (await res.json()) as PushAnswer;
    total.pushes++;
    total.lines += answer.lines;
    total.indexed += answer.indexed;
    total.updated += answer.updated;
    total.deleted += answer.deleted;
    total.stale += answer.stale;
    total.rejected += answer.rejected;
    total.unlisted += answer.rejected - answer.rejects.length;
    for (const r of answer.rejects) opts.onReject?.({ ...r, line: r.line + offset });
    progress();
  }
  return finish();
}

/** One push's body: `first`, then up to `max - 1` more lines, each ended by a newline. */
function bodyOf(
  first: string,
  rest: AsyncIterator<string>,
  max: number,
  onLine: () => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let pending: string | undefined = first;
  let count = 0;
  let ended = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let text = "";
        while (text.length < CHUNK_CHARS && count < max && !ended) {
          let line = pending;
          pending = undefined;
          if (line === undefined) {
            const next = await rest.next();
            if (next.done) {
              ended = true;
              break;
            }
            line = next.value;
          }
          text += `${line}\n`;
          count++;
          onLine();
        }
        if (text) controller.enqueue(encoder.encode(text));
        if (ended || count >= max) controller.close();
      },
    },
    // Read a line only when the connection takes it.
    { highWaterMark: 0 },
  );
}

/** A refusal as one line: the problem's code and detail when the answer is problem+json. */
async function problemText(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const p = JSON.parse(text) as { code?: string; detail?: string; title?: string };
    return `${res.status} ${p.code ?? ""}: ${p.detail ?? p.title ?? ""}`.trim();
  } catch {
    return `${res.status} ${res.statusText} ${text.slice(0, 200)}`.trim();
  }
}
