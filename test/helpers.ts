// Test fixtures: profiles built from the contract's example with overrides, and an app over them.
import { readFileSync } from "node:fs";
import { defaultCatalog } from "../src/catalog/catalog.js";
import { defaultPolicy } from "../src/catalog/policy.js";
import { createApp } from "../src/http/app.js";
import { nodeEncoders, nodeSha1Hex } from "../src/http/node-codecs.js";
import { parseFeed } from "../src/partner/feed.js";
import type { FeedEntry, Profile } from "../src/partner/schema.js";
import { MemoryBackend } from "../src/search/memory/memory-backend.js";

export const catalog = defaultCatalog();
export const policy = defaultPolicy(catalog);
export const TOKEN = "test-token-0123456789abcdef";

export const contractExample = JSON.parse(
  readFileSync(new URL("./fixtures/contract-example.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

/**
 * The public profile's fields (CONTRACT section 2), written out here rather than taken from the
 * code, so the leak tests check the projection against the contract.
 */
export const PUBLIC_KEYS = [
  "id",
  "name",
  "description",
  "website",
  "programLevel",
  "tier",
  "accreditations",
  "certificationsCount",
  "languages",
  "industries",
  "services",
  "products",
  "customerSizes",
  "locations",
  "markets",
  "reviews",
  "minProjectBudgetUsd",
  "updatedAt",
  "accredited",
  "badges",
];

/** A raw feed object: the contract example with fields replaced. */
export function rawProfile(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...structuredClone(contractExample), ...overrides };
}

/** Parses raw objects as one feed; throws if any line is rejected. */
export function entries(raws: Record<string, unknown>[]): FeedEntry[] {
  const r = parseFeed(raws.map((o) => JSON.stringify(o)).join("\n"), catalog);
  if (r.rejects.length > 0) throw new Error(`fixture rejected: ${JSON.stringify(r.rejects)}`);
  return r.entries;
}

export function profiles(raws: Record<string, unknown>[]): Profile[] {
  return entries(raws).flatMap((e) => (e.kind === "upsert" ? [e.profile] : []));
}

export function backendOf(raws: Record<string, unknown>[]): MemoryBackend {
  const b = new MemoryBackend(catalog, policy);
  b.applySync(entries(raws));
  return b;
}

export function appOf(raws: Record<string, unknown>[]) {
  const backend = backendOf(raws);
  return { app: createApp({ backend, catalog, policy, matchTokens: [TOKEN] }), backend };
}

/** The public app as the Node entry builds it: compressed with node:zlib's codecs. */
export function nodeCodecApp(backend: MemoryBackend) {
  return createApp({
    backend,
    catalog,
    policy,
    matchTokens: [],
    compress: true,
    encoders: nodeEncoders,
    sha1Hex: nodeSha1Hex,
  });
}

let sample: MemoryBackend | undefined;
/** The bundled 10k sample, loaded once per test file. */
export function sampleBackend(): MemoryBackend {
  if (!sample) {
    const text = readFileSync(new URL("../data/sample-partners.ndjson", import.meta.url), "utf8");
    sample = new MemoryBackend(catalog, policy);
    sample.applySync(parseFeed(text, catalog).entries);
  }
  return sample;
}
