// Global setup of the "worker" test project: builds the 10k sample snapshot with the real
// build script (so a fresh clone needs no manual step) and starts src/worker.ts once in workerd
// with wrangler.toml, for every test file to call over loopback.
import type { TestProject } from "vitest/node";
import { buildSnapshot } from "../../scripts/build-snapshot.js";
import { startLocalWorker } from "../../scripts/lib/local-worker.js";
import { ensureChromium } from "../browser/global-setup.js";
import { TEST_ADMIN_TOKEN, TEST_SNAPSHOT, TEST_TOKEN } from "./constants.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The worker on the embedded snapshot backend. */
    workerUrl: string;
    /** How many profiles the snapshot holds. */
    snapshotProfiles: number;
    /** The data version in the snapshot's header. */
    snapshotDataVersion: string;
  }
}

export default async function setup(project: TestProject) {
  // One page test drives Chromium against the Worker (pages-browser.test.ts).
  ensureChromium();
  const built = await buildSnapshot({
    out: TEST_SNAPSHOT,
    log: (l) => console.log(`[snapshot] ${l}`),
  });
  const worker = await startLocalWorker({
    snapshotFile: TEST_SNAPSHOT,
    // The suites share one client address; the abuse limits are tested in test/http.
    vars: {
      MATCH_API_TOKENS: TEST_TOKEN,
      ADMIN_API_TOKENS: TEST_ADMIN_TOKEN,
      LOG_LEVEL: "silent",
      RATE_LIMIT_PER_MINUTE: "0",
      STAFF_RATE_LIMIT_PER_MINUTE: "0",
    },
  });
  project.provide("workerUrl", worker.url.href);
  project.provide("snapshotProfiles", built.profiles);
  project.provide("snapshotDataVersion", built.dataVersion);
  return async () => {
    await worker.dispose();
  };
}
