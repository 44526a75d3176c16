// The finder's engine calls: the partner of record is looked up alongside the candidate scan,
// not after it, so a match waits for one engine read, which the engine's timeout bounds; a
// failing scan is the answer, and the lookup then fails nowhere (no unhandled rejection).
import { describe, expect, it } from "vitest";
import type { Profile } from "../../src/partner/schema.js";
import type { CandidateSource } from "../../src/ranking/candidates.js";
import { findMatches } from "../../src/ranking/find-matches.js";
import { Matcher } from "../../src/ranking/match.js";
import { backendOf, catalog, policy } from "../helpers.js";
import { DAY, partner, request } from "./match-fixtures.js";

const matcher = new Matcher(catalog, policy);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A source whose reads take `ms` each, recording when each started and ended. */
function slowSource(inner: CandidateSource, ms: number, failScan = false) {
  const log: string[] = [];
  const source: CandidateSource = {
    async candidates(q) {
      log.push("scan start");
      await sleep(ms);
      log.push("scan end");
      if (failScan) throw new Error("scan failed");
      return inner.candidates(q);
    },
    async get(id): Promise<Profile | undefined> {
      log.push("get start");
      await sleep(ms);
      log.push("get end");
      if (failScan) throw new Error("get failed too");
      return inner.get(id);
    },
  };
  return { source, log };
}

describe("findMatches' engine reads", () => {
  // p-us is not eligible in DE, so the answer needs its profile to name the failed rule.
  const backend = backendOf([
    partner("p-de"),
    partner("p-us", { locations: [{ country: "US", city: "Boston" }], markets: [] }),
  ]);

  it("looks the partner of record up while the candidates are scanned", async () => {
    const { source, log } = slowSource(backend, 50);
    const r = await findMatches(source, matcher, request({ partnerOfRecord: "p-us" }), DAY);
    expect(r.partnerOfRecord).toMatchObject({ id: "p-us", found: true, eligible: false });
    expect(log.indexOf("get start")).toBeLessThan(log.indexOf("scan end"));
  });

  it("answers with the scan's failure, and the lookup's goes nowhere", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);
    try {
      const { source } = slowSource(backend, 10, true);
      await expect(
        findMatches(source, matcher, request({ partnerOfRecord: "p-us" }), DAY),
      ).rejects.toThrow("scan failed");
      await sleep(50);
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
