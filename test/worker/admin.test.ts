// POST /v1/admin/partners on the Worker serving the embedded snapshot: each isolate holds its own
// copy of the snapshot, so a pushed update could reach one isolate only. The Worker refuses it
// with a problem saying how the edge gets new data (a new snapshot, or Elasticsearch), after the
// token check like every protected endpoint. (Pushing through a Worker on Elasticsearch is
// tested in elasticsearch.test.ts.)
import { describe, expect, it } from "vitest";
import { rawProfile } from "../helpers.js";
import { problemOf, pushRequest, TEST_TOKEN, worker } from "./helpers.js";

const update = [
  rawProfile({ id: "p-000001", name: "Never Applied", updatedAt: "2030-01-01T00:00:00Z" }),
];

describe("POST /v1/admin/partners in workerd, embedded snapshot", () => {
  it("refuses without an admin token, or with a staff token, as 401", async () => {
    for (const token of [null, TEST_TOKEN]) {
      const res = await worker("/v1/admin/partners", pushRequest(update, token));
      expect(res.status).toBe(401);
      expect(await problemOf(res)).toMatchObject({ code: "unauthorized" });
    }
  });

  it("answers 409 read_only_snapshot to an admin, naming npm run deploy and Elasticsearch", async () => {
    const res = await worker("/v1/admin/partners", pushRequest(update));
    expect(res.status).toBe(409);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const p = await problemOf(res);
    expect(p).toMatchObject({ code: "read_only_snapshot", status: 409 });
    expect(p.detail).toMatch(/npm run deploy/);
    expect(p.detail).toMatch(/ELASTICSEARCH_URL/);
    const profile = await worker("/v1/staff/partners/p-000001", {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    });
    expect(((await profile.json()) as { name: string }).name).not.toBe("Never Applied");
  });
});
