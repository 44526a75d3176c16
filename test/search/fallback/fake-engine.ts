// An engine held in memory that can be made to fail (as Elasticsearch does when unreachable)
// and whose full reads can be paused, for the last-good copy's tests.
import type { FeedEntry, Profile } from "../../../src/partner/schema.js";
import type { DirectoryPlan } from "../../../src/ranking/directory.js";
import {
  type ApplySummary,
  type CandidateQuery,
  type SearchBackend,
  SearchUnavailableError,
} from "../../../src/search/backend.js";
import type { FullCopySource } from "../../../src/search/fallback/fallback-backend.js";
import { MemoryBackend } from "../../../src/search/memory/memory-backend.js";
import { catalog, policy, rawProfile } from "../../helpers.js";

const COUNTRIES = ["DE", "US", "GB"];

export function raw(i: number, overrides: Record<string, unknown> = {}) {
  const country = COUNTRIES[i % 3] as string;
  return rawProfile({
    id: `p-${String(i).padStart(3, "0")}`,
    name: `Partner ${i}`,
    locations: [{ country, city: "Somewhere" }],
    markets: [country],
    tier: i % 2 === 0 ? "gold" : "platinum",
    updatedAt: "2026-10-01T00:00:00Z",
    ...overrides,
  });
}

export const unreachable = () => new SearchUnavailableError("engine: unreachable", true);

/** An engine held in memory that can be made to fail, and whose full reads can be paused. */
export class FakeEngine implements SearchBackend, FullCopySource {
  readonly kind = "fake";
  readonly maxApplyBatch = 5_000;
  fault: (() => Error) | undefined;
  /** While set, readAll waits for it after its first page. */
  gate: Promise<void> | undefined;
  reads = 0;
  private readonly engine = new MemoryBackend(catalog, policy);
  private readonly all = new Map<string, Profile>();

  constructor(initial: FeedEntry[]) {
    this.track(initial);
    this.engine.applySync(initial);
  }
  private track(es: readonly FeedEntry[]) {
    for (const e of es) {
      if (e.kind === "upsert") this.all.set(e.profile.id, e.profile);
      else this.all.delete(e.tombstone.id);
    }
  }
  private check() {
    if (this.fault) throw this.fault();
  }
  async apply(es: readonly FeedEntry[]): Promise<ApplySummary> {
    this.check();
    this.track(es);
    return this.engine.apply(es);
  }
  async directory(plan: DirectoryPlan) {
    this.check();
    return this.engine.directory(plan);
  }
  async candidates(q: CandidateQuery) {
    this.check();
    return this.engine.candidates(q);
  }
  async get(id: string) {
    this.check();
    return this.engine.get(id);
  }
  async readiness() {
    return this.fault
      ? { ready: false, backend: this.kind, details: { error: "down" } }
      : this.engine.readiness();
  }
  async *readAll(): AsyncGenerator<Profile[]> {
    this.reads++;
    this.check();
    const profiles = [...this.all.values()];
    for (let i = 0; i < profiles.length; i += 7) {
      if (i > 0 && this.gate) await this.gate;
      this.check();
      yield profiles.slice(i, i + 7);
    }
  }
}
