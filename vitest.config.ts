// Test tiers as separate projects, all run by `npm test`: fast unit tests, the real
// Elasticsearch node, a three-node cluster, the Workers runtime (workerd) and headless Chromium.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          // Property tests over the 10k sample take ~3 s alone and twice that on a busy 2-core box.
          testTimeout: 20_000,
          exclude: [
            "test/elasticsearch/**",
            "test/cluster/**",
            "test/worker/**",
            "test/browser/**",
          ],
        },
      },
      {
        test: {
          name: "elasticsearch",
          include: ["test/elasticsearch/**/*.test.ts"],
          globalSetup: ["test/elasticsearch/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // Three nodes on loopback; a node is killed under traffic and during a reindex.
          name: "cluster",
          include: ["test/cluster/**/*.test.ts"],
          globalSetup: ["test/cluster/global-setup.ts"],
          testTimeout: 240_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          globalSetup: ["test/worker/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          globalSetup: ["test/browser/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
