// src/node.ts wiring for live updates: with PARTNERS_FILE the embedded engine logs its updates
// beside it and /readyz says where; WATCH_PARTNERS_FILE serves a feed renamed over the file;
// stop() stops the watcher and closes the log.
import { renameSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { start } from "../src/node.js";
import { idOf, raw, tempDir, writeFeed } from "./search/durable/helpers.js";

describe("npm start with PARTNERS_FILE", () => {
  it("persists updates beside the file, watches it when asked, and stops cleanly", async () => {
    const feed = writeFeed(tempDir(), 5);
    const running = await start({
      PARTNERS_FILE: feed,
      WATCH_PARTNERS_FILE: "true",
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
    });
    const base = `http://127.0.0.1:${running.port}`;
    try {
      const ready = await fetch(`${base}/readyz`);
      expect(await ready.json()).toMatchObject({
        backend: "memory",
        details: {
          profiles: 5,
          updateLog: `${feed}.updates.ndjson`,
          updateLogEntries: 0,
          watchingPartnersFile: true,
        },
      });
      writeFileSync(`${feed}.new`, `${JSON.stringify(raw(1, 60, { name: "Renamed Over" }))}\n`);
      renameSync(`${feed}.new`, feed);
      const deadline = Date.now() + 5_000;
      let name = "";
      while (name !== "Renamed Over" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        const res = await fetch(`${base}/v1/directory/partners/${idOf(1)}`);
        name = ((await res.json()) as { name: string }).name;
      }
      expect(name).toBe("Renamed Over");
    } finally {
      await running.stop();
    }
  });
});
