// Index lifecycle behind one alias: searches and incremental writes go to the alias; a full
// reindex fills a new versioned index (`<alias>-v<timestamp>`), then moves the alias to it in one
// atomic `_aliases` call, so no search ever sees a half-built index. The previous version is kept
// for rollback and older ones are deleted.
import type { Client, estypes, TransportRequestOptions } from "@elastic/elasticsearch";
import partnersIndex from "../../../index-mappings/partners.json" with { type: "json" };
import type { DirectoryPolicy } from "../../catalog/schema.js";
import { call } from "./client.js";

/** Admin calls (create, settings, alias moves) may wait on shard allocation: longer timeouts. */
const ADMIN = { requestTimeout: 60_000, maxRetries: 2 } as const;

export const indexDefinition = partnersIndex as unknown as {
  settings: estypes.IndicesIndexSettings;
  mappings: estypes.MappingTypeMapping;
};

/**
 * The mapping file's settings plus what the directory policy decides: BM25's parameters (the
 * embedded index reads the same ones) and the deepest result a page may reach.
 */
export function indexSettings(directory: DirectoryPolicy): estypes.IndicesIndexSettings {
  const settings: estypes.IndicesIndexSettings = structuredClone(indexDefinition.settings);
  settings.index = {
    ...settings.index,
    max_result_window: directory.maxResultWindow,
    similarity: { default: { type: "BM25", ...directory.text.bm25 } },
  };
  return settings;
}

export function versionedIndexName(alias: string, now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace("T", "-")
    .replace(".", "-")
    .replace("Z", "")
    .toLowerCase();
  return `${alias}-v${stamp}`;
}

const versionPattern = (alias: string) => `${alias}-v*`;

/** Indices the alias points to (normally one); empty when the alias does not exist. */
export async function aliasTargets(
  client: Client,
  alias: string,
  options: TransportRequestOptions = ADMIN,
): Promise<string[]> {
  return call(`resolve alias ${alias}`, async () => {
    const res = await client.indices.getAlias({ name: alias }, { ...options, ignore: [404] });
    // With ignore 404, a missing alias answers {error, status} rather than index entries.
    if ("status" in res && (res as { status?: unknown }).status === 404) return [];
    return Object.keys(res).sort();
  });
}

/** Every versioned index of this alias, oldest first. */
export async function listVersions(client: Client, alias: string): Promise<string[]> {
  return call(`list versions of ${alias}`, async () => {
    const res = await client.indices.get(
      { index: versionPattern(alias), allow_no_indices: true, features: ["aliases"] },
      ADMIN,
    );
    return Object.keys(res).sort();
  });
}

/**
 * Creates a versioned index from index-mappings/partners.json, with `replicas` replicas when
 * given, else the mapping's `auto_expand_replicas: 0-1` (one replica once the cluster has a
 * second data node). For a bulk load, refreshes are off and the translog is fsynced in the
 * background until `finishBulkLoad`. Replicas stay on during the load: on a cluster, losing the
 * node that holds the new primary then promotes its replica and the load goes on (without one,
 * the load would stall on an unassigned primary and have to start over).
 */
export async function createVersionedIndex(
  client: Client,
  alias: string,
  opts: { directory: DirectoryPolicy; bulkLoad?: boolean; now?: Date; replicas?: number },
): Promise<string> {
  const index = versionedIndexName(alias, opts.now);
  const settings = indexSettings(opts.directory);
  if (opts.replicas !== undefined) {
    settings.index = {
      ...settings.index,
      auto_expand_replicas: "false",
      number_of_replicas: opts.replicas,
    };
  }
  if (opts.bulkLoad) {
    settings.index = {
      ...settings.index,
      refresh_interval: "-1",
      translog: { durability: "async" },
    };
  }
  await call(`create index ${index}`, () =>
    client.indices.create({ index, settings, mappings: indexDefinition.mappings }, ADMIN),
  );
  return index;
}

