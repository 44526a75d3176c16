// Values shared by the worker test project's global setup and its test files.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const TEST_TOKEN = "worker-test-token-0123456789";
/** For POST /v1/admin/partners (ADMIN_API_TOKENS). */
export const TEST_ADMIN_TOKEN = "worker-admin-token-0123456789";

/** Its own asset directory, so tests never overwrite a snapshot built for `npm run dev:worker`. */
export const TEST_ASSETS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../dist/worker-test-assets",
);
