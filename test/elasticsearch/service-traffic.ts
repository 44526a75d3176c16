// A steady stream of service requests (directory searches, profile pages, partner matches) from
// a few concurrent clients, each answer recorded with its timing, for the engine fault tests.
// A request that gets no answer within `hangMs` is recorded as hung (status 0), never awaited.

export interface Answer {
  kind: string;
  /** ms since the traffic started. */
  start: number;
  ms: number;
  /** 0: no answer within hangMs (or the connection failed). */
  status: number;
  contentType: string;
  retryAfter: string | null;
  stale: string | null;
  body: string;
}

export interface Traffic {
  readonly answers: Answer[];
  /** ms since the traffic started. */
  now(): number;
  stop(): Promise<void>;
}

export interface ServiceRequest {
  kind: string;
  path: string;
  init?: RequestInit;
}

/**
 * The mix: directory searches, profile pages and partner matches (one naming a partner of
 * record, which is looked up by id as well).
 */
export function requestMix(ids: readonly string[], token: string): ServiceRequest[] {
  const match = (country: string, language: string, partnerOfRecord?: string) => ({
    kind: "match",
    path: "/v1/match",
    init: {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        customer: {
          country,
          languages: [language],
          products: ["sales_hub"],
          ...(partnerOfRecord ? { partnerOfRecord } : {}),
        },
        limit: 5,
      }),
    },
  });
  return [
    { kind: "directory", path: "/v1/directory/partners?country=DE&pageSize=5" },
    match("DE", "de"),
    { kind: "directory", path: "/v1/directory/partners?q=crm&country=US&pageSize=5" },
    ...ids.slice(0, 2).map((id) => ({ kind: "profile", path: `/v1/directory/partners/${id}` })),
    match("US", "en", ids[2]),
  ];
}

export function startTraffic(
  base: string,
  requests: readonly ServiceRequest[],
  opts: { clients: number; hangMs: number },
): Traffic {
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const answers: Answer[] = [];
  let running = true;
  let next = 0;
  const client = async () => {
    while (running) {
      const r = requests[next++ % requests.length] as ServiceRequest;
      const start = now();
      try {
        const res = await fetch(`${base}${r.path}`, {
          ...r.init,
          signal: AbortSignal.timeout(opts.hangMs),
        });
        const body = await res.text();
        answers.push({
          kind: r.kind,
          start,
          ms: now() - start,
          status: res.status,
          contentType: res.headers.get("content-type") ?? "",
          retryAfter: res.headers.get("retry-after"),
          stale: res.headers.get("x-data-stale"),
          body,
        });
      } catch (e) {
        answers.push({
          kind: r.kind,
          start,
          ms: now() - start,
          status: 0,
          contentType: "",
          retryAfter: null,
          stale: null,
          body: String(e),
        });
      }
    }
  };
  const all = Promise.all(Array.from({ length: opts.clients }, client));
  return {
    answers,
    now,
    stop: async () => {
      running = false;
      await all;
    },
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
