import type { Client } from "@elastic/elasticsearch";
import { describe, expect, it } from "vitest";
import { SearchUnavailableError } from "../../../src/search/backend.js";
import { searchAll } from "../../../src/search/elasticsearch/msearch.js";

/** A client whose `_msearch` answers `responses` and records what it was sent. */
function fakeClient(responses: unknown[]) {
  const sent: unknown[] = [];
  const client = {
    msearch: async (req: { searches: unknown[] }) => {
      sent.push(req.searches);
      return { took: 1, responses };
    },
    search: async () => {
      throw new Error("a single search was not expected");
    },
  } as unknown as Client;
  return { client, sent };
}

const ok = (n: number) => ({ took: 1, hits: { total: { value: n, relation: "eq" }, hits: [] } });

describe("searchAll", () => {
  it("sends each search as a header naming its index and a body, and returns the answers in order", async () => {
    const { client, sent } = fakeClient([ok(1), ok(2)]);
    const answers = await searchAll(client, [
      { index: "a", size: 0 },
      { index: "b", size: 5 },
    ]);
    expect(sent).toEqual([[{ index: "a" }, { size: 0 }, { index: "b" }, { size: 5 }]]);
    expect(answers.map((a) => (a.hits.total as { value: number }).value)).toEqual([1, 2]);
  });

  it("fails the read as retryable when one search was rejected for load, not when it was refused", async () => {
    const failed = (status: number, type: string) => ({ status, error: { type, reason: "r" } });
    const overloaded = fakeClient([ok(1), failed(429, "es_rejected_execution_exception")]);
    const err = await searchAll(overloaded.client, [{ index: "a" }, { index: "b" }]).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SearchUnavailableError);
    expect((err as SearchUnavailableError).retryable).toBe(true);
    expect((err as Error).message).toMatch(/search 2 of 2: Elasticsearch answered 429/);

    const refused = fakeClient([failed(400, "parsing_exception"), ok(1)]);
    const err2 = await searchAll(refused.client, [{ index: "a" }, { index: "b" }]).catch(
      (e: unknown) => e,
    );
    expect((err2 as SearchUnavailableError).retryable).toBe(false);
  });

  it("refuses an answer holding fewer results than searches sent", async () => {
    const short = fakeClient([ok(1)]);
    await expect(searchAll(short.client, [{ index: "a" }, { index: "b" }])).rejects.toThrow(
      /1 of 2 searches/,
    );
  });
});
