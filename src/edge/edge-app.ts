// Everything the Worker builds once per isolate from its bindings, through the one composition
// root (deps.ts) with the edge's runtime: no files, Elasticsearch through fetch when
// ELASTICSEARCH_URL is bound, else the embedded snapshot: the one bundled into the Worker, or
// with SNAPSHOT_PATH the one in the ASSETS binding. Any bad binding ends here as a problem
// naming it.
import { ConfigError } from "../config.js";
import { buildDeps, type Runtime } from "../deps.js";
import { type App, createApp } from "../http/app.js";
import type { Logger } from "../lib/logger.js";
import type { SearchBackend } from "../search/backend.js";
import { SnapshotBackend } from "../search/snapshot/snapshot-backend.js";
import { type BindingProblem, parseBindings, type WorkerBindings } from "./bindings.js";

export type EdgeApp =
  | { ok: true; app: App; backend: SearchBackend; logger: Logger }
  | { ok: false; problems: BindingProblem[] };

/** Asset requests need an absolute URL; the host is ignored by the assets binding. */
const ASSET_ORIGIN = "https://assets.invalid";

/** How /readyz and errors name the snapshot bundled into the Worker. */
const BUNDLED_SNAPSHOT_LOCATION = "bundle/partners.index.bin";

function snapshotSource(b: WorkerBindings): {
  fetchSnapshot: () => Promise<Response | ArrayBuffer>;
  location: string;
} {
  const path = b.SNAPSHOT_PATH;
  if (path) {
    const assets = b.ASSETS;
    if (!assets) throw new Error("unreachable: the bindings schema requires ASSETS here");
    return {
      fetchSnapshot: () => assets.fetch(new Request(ASSET_ORIGIN + path)),
      location: `ASSETS${path}`,
    };
  }
  return {
    // A Data module: workerd hands the isolate its bytes as an ArrayBuffer, with no subrequest
    // and no body to read (reading the 10.6 MiB asset's body cost ~140 ms of CPU). Imported on
    // first use so Node (tests importing this file) never resolves the .bin.
    fetchSnapshot: async () => (await import("./bundled-snapshot.js")).default,
    location: BUNDLED_SNAPSHOT_LOCATION,
  };
}

function edgeRuntime(b: WorkerBindings): Runtime {
  return {
    // Set by Cloudflare on every request that reaches a Worker.
    clientAddress: (c) => c.req.header("cf-connecting-ip"),
    embeddedIsSnapshot: true,
    embedded: async ({ catalog, policy, logger }) => {
      return new SnapshotBackend({
        ...snapshotSource(b),
        catalog,
        policy,
        logger,
      });
    },
    auditElasticsearch: async (settings, dataStream) => {
      const { createEdgeAuditSink } = await import("./edge-elasticsearch.js");
      return createEdgeAuditSink(settings, dataStream);
    },
    elasticsearch: async (settings, { catalog, policy }) => {
      // Imported on demand so isolates on the embedded backend never evaluate the client.
      const { createEdgeElasticsearchBackend } = await import("./edge-elasticsearch.js");
      return createEdgeElasticsearchBackend({ ...settings, catalog, policy });
    },
  };
}

export async function buildEdgeApp(env: unknown): Promise<EdgeApp> {
  const parsed = parseBindings(env);
  if (!parsed.ok) return parsed;
  const b = parsed.bindings;
  try {
    const deps = await buildDeps(b, edgeRuntime(b));
    deps.logger.info("worker configured", { backend: deps.backend.kind });
    return { ok: true, app: createApp(deps), backend: deps.backend, logger: deps.logger };
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, problems: e.problems };
    throw e;
  }
}
