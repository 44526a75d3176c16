// Cloudflare Workers entry point: validates the bindings, builds the one createApp once per
// isolate (the same app as src/node.ts serves) and puts the Workers Cache API in front of the
// public directory. A bad binding answers 500 config_invalid naming it, logged once per isolate.
import { buildEdgeApp, type EdgeApp } from "./edge/edge-app.js";
import { defaultEdgeCache, type WaitUntil, withEdgeCache } from "./edge/edge-cache.js";
import { problemResponse } from "./http/problem.js";

/**
 * Per isolate: the app built from one env object. Workers hands every request of an isolate the
 * same env, so this is built once; a new env (a redeploy, a test changing bindings) rebuilds.
 */
let isolate: { env: unknown; built: Promise<EdgeApp> } | undefined;

function edgeApp(env: unknown): Promise<EdgeApp> {
  if (isolate && isolate.env === env) return isolate.built;
  const built = buildEdgeApp(env).then((r) => {
    if (!r.ok) {
      console.error(
        JSON.stringify({
          level: "error",
          msg: "invalid worker configuration",
          bindings: r.problems,
        }),
      );
    }
    return r;
  });
  isolate = { env, built };
  return built;
}

export default {
  async fetch(request: Request, env: unknown, ctx: WaitUntil): Promise<Response> {
    let built: EdgeApp;
    try {
      built = await edgeApp(env);
    } catch (e) {
      // Building failed outright (not a validation problem): retry on the next request.
      isolate = undefined;
      console.error(
        JSON.stringify({ level: "error", msg: "worker setup failed", error: (e as Error).stack }),
      );
      return problemResponse("internal_error", undefined, {
        instance: new URL(request.url).pathname,
      });
    }
    if (!built.ok) {
      return problemResponse(
        "config_invalid",
        `invalid Worker binding ${built.problems.map((p) => `${p.name}: ${p.reason}`).join("; ")}`,
        { bindings: built.problems, instance: new URL(request.url).pathname },
      );
    }
    const { app, logger } = built;
    return withEdgeCache(
      request,
      ctx,
      defaultEdgeCache(),
      // The execution context lets an audit record's write outlive the answer (waitUntil).
      async (r) => app.fetch(r, env, ctx as unknown as Parameters<typeof app.fetch>[2]),
      (what, e) => logger.warn(what, { error: e instanceof Error ? e.message : String(e) }),
    );
  },
};
