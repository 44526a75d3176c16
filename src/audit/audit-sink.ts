// The audit trail of the staff partner finder: one record per authenticated POST /v1/match
// outcome, answered or refused, enough to explain a past answer later (the request, the
// candidates and their scores, the ranking version). A caller label is stored, never a token.
// Sinks: an NDJSON file (Node), an Elasticsearch data stream, or this bounded ring in memory.

/** One candidate of an answer as it was given: the partner and its score. */
export interface AuditCandidate {
  id: string;
  score: number;
}

export interface AuditEntry {
  /** When the answer (or refusal) was given, ISO 8601 UTC. */
  at: string;
  /** The caller's label from MATCH_API_TOKENS (`label:token`), never the token. */
  caller: string;
  /** The customer's country as answered; null when the request did not name one. */
  market: string | null;
  /** The request body as sent (parsed JSON); null when it was unreadable (415, 413, bad JSON). */
  request: unknown;
  /** The HTTP status answered: 200, or the refusal's 4xx/5xx. */
  status: number;
  /** The ranking version of an answer; null for a refusal. */
  rankingVersion: string | null;
  /** The candidates answered, best first (empty for a refusal). */
  candidates: AuditCandidate[];
  /** The teams answered (requests naming two or more needs), best first: members and score. */
  teams?: AuditTeam[];
}

/** One team of an answer as it was given. */
export interface AuditTeam {
  partners: string[];
  score: number;
}

export interface RecentQuery {
  /** At most this many records, newest first. */
  limit: number;
  /** Only records at or after this instant. */
  since?: Date;
}

/** Where audit records go, as /readyz shows it. */
export interface AuditDescription {
  kind: "file" | "elasticsearch" | "memory";
  [detail: string]: unknown;
}

export interface AuditSink {
  /** Stores one record; resolves once stored. A failure rejects (the caller logs it). */
  record(entry: AuditEntry): Promise<void>;
  /** Records newest first, after every record() issued before this call has been stored. */
  recent(query: RecentQuery): Promise<AuditEntry[]>;
  describe(): AuditDescription;
  /** Waits for pending writes and releases files or connections. */
  close?(): Promise<void>;
}

/** Whether a record passes the `since` filter. */
export function isSince(entry: AuditEntry, since: Date | undefined): boolean {
  return since === undefined || Date.parse(entry.at) >= since.getTime();
}

export const DEFAULT_MEMORY_RECORDS = 1_000;

/**
 * The default when neither a file nor Elasticsearch is configured (tests, a Worker on its
 * snapshot): the newest `capacity` records of this process or isolate, lost at restart.
 */
export class MemoryAuditSink implements AuditSink {
  private readonly ring: AuditEntry[] = [];
  private next = 0;

  constructor(private readonly capacity = DEFAULT_MEMORY_RECORDS) {}

  async record(entry: AuditEntry): Promise<void> {
    if (this.ring.length < this.capacity) this.ring.push(entry);
    else this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
  }

  async recent({ limit, since }: RecentQuery): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    const n = this.ring.length;
    for (let i = 1; i <= n && out.length < limit; i++) {
      const e = this.ring[(this.next - i + n) % n];
      if (e && isSince(e, since)) out.push(e);
    }
    return out;
  }

  describe(): AuditDescription {
    return {
      kind: "memory",
      capacity: this.capacity,
      note: "in memory only: the newest records of this process, lost at restart; set AUDIT_FILE or ELASTICSEARCH_URL to keep them",
    };
  }
}
