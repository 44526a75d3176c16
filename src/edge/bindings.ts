// The Worker's bindings: the service configuration schema (src/config.ts) plus what only the
// edge has (where the snapshot comes from: the Worker's own bundle, or a static-assets
// binding). Validated once per isolate; a bad binding becomes a list of problems, each naming
// its binding, never a stack trace.
import { z } from "zod";
import { ConfigSchema } from "../config.js";
import { namedIssues } from "../lib/zod-issues.js";

/** The part of the Workers static-assets binding (a Fetcher) this service uses. */
export interface AssetsBinding {
  fetch(input: Request | string): Promise<Response>;
}

export interface BindingProblem {
  name: string;
  reason: string;
}

const noFiles = (instead: string) =>
  z.undefined({ error: `a Worker cannot read files; ${instead}` }).optional();

export const WorkerBindingsSchema = ConfigSchema.extend({
  ASSETS: z
    .custom<AssetsBinding>(
      (v) => typeof (v as { fetch?: unknown } | null | undefined)?.fetch === "function",
      { message: "must be the static-assets binding ([assets] binding in wrangler.toml)" },
    )
    .optional(),
  /**
   * Unset: the snapshot bundled into the Worker (src/edge/bundled-snapshot.ts). Set: read it
   * from the ASSETS binding at this path instead (a snapshot too big for the script size limit).
   */
  SNAPSHOT_PATH: z
    .string()
    .regex(/^\/[A-Za-z0-9._/-]+$/, "must be an absolute asset path like /partners.index.bin")
    .optional(),
  PARTNERS_FILE: noFiles("build a snapshot with npm run build:snapshot instead"),
  SNAPSHOT_FILE: noFiles(
    "build it with npm run build:snapshot (bundled into the Worker) or deploy it as an asset (SNAPSHOT_PATH)",
  ),
  MARKET_POLICY_FILE: noFiles("put the policy JSON in MARKET_POLICY_JSON instead"),
  CATALOG_FILE: noFiles("put the catalog JSON in CATALOG_JSON instead"),
  AUDIT_FILE: noFiles(
    "audit records go to Elasticsearch (AUDIT_DATA_STREAM) or, without it, stay in memory",
  ),
  UPDATE_LOG_FILE: noFiles("updates applied there are not logged; Elasticsearch keeps them"),
  // A copy of every partner per isolate would be loaded by every new isolate, and lost with it.
  ELASTICSEARCH_FALLBACK: z
    .enum(["off"], { error: "Node only: a Worker keeps no last-good copy of the cluster" })
    .default("off"),
}).superRefine((b, ctx) => {
  if (!b.ELASTICSEARCH_URL && b.SNAPSHOT_PATH && !b.ASSETS) {
    ctx.addIssue({
      code: "custom",
      path: ["ASSETS"],
      message:
        "required when SNAPSHOT_PATH is set (and ELASTICSEARCH_URL is not): the snapshot is read from it",
    });
  }
});

export type WorkerBindings = z.output<typeof WorkerBindingsSchema>;

export type BindingsResult =
  | { ok: true; bindings: WorkerBindings }
  | { ok: false; problems: BindingProblem[] };

export function parseBindings(env: unknown): BindingsResult {
  const r = WorkerBindingsSchema.safeParse(env ?? {});
  if (r.success) return { ok: true, bindings: r.data };
  return {
    ok: false,
    problems: namedIssues(r.error.issues, "unknown binding", "(env)").map(({ name, reason }) => ({
      name,
      reason,
    })),
  };
}
