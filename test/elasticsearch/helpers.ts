// Shared setup of the Elasticsearch suites: the node URL from the global setup, a client, an
// alias of its own per test file (files share one node), and clean-up of that alias's indices.
import { existsSync, readFileSync } from "node:fs";
import type { Client } from "@elastic/elasticsearch";
import { inject } from "vitest";
import { defaultCatalog } from "../../src/catalog/catalog.js";
import { defaultPolicy } from "../../src/catalog/policy.js";
import { parseFeed } from "../../src/partner/feed.js";
import type { FeedEntry } from "../../src/partner/schema.js";
import { createClient } from "../../src/search/elasticsearch/client.js";
import { ElasticsearchBackend } from "../../src/search/elasticsearch/elasticsearch-backend.js";
import { listVersions } from "../../src/search/elasticsearch/index-lifecycle.js";

export const catalog = defaultCatalog();
export const policy = defaultPolicy(catalog);

/** Empty when the global setup skipped the suite (no Java locally). */
export const esUrl = inject("elasticsearchUrl");

export function testAlias(prefix: string): string {
  return `t-${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A test client: a longer timeout than production, since a 2-core CI box is busy. */
export function testClient(): Client {
  return createClient({ url: esUrl, requestTimeoutMs: 30_000 });
}

export function testBackend(
  client: Client,
  alias: string,
  extra: { candidatePageSize?: number; finderMode?: "rerank" | "exhaustive" } = {},
): ElasticsearchBackend {
  return new ElasticsearchBackend({ client, alias, catalog, policy, ...extra });
}

/** Deletes every version of the alias by name (8.x refuses wildcard deletes). */
export async function dropAlias(client: Client, alias: string): Promise<void> {
  const versions = await listVersions(client, alias);
  if (versions.length > 0) await client.indices.delete({ index: versions }, { ignore: [404] });
}

/** The bundled 10k sample feed, or the same feed generated when the file is not there. */
export async function sampleFeedText(): Promise<string> {
  const file = new URL("../../data/sample-partners.ndjson", import.meta.url);
  if (existsSync(file)) return readFileSync(file, "utf8");
  const { iteratePartners } = await import("../../scripts/lib/sample-generator.js");
  return [...iteratePartners(10_000, 42)].map((p) => JSON.stringify(p)).join("\n");
}

export async function sampleEntries(): Promise<FeedEntry[]> {
  const r = parseFeed(await sampleFeedText(), catalog);
  if (r.rejects.length > 0)
    throw new Error(`sample feed rejected: ${JSON.stringify(r.rejects[0])}`);
  return r.entries;
}

/** A valid raw profile (CONTRACT.md example shape) with overrides. */
export function raw(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    name: `Partner ${id}`,
    description: "CRM implementation and RevOps for manufacturers.",
    programLevel: "partner",
    tier: "gold",
    accreditations: [],
    languages: ["en"],
    industries: ["manufacturing"],
    services: ["crm_implementation"],
    products: ["sales_hub"],
    customerSizes: ["medium"],
    locations: [{ country: "DE", city: "Hamburg", lat: 53.55, lon: 9.99 }],
    markets: ["DE"],
    reviews: { count: 10, average: 4.5 },
    directoryListed: true,
    updatedAt: "2026-10-01T00:00:00Z",
    ...overrides,
  };
}

export function entriesOf(raws: Record<string, unknown>[]): FeedEntry[] {
  const r = parseFeed(raws.map((o) => JSON.stringify(o)).join("\n"), catalog);
  if (r.rejects.length > 0) throw new Error(`fixture rejected: ${JSON.stringify(r.rejects)}`);
  return r.entries;
}
