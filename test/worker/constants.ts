// Values shared by the worker test project's global setup and its test files.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const TEST_TOKEN = "worker-test-token-0123456789";
/** For POST /v1/admin/partners (ADMIN_API_TOKENS). */
export const TEST_ADMIN_TOKEN = "worker-admin-token-0123456789";

/**
 * The snapshot the tests bundle into the Worker: its own file, so tests never overwrite the
 * one built for `npm run dev:worker`.
 */
export const TEST_SNAPSHOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../dist/worker-test-assets/partners.index.bin",
);
