// Backoff of the bulk writer, and the serialised size that drives its batching.
import { describe, expect, it } from "vitest";
import { backoffMs, bulkItem } from "../../../src/search/elasticsearch/bulk-writer.js";

describe("backoffMs", () => {
  it("grows exponentially with jitter between half and all of the ceiling, capped", () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(10_000, 250 * 2 ** attempt);
      for (let i = 0; i < 50; i++) {
        const ms = backoffMs(attempt, 250, 10_000);
        expect(ms).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(ms).toBeLessThanOrEqual(ceiling);
      }
    }
  });
});

describe("bulkItem", () => {
  it("serialises the lines as NDJSON bytes and counts them", () => {
    const item = bulkItem([{ index: { _id: "a" } }, { name: "東京" }], 7);
    expect(new TextDecoder().decode(item.body)).toBe('{"index":{"_id":"a"}}\n{"name":"東京"}\n');
    expect(item.bytes).toBe(21 + 1 + 17 + 1);
    expect(item.body.length).toBe(item.bytes);
    expect(item.ref).toBe(7);
  });
});
