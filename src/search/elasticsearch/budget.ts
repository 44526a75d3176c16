// One time budget for all the round trips a single read makes to the cluster. The client's
// `requestTimeout` bounds each round trip alone: a candidate scan of several pages, or a
// readiness check of three calls, could take several timeouts in all, and a slow but answering
// cluster (each page just under the timeout) would hold a service request for seconds. A budget
// ends every call it started when it runs out (an AbortSignal, which also stops a body still
// arriving), so one read answers, or fails retryably, within the configured timeout.
import type { TransportRequestOptions } from "@elastic/elasticsearch";
import { SearchUnavailableError } from "../backend.js";
import { toSearchError } from "./client.js";

export class Budget {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(readonly ms: number) {
    this.timer = setTimeout(() => this.controller.abort(), ms);
  }

  /** The budget ran out: whatever failed after this failed for lack of time. */
  get expired(): boolean {
    return this.controller.signal.aborted;
  }

  /**
   * Options for one client call inside the budget: aborted when the budget runs out. Retries
   * stay the client's (none against one node; once on each other node of a cluster, at once,
   * so a dead node fails over inside the budget); the client's own timeout, the same length,
   * still bounds a single round trip.
   */
  options(extra: TransportRequestOptions = {}): TransportRequestOptions {
    return { ...extra, signal: this.controller.signal };
  }

  end(): void {
    clearTimeout(this.timer);
  }
}

/**
 * Runs `fn` with a budget of `ms` (none when undefined: each call then has only the client's own
 * timeout); a failure is a SearchUnavailableError, and one after the budget ran out is a
 * retryable "did not answer in time", whatever the aborted call reported.
 */
export async function withinBudget<T>(
  ms: number | undefined,
  what: string,
  fn: (budget: Budget | undefined) => Promise<T>,
): Promise<T> {
  const budget = ms === undefined ? undefined : new Budget(ms);
  try {
    return await fn(budget);
  } catch (e) {
    if (budget?.expired) {
      throw new SearchUnavailableError(
        `${what}: Elasticsearch did not answer in time (${ms} ms)`,
        true,
        { cause: e },
      );
    }
    throw toSearchError(e, what);
  } finally {
    budget?.end();
  }
}

/** The options of one call: the budget's when there is one, else `extra` alone. */
export function optionsIn(
  budget: Budget | undefined,
  extra: TransportRequestOptions = {},
): TransportRequestOptions {
  return budget ? budget.options(extra) : extra;
}
