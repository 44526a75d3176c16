// Ties index-mappings/partners.json to the code: the mapping covers exactly the fields of the
// zod profile schema, and its `search` object exactly what toIndexDocument derives. A field
// added to either side without the other fails here, not at indexing time (the mapping is
// `dynamic: strict`).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { defaultCatalog } from "../../src/catalog/catalog.js";
import { defaultPolicy } from "../../src/catalog/policy.js";
import { parseFeed } from "../../src/partner/feed.js";
import { createProfileSchemas } from "../../src/partner/schema.js";
import { toIndexDocument } from "../../src/search/elasticsearch/documents.js";
import { indexSettings } from "../../src/search/elasticsearch/index-lifecycle.js";

const catalog = defaultCatalog();
const policy = defaultPolicy(catalog);
const definition = JSON.parse(
  readFileSync(new URL("../../index-mappings/partners.json", import.meta.url), "utf8"),
) as {
  settings: { index: Record<string, unknown> };
  mappings: {
    dynamic: string;
    dynamic_templates: Record<string, { path_match: string; mapping: { type: string } }>[];
    properties: Record<string, MappingNode>;
  };
};

interface MappingNode {
  type?: string;
  dynamic?: boolean | string;
  enabled?: boolean;
  properties?: Record<string, MappingNode>;
}

/** Leaf paths of a mapping; a dynamic object without properties is `path.*`. */
function mappingPaths(props: Record<string, MappingNode>, prefix = ""): string[] {
  return Object.entries(props).flatMap(([name, node]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    if (node.properties) return mappingPaths(node.properties, path);
    if (node.type === "object" && node.dynamic === true) return [`${path}.*`];
    return [path];
  });
}

/** Paths of objects mapped `enabled: false`. */
function disabledPaths(props: Record<string, MappingNode>, prefix = ""): string[] {
  return Object.entries(props).flatMap(([name, node]) => {
    const path = prefix ? `${prefix}.${name}` : name;
    if (node.properties) return disabledPaths(node.properties, path);
    return node.type === "object" && node.enabled === false ? [path] : [];
  });
}

interface ZodNode {
  _zod: { def: Record<string, unknown> & { type: string } };
}

/** Leaf paths of a zod schema, looking through wrappers; a record is `path.*`. */
function schemaPaths(schema: ZodNode, prefix = ""): string[] {
  const def = schema._zod.def;
  switch (def.type) {
    case "object":
      return Object.entries(def.shape as Record<string, ZodNode>).flatMap(([k, v]) =>
        schemaPaths(v, prefix ? `${prefix}.${k}` : k),
      );
    case "optional":
    case "default":
    case "prefault":
    case "nullable":
    case "readonly":
      return schemaPaths(def.innerType as ZodNode, prefix);
    case "pipe":
      return schemaPaths(def.in as ZodNode, prefix);
    case "array":
      return schemaPaths(def.element as ZodNode, prefix);
    case "record":
      return [`${prefix}.*`];
    default:
      return [prefix];
  }
}

const isGeoPoint = (v: object) => Object.keys(v).sort().join() === "lat,lon";

