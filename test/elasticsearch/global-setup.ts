// Global setup of the "elasticsearch" test project: a real node for the whole run. Uses
// ELASTICSEARCH_URL when given; otherwise starts an ephemeral node with scripts/elasticsearch-
// node.ts and stops it afterwards. In CI a node that cannot start fails the run; locally,
// without Java or Maven, the suite is skipped with a loud message.
import type { TestProject } from "vitest/node";
import {
  health,
  NodePrerequisiteError,
  startNode,
  stopNode,
} from "../../scripts/elasticsearch-node.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Empty when the suite is skipped. */
    elasticsearchUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.ELASTICSEARCH_URL;
  if (given) {
    if (!(await health(given, 10_000))) {
      throw new Error(`ELASTICSEARCH_URL=${given} does not answer cluster health`);
    }
    project.provide("elasticsearchUrl", given);
    return;
  }
  const ci = Boolean(process.env.CI) && process.env.CI !== "false";
  const name = `test-${process.pid}`;
  try {
    const node = await startNode({ name, port: 0, log: (l) => console.log(`[es] ${l}`) });
    project.provide("elasticsearchUrl", node.url);
  } catch (e) {
    if (ci || !(e instanceof NodePrerequisiteError)) throw e;
    console.warn(
      `\n${"!".repeat(78)}\n!! SKIPPING the Elasticsearch suite: ${e.message}\n` +
        `!! Install Java 17+ and Maven, or set ELASTICSEARCH_URL, to run it.\n${"!".repeat(78)}\n`,
    );
    project.provide("elasticsearchUrl", "");
    return;
  }
  return async () => {
    await stopNode({ name, purge: true, log: (l) => console.log(`[es] ${l}`) });
  };
}
