// The audit trail in an Elasticsearch data stream (Node and Workers, when ELASTICSEARCH_URL is
// set): one document a record, append-only (`op_type: create`), read back newest first by
// @timestamp. The index template that makes the name a data stream is put on first use; the
// request and candidates are stored as they were, not indexed.
import type { Client } from "@elastic/elasticsearch";
import type { AuditDescription, AuditEntry, AuditSink, RecentQuery } from "./audit-sink.js";

export const DEFAULT_AUDIT_DATA_STREAM = "partner-match-audit";

type AuditDocument = Omit<AuditEntry, "at"> & { "@timestamp": string };

/** The most records one bulk request carries. */
const MAX_BATCH = 500;

interface Queued {
  document: AuditDocument;
  stored: () => void;
  failed: (e: unknown) => void;
}

/**
 * How long a record waits for others before its bulk goes out. No answer waits for its record
 * (routes/audit.ts), so this delays only the trail. Sent at once, a lone record had a bulk of
 * its own whenever matches came one at a time, which is how they come at steady rates (60 a
 * second are 17 ms apart): one request per record cost the node ~7 ms of CPU a match (the whole
 * write path and a translog sync each), as much as the match's own searches.
 */
export const AUDIT_LINGER_MS = 50;

/**
 * Records are written in bulk: those that arrive within the linger of the first together, and
 * those that arrive while a write is on its way in the next.
 */
export class ElasticsearchAuditSink implements AuditSink {
  private template: Promise<void> | undefined;
  private readonly queue: Queued[] = [];
  private writing: Promise<void> | undefined;

  constructor(
    private readonly client: Client,
    readonly dataStream = DEFAULT_AUDIT_DATA_STREAM,
    private readonly lingerMs = AUDIT_LINGER_MS,
  ) {}

  record(entry: AuditEntry): Promise<void> {
    const { at, ...rest } = entry;
    return new Promise((stored, failed) => {
      this.queue.push({ document: { "@timestamp": at, ...rest }, stored, failed });
      this.writing ??= this.drain();
    });
  }

  async recent({ limit, since }: RecentQuery): Promise<AuditEntry[]> {
    // Every record issued before this call is stored first (AuditSink's promise).
    while (this.writing) await this.writing;
    const r = await this.client.search<AuditDocument>({
      index: this.dataStream,
      ignore_unavailable: true,
      allow_no_indices: true,
      size: limit,
      sort: [{ "@timestamp": { order: "desc" } }],
      query: since ? { range: { "@timestamp": { gte: since.toISOString() } } } : { match_all: {} },
    });
    return r.hits.hits.flatMap((h) => {
      if (!h._source) return [];
      const { "@timestamp": at, ...rest } = h._source;
      return [{ at, ...rest }];
    });
  }

  /** Waits for every record issued so far to settle (a stopping server calls it). */
  async close(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      if (this.lingerMs > 0) await new Promise((r) => setTimeout(r, this.lingerMs));
      while (this.queue.length > 0) await this.write(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.writing = undefined;
    }
  }

  /** One bulk request; each record settles by its own item's outcome. */
  private async write(batch: Queued[]): Promise<void> {
    try {
      await this.ensureTemplate();
      const res = await this.client.bulk({
        operations: batch.flatMap((q) => [{ create: { _index: this.dataStream } }, q.document]),
      });
      batch.forEach((q, i) => {
        const error = res.items[i]?.create?.error;
        if (error) q.failed(new Error(`${error.type}: ${error.reason ?? "rejected"}`));
        else q.stored();
      });
    } catch (e) {
      for (const q of batch) q.failed(e);
    }
  }

  describe(): AuditDescription {
    return { kind: "elasticsearch", dataStream: this.dataStream };
  }

  /** Makes the name a data stream: an index template put once per process (again after a failure). */
  ensureTemplate(): Promise<void> {
    this.template ??= this.client.indices
      .putIndexTemplate({
        name: this.dataStream,
        index_patterns: [this.dataStream],
        data_stream: {},
        priority: 500,
        template: {
          mappings: {
            dynamic: false,
            properties: {
              "@timestamp": { type: "date" },
              caller: { type: "keyword" },
              market: { type: "keyword" },
              status: { type: "short" },
              rankingVersion: { type: "keyword" },
              request: { type: "object", enabled: false },
              candidates: { type: "object", enabled: false },
              teams: { type: "object", enabled: false },
            },
          },
        },
        _meta: { description: "partner-match audit trail of POST /v1/match" },
      })
      .then(
        () => undefined,
        (e: unknown) => {
          this.template = undefined;
          throw e;
        },
      );
    return this.template;
  }
}