/** Leaf paths of a plain JSON value (arrays looked through; a {lat, lon} is one geo_point). */
function valuePaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap((v) => valuePaths(v, prefix)))];
  if (value && typeof value === "object" && !isGeoPoint(value)) {
    return Object.entries(value).flatMap(([k, v]) => valuePaths(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

describe("index-mappings/partners.json", () => {
  const paths = mappingPaths(definition.mappings.properties);

  it("maps exactly the fields of the profile schema", () => {
    const { Profile } = createProfileSchemas(catalog);
    // An object mapped `enabled: false` is kept in _source whole, unparsed: it stands for every
    // schema field beneath it.
    const disabled = disabledPaths(definition.mappings.properties);
    const fromSchema = [
      ...new Set(
        schemaPaths(Profile as unknown as ZodNode).map(
          (p) => disabled.find((d) => p.startsWith(`${d}.`)) ?? p,
        ),
      ),
    ].sort();
    const fromMapping = paths.filter((p) => !p.startsWith("search.")).sort();
    expect(fromMapping).toEqual(fromSchema);
  });

  it("maps exactly the derived search fields", () => {
    const example = readFileSync(
      new URL("../fixtures/contract-example.json", import.meta.url),
      "utf8",
    );
    const [entry] = parseFeed(example.replace(/\s*\n\s*/g, ""), catalog).entries;
    if (entry?.kind !== "upsert") throw new Error("the contract example must parse");
    const doc = toIndexDocument(entry.profile, catalog, policy);
    // The finder's features are named per catalog code: one dynamic double field each.
    const derived = [
      ...new Set(
        valuePaths({ search: doc.search }).map((p) =>
          p.startsWith("search.finder.") ? "search.finder.*" : p,
        ),
      ),
    ].sort();
    expect(paths.filter((p) => p.startsWith("search.")).sort()).toEqual(derived);
  });

  it("indexes the finder's capacity rule as a boolean the candidate pre-filter reads", () => {
    const search = definition.mappings.properties.search?.properties ?? {};
    expect(search.withCapacity).toEqual({ type: "boolean" });
    const example = readFileSync(
      new URL("../fixtures/contract-example.json", import.meta.url),
      "utf8",
    );
    const [entry] = parseFeed(example.replace(/\s*\n\s*/g, ""), catalog).entries;
    if (entry?.kind !== "upsert") throw new Error("the contract example must parse");
    const p = entry.profile;
    const withCap = (capacity: typeof p.internal.capacity) =>
      toIndexDocument({ ...p, internal: { ...p.internal, capacity } }, catalog, policy).search
        .withCapacity;
    expect(withCap({ acceptingReferrals: true, maxOpenReferrals: 3, openReferrals: 2 })).toBe(true);
    expect(withCap({ acceptingReferrals: true, maxOpenReferrals: 3, openReferrals: 3 })).toBe(
      false,
    );
    expect(withCap({ acceptingReferrals: false, maxOpenReferrals: 3, openReferrals: 0 })).toBe(
      false,
    );
  });

  it("types the track-record counts of any catalog code, and rejects unknown fields", () => {
    expect(definition.mappings.dynamic).toBe("strict");
    const template = definition.mappings.dynamic_templates[0]?.track_record_counts;
    expect(template).toEqual({
      path_match: "internal.trackRecord.*.*",
      mapping: { type: "integer" },
    });
    expect(paths.filter((p) => p.endsWith(".*"))).toEqual([
      "internal.trackRecord.products.*",
      "internal.trackRecord.industries.*",
      "internal.trackRecord.customerSizes.*",
      "search.finder.*",
    ]);
    // The first-stage features (ranking/retrieval.ts) are doubles, read by field_value_factor
    // and the qualified rule's ranges from doc values alone: points would only cost indexing.
    expect(definition.mappings.dynamic_templates[1]?.finder_features).toEqual({
      path_match: "search.finder.*",
      mapping: { type: "double", index: false },
    });
  });

  it("keeps one shard, so that BM25 statistics are global and facet counts exact", () => {
    expect(definition.settings.index.number_of_shards).toBe(1);
  });
});

describe("index settings from the directory policy", () => {
  it("take BM25's k1 and b and the result window from the policy the embedded index reads", () => {
    const directory = {
      ...policy.data.directory,
      text: { ...policy.data.directory.text, bm25: { k1: 0.9, b: 0.4 } },
      maxResultWindow: 4321,
    };
    const index = indexSettings(directory).index;
    expect(index?.similarity).toEqual({ default: { type: "BM25", k1: 0.9, b: 0.4 } });
    expect(index?.max_result_window).toBe(4321);
    // The file itself no longer states them, so nothing can disagree with the policy.
    expect(definition.settings.index.similarity).toBeUndefined();
    expect(definition.settings.index.max_result_window).toBeUndefined();
  });
});
