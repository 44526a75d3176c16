// Names that exist on every plain object (`__proto__`, `constructor`, `toString`, ...) are
// ordinary unknown names at the boundary: a 400 problem naming them, never a 500.
import { describe, expect, it } from "vitest";
import { appOf, rawProfile, TOKEN } from "../helpers.js";

const { app } = appOf([rawProfile()]);
const NAMES = Object.getOwnPropertyNames(Object.prototype);

interface Problem {
  code: string;
  errors?: { name: string; in: string; reason: string }[];
}

async function problem(r: Response): Promise<Problem> {
  expect(r.status).toBe(400);
  expect(r.headers.get("content-type")).toBe("application/problem+json");
  return (await r.json()) as Problem;
}

function post(body: string) {
  return app.request("/v1/match", {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body,
  });
}

describe("Object.prototype names", () => {
  it("covers the names a plain object inherits", () => {
    expect(NAMES).toEqual(expect.arrayContaining(["__proto__", "constructor", "toString"]));
  });

  it.each(NAMES)("?%s=1 on the directory is a 400 naming it", async (name) => {
    const p = await problem(await app.request(`/v1/directory/partners?${name}=1`));
    expect(p.code).toBe("invalid_request");
    expect(p.errors).toContainEqual({ name, in: "query", reason: "unknown parameter" });
  });

  it.each(NAMES)("?%s repeated, beside a valid parameter, is a 400 naming it", async (name) => {
    const p = await problem(
      await app.request(`/v1/directory/partners?tier=gold&${name}=a&${name}=b`),
    );
    expect(p.errors?.map((e) => e.name)).toEqual([name]);
  });

  it.each(NAMES)("customer.%s in a match body is a 400 naming it", async (name) => {
    const p = await problem(await post(`{"customer":{"country":"DE","${name}":1}}`));
    expect(p.code).toBe("invalid_request");
    expect(p.errors).toContainEqual({
      name: `customer.${name}`,
      in: "body",
      reason: "unknown field",
      pointer: `#/customer/${name}`,
    });
  });

  it.each(NAMES)("%s at the top of a match body is a 400 naming it", async (name) => {
    const p = await problem(await post(`{"customer":{"country":"DE"},"${name}":1}`));
    expect(p.errors?.map((e) => e.name)).toEqual([name]);
  });
});
