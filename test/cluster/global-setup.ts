// Global setup of the "cluster" test project: three Elasticsearch nodes on loopback forming one
// cluster (scripts/elasticsearch-node.ts startCluster), stopped and purged afterwards. The tests
// kill and restart members through the same script, found by name and directory. In CI a
// cluster that cannot start fails the run; locally, without Java or Maven, the suite is skipped
// with a loud message.
import type { TestProject } from "vitest/node";
import {
  defaultBaseDir,
  NodePrerequisiteError,
  startCluster,
} from "../../scripts/elasticsearch-node.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** `urls` is empty when the suite is skipped. */
    elasticsearchCluster: { name: string; baseDir: string; urls: string[] };
  }
}

export default async function setup(project: TestProject) {
  const ci = Boolean(process.env.CI) && process.env.CI !== "false";
  const name = `cluster-${process.pid}`;
  const baseDir = defaultBaseDir();
  const log = (l: string) => console.log(`[es] ${l}`);
  try {
    const cluster = await startCluster({
      name,
      nodes: 3,
      heap: process.env.CLUSTER_HEAP ?? "512m",
      // Short-lived nodes on a small shared machine: C1 only, half the start-up CPU.
      javaOpts: ["-XX:TieredStopAtLevel=1"],
      baseDir,
      log,
    });
    project.provide("elasticsearchCluster", { name, baseDir, urls: cluster.urls });
    return async () => {
      await cluster.stop({ purge: true });
    };
  } catch (e) {
    if (ci || !(e instanceof NodePrerequisiteError)) throw e;
    console.warn(
      `\n${"!".repeat(78)}\n!! SKIPPING the cluster suite: ${e.message}\n` +
        `!! Install Java 17+ and Maven to run it.\n${"!".repeat(78)}\n`,
    );
    project.provide("elasticsearchCluster", { name, baseDir, urls: [] });
  }
}
