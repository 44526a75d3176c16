// The staff finder page inside workerd: signed out it sends to sign-in, a staff token signs in
// (the session cookie is signed with Web Crypto there too), and the page answers from the
// snapshot, never through the edge cache.
import { describe, expect, it } from "vitest";
import { TEST_TOKEN, worker, workerUrl } from "./helpers.js";

describe("/staff/finder in workerd", () => {
  it("works behind sign-in", async () => {
    const out = await worker("/staff/finder?country=DE", { redirect: "manual" });
    expect(out.status).toBe(303);
    expect(out.headers.get("location")).toBe(
      `/staff/sign-in?return=${encodeURIComponent("/staff/finder?country=DE")}`,
    );

    const signIn = await worker("/staff/sign-in", {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: new URL(workerUrl).origin,
      },
      body: new URLSearchParams({ token: TEST_TOKEN, return: "/staff/finder" }).toString(),
    });
    expect(signIn.status).toBe(303);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] as string;
    expect(cookie).toMatch(/^__Secure-staff_session=/);

    const path = "/staff/finder?country=DE&languages=de&needs=crm_implementation&lang=ja";
    for (let i = 0; i < 2; i++) {
      const res = await worker(path, { headers: { cookie }, redirect: "manual" });
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("x-edge-cache")).toBeNull();
      const html = await res.text();
      expect(html).toContain('<html lang="ja">');
      expect(html).toContain('class="candidate');
    }
    const csv = await worker(path.replace("/staff/finder", "/staff/finder.csv"), {
      headers: { cookie },
      redirect: "manual",
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-disposition")).toMatch(
      /^attachment; filename="partner-finder-DE-/,
    );
  });
});
