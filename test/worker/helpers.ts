// Shared by the worker test files: requests to the workerd instance the global setup started,
// and the same createApp on Node over the same sample feed, as the reference a Worker answer
// must equal byte for byte.
import { inject } from "vitest";
import { createApp } from "../../src/http/app.js";
import { catalog, policy, sampleBackend } from "../helpers.js";
import { TEST_ADMIN_TOKEN, TEST_TOKEN } from "./constants.js";

export { TEST_ADMIN_TOKEN, TEST_TOKEN };

export const workerUrl = inject("workerUrl");

export function worker(path: string, init?: RequestInit): Promise<Response> {
  return fetch(new URL(path, workerUrl), init);
}

let reference: ReturnType<typeof createApp> | undefined;
/** The Node app on a MemoryBackend parsed straight from the NDJSON sample (no snapshot). */
export function referenceApp(): ReturnType<typeof createApp> {
  reference ??= createApp({ backend: sampleBackend(), catalog, policy, matchTokens: [TEST_TOKEN] });
  return reference;
}

/** A POST /v1/match request; `token: null` sends none. */
export function matchRequest(body: unknown, token: string | null = TEST_TOKEN): RequestInit {
  return {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  };
}

/** A POST /v1/admin/partners request pushing these feed lines; `token: null` sends none. */
export function pushRequest(
  lines: Record<string, unknown>[],
  token: string | null = TEST_ADMIN_TOKEN,
): RequestInit {
  return {
    method: "POST",
    headers: {
      "content-type": "application/x-ndjson",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: lines.map((l) => `${JSON.stringify(l)}\n`).join(""),
  };
}

export async function problemOf(res: Response): Promise<Record<string, unknown>> {
  if (!res.headers.get("content-type")?.startsWith("application/problem+json")) {
    throw new Error(`expected problem+json, got ${res.headers.get("content-type")}`);
  }
  return (await res.json()) as Record<string, unknown>;
}
