// The public /openapi.json describes public endpoints only: nothing in it names an internal
// field. The whole description is served to staff, behind the same token as their endpoints.
import { describe, expect, it } from "vitest";
import { appOf, rawProfile, TOKEN } from "../helpers.js";

const { app } = appOf([rawProfile()]);
/** Internal field names of the feed (CONTRACT section 1) and of the staff profile. */
const INTERNAL = [
  "internal",
  "soldMrr12m",
  "managedMrr",
  "retention",
  "toolUsageIndex",
  "trackRecord",
  "openReferrals",
  "maxOpenReferrals",
  "acceptingReferrals",
  "notes",
  "contactEmails",
  "directoryListed",
];

describe("API descriptions", () => {
  it("the public document has the public paths and names no internal field", async () => {
    const res = await app.request("/openapi.json");
    expect(res.status).toBe(200);
    const text = await res.text();
    const doc = JSON.parse(text) as { paths: object; components: { schemas: object } };
    expect(Object.keys(doc.paths).sort()).toEqual(
      ["/healthz", "/readyz", "/v1/directory/partners", "/v1/directory/partners/{id}"].sort(),
    );
    for (const name of INTERNAL) expect(text).not.toContain(`"${name}"`);
    expect(Object.keys(doc.components.schemas)).not.toContain("StaffProfile");
  });

  it("the staff document needs the token and describes every endpoint", async () => {
    expect((await app.request("/v1/staff/openapi.json")).status).toBe(401);
    const res = await app.request("/v1/staff/openapi.json", {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const doc = (await res.json()) as { paths: object };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/v1/match",
        "/v1/staff/partners/{id}",
        "/v1/admin/partners",
        "/v1/directory/partners",
      ]),
    );
  });
});
