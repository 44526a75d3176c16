// The audit trail in an Elasticsearch data stream (Node and Workers, when ELASTICSEARCH_URL is
// set): one document a record, append-only (`op_type: create`), read back newest first by
// @timestamp. The index template that makes the name a data stream is put on first use; the
// request and candidates are stored as they were, not indexed.
import type { Client } from "@elastic/elasticsearch";
import type { AuditDescription, AuditEntry, AuditSink, RecentQuery } from "./audit-sink.js";

export const DEFAULT_AUDIT_DATA_STREAM = "partner-match-audit";

type AuditDocument = Omit<AuditEntry, "at"> & { "@timestamp": string };

export class ElasticsearchAuditSink implements AuditSink {
  private template: Promise<void> | undefined;

  constructor(
    private readonly client: Client,
    readonly dataStream = DEFAULT_AUDIT_DATA_STREAM,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.ensureTemplate();
    const { at, ...rest } = entry;
    const document: AuditDocument = { "@timestamp": at, ...rest };
    await this.client.index({ index: this.dataStream, op_type: "create", document });
  }

  async recent({ limit, since }: RecentQuery): Promise<AuditEntry[]> {
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
