// The service on Elasticsearch with the 100k feed, measured over HTTP as a client sees it: the
// directory (filter-only, text, text + filters, browsing; every answer carries its facets) and
// the partner finder per market. The in-process figures of 30-elasticsearch leave out the HTTP
// layer and the ranking; these are the speed issue's "over HTTP" rows.
import os from "node:os";
import { createClient } from "../../src/search/elasticsearch/client.js";
import { directoryRows, finderRows, warmUp } from "./_es-http.js";
import { ensure100k } from "./_feeds.js";
import { dropVersions, indexFile, startServer, stopServer, withElasticsearch } from "./_server.js";
import { fmt, table } from "./_stats.js";
import { recordSpeed } from "./_summary.js";

const ALIAS = "bench-http-100k";
/**
 * Untimed directory passes before the timed ones (_es-http.ts warmUp): the medians stopped
 * falling after four to eight passes here.
 */
const WARM_PASSES = 10;

export default async function run(): Promise<void> {
  const file = ensure100k();
  const skipped = await withElasticsearch(`bench-http-${process.pid}`, async (esUrl) => {
    const client = createClient({ url: esUrl, requestTimeoutMs: 120_000 });
    try {
      const indexed = await indexFile(client, ALIAS, file);
      console.log(
        `100k feed indexed at ${indexed.docsPerSecond.toLocaleString("en")} profiles/s; load average ${os.loadavg()[0]?.toFixed(1)}\n`,
      );
      // No directory answer kept between index checks: every request here is the engine's (the
      // repeats below would otherwise be answered from memory; 50-load measures that).
      const server = await startServer({
        ELASTICSEARCH_URL: esUrl,
        ELASTICSEARCH_INDEX: ALIAS,
        ELASTICSEARCH_ANSWER_CACHE_MS: "0",
      });
      try {
        const warm = await warmUp(server.url, {
          passes: WARM_PASSES,
          finderPasses: 2,
          label: "",
        });
        const dir = await directoryRows(server.url);
        // The same queries with the shard request cache emptied before each: nothing counted
        // for an earlier request is reused.
        const cold = await directoryRows(server.url, () =>
          client.indices.clearCache({ index: ALIAS, request: true }),
        );
        const finder = await finderRows(server.url);
        table(
          ["100k profiles on Elasticsearch, over HTTP", "median", "p99"],
          [
            ...dir.rows,
            ["**directory, all kinds**", fmt(dir.all.median), fmt(dir.all.p99)],
            [
              "directory, all kinds, the warm-up's first pass (node just indexed, service just started)",
              fmt(warm.first.median),
              fmt(warm.first.p99),
            ],
            [
              "directory, all kinds, request cache emptied before each",
              fmt(cold.all.median),
              fmt(cold.all.p99),
            ],
            ...finder.rows,
          ],
        );
        const worst = finder.medians.reduce((a, b) => (b[1] > a[1] ? b : a));
        recordSpeed(
          "esFinder",
          finder.medians.map(([c, m]) => `${c} ${fmt(m)}`).join(", "),
          worst[1] <= 30,
        );
        recordSpeed(
          "esDirectory",
          `${fmt(dir.all.median)} (${dir.rows.map((r) => r[1]).join(" / ")} by kind; ${fmt(cold.all.median)} with the request cache emptied before each; ${fmt(warm.first.median)} in the warm-up's first pass)`,
          dir.all.median <= 15,
        );
      } finally {
        await stopServer(server);
      }
    } finally {
      await dropVersions(client, ALIAS);
      await client.close();
    }
  });
  if (skipped) console.log(skipped);
}
