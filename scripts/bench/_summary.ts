// The speed issue's table, filled by the sections that measure each row and printed once at the
// end of `npm run bench`, so one run shows every figure beside its target without reading the
// sections' own tables. A row no section measured in this run says so instead of keeping an
// older figure.

export const SPEED_ROWS = {
  textAt100k: {
    what: "embedded text-only query, 100k (in process)",
    target: "<= 2 ms median, <= 10 ms p99",
  },
  mix: { what: "embedded mix, 100k / 10k, median (in process)", target: "<= 0.5 ms / <= 0.1 ms" },
  httpDirectory: {
    what: "HTTP directory, loopback, autocannon 10 connections, 10k",
    target: ">= 5,000 req/s repeated mix, >= 2,500 req/s all-distinct, p99 <= 10 ms",
  },
  memory100k: {
    what: "RSS with 100k loaded / load time: from the feed (PARTNERS_FILE)",
    target: "<= 150 MB / <= 3 s",
  },
  memory100kSnapshot: {
    what: "RSS with 100k loaded / load time: the server on the binary snapshot (SNAPSHOT_FILE)",
    target: "<= 150 MB / <= 3 s",
  },
  workerFirst: {
    what: "Worker first request on the 10k snapshot",
    target: "<= 100 ms CPU, isolate <= 64 MB",
  },
  snapshot100k: { what: "a 100k snapshot loads (Node, lazy profiles)", target: "<= 1 s" },
  esFinder: {
    what: "finder on Elasticsearch, 100k, over HTTP, median",
    target: "<= 30 ms in every market",
  },
  esDirectory: {
    what: "directory on Elasticsearch, 100k, over HTTP, median",
    target: "<= 15 ms",
  },
  esHttpMix: {
    what: "HTTP mix (80% directory / 20% match) on Elasticsearch",
    target: ">= 300 req/s at p99 <= 100 ms",
  },
  esIndexer: {
    what: "indexer into the local node, 100k",
    target: ">= 8,000 docs/s, steady across runs",
  },
} as const;

export type SpeedRow = keyof typeof SPEED_ROWS;

/** A MiB figure against a target in MB, read as 10^6 bytes: the stricter reading of the two. */
export function withinMb(mib: number, mb: number): boolean {
  return mib * 1.048576 <= mb;
}

const measured = new Map<SpeedRow, { now: string; met: boolean | undefined }>();

/** Records this run's figure for a row; `met` is left out where no single yes/no applies. */
export function recordSpeed(row: SpeedRow, now: string, met?: boolean): void {
  measured.set(row, { now, met });
}

export function speedSummary(): string[][] {
  return (Object.keys(SPEED_ROWS) as SpeedRow[]).map((row) => {
    const m = measured.get(row);
    const { what, target } = SPEED_ROWS[row];
    if (!m) return [what, "not measured in this run", target, "-"];
    return [what, m.now, target, m.met === undefined ? "-" : m.met ? "met" : "not met"];
  });
}