/** Restores the searchable settings after a bulk load and makes every document visible. */
export async function finishBulkLoad(client: Client, index: string): Promise<void> {
  // `null` resets refresh_interval to the cluster default (the client types lack null).
  const reset = null as unknown as estypes.Duration;
  await call(`restore settings of ${index}`, () =>
    client.indices.putSettings(
      {
        index,
        settings: {
          index: {
            refresh_interval: reset,
            translog: { durability: "request" },
          },
        },
      },
      ADMIN,
    ),
  );
  await refresh(client, index);
}

export async function refresh(client: Client, index: string): Promise<void> {
  await call(`refresh ${index}`, () => client.indices.refresh({ index }, ADMIN));
}

export async function countDocs(
  client: Client,
  index: string,
  options: TransportRequestOptions = ADMIN,
): Promise<number> {
  return call(`count ${index}`, async () => (await client.count({ index }, options)).count);
}

async function assertNotConcreteIndex(client: Client, alias: string): Promise<void> {
  const concrete = await call(`check ${alias}`, async () => {
    const targets = await aliasTargets(client, alias);
    if (targets.length > 0) return false;
    return client.indices.exists({ index: alias }, ADMIN);
  });
  if (concrete) {
    throw new Error(
      `"${alias}" is a concrete index, not an alias; move its data or choose another ELASTICSEARCH_INDEX`,
    );
  }
}

/** Points the alias at `index` alone, atomically; returns the indices it pointed to before. */
export async function swapAlias(client: Client, alias: string, index: string): Promise<string[]> {
  await assertNotConcreteIndex(client, alias);
  const previous = await aliasTargets(client, alias);
  const actions: estypes.IndicesUpdateAliasesAction[] = [
    { add: { index, alias, is_write_index: true } },
    ...previous.filter((p) => p !== index).map((p) => ({ remove: { index: p, alias } })),
  ];
  await call(`move alias ${alias} to ${index}`, () =>
    client.indices.updateAliases({ actions }, ADMIN),
  );
  return previous.filter((p) => p !== index);
}

/**
 * Deletes versions other than the alias target and the `keep` newest before it. A version
 * newer than the target (a reindex in progress, or one rolled back from) is left alone.
 */
export async function pruneVersions(client: Client, alias: string, keep = 1): Promise<string[]> {
  const [versions, targets] = await Promise.all([
    listVersions(client, alias),
    aliasTargets(client, alias),
  ]);
  const current = targets.sort().at(-1);
  if (!current) return [];
  const older = versions.filter((v) => v < current && !targets.includes(v));
  const doomed = older.slice(0, Math.max(0, older.length - keep));
  if (doomed.length > 0) {
    await call(`delete old versions of ${alias}`, () =>
      client.indices.delete({ index: doomed }, ADMIN),
    );
  }
  return doomed;
}

/** Moves the alias back to the newest version older than its current target. */
export async function rollback(
  client: Client,
  alias: string,
): Promise<{ from: string; to: string }> {
  const [versions, targets] = await Promise.all([
    listVersions(client, alias),
    aliasTargets(client, alias),
  ]);
  const from = targets.sort().at(-1);
  if (!from) throw new Error(`alias ${alias} does not exist; nothing to roll back`);
  const to = versions.filter((v) => v < from).at(-1);
  if (!to) throw new Error(`no version of ${alias} older than ${from} is kept`);
  await swapAlias(client, alias, to);
  return { from, to };
}

/** The index behind the alias, creating a first empty version when there is none. */
export async function ensureAlias(
  client: Client,
  alias: string,
  directory: DirectoryPolicy,
  replicas?: number,
): Promise<string> {
  const targets = await aliasTargets(client, alias);
  if (targets.length > 0) return targets.sort().at(-1) as string;
  await assertNotConcreteIndex(client, alias);
  const index = await createVersionedIndex(client, alias, {
    directory,
    ...(replicas !== undefined ? { replicas } : {}),
  });
  await swapAlias(client, alias, index);
  return index;
}
