// The served /openapi.json is the contract: for generated requests, valid and invalid, a JSON
// Schema validator (ajv) over the document accepts exactly the requests the service accepts.
// Query and path parameters are deserialized as OpenAPI says (style form, explode: an array
// parameter collects every value; an integer parameter is a number only when written as a
// canonical decimal integer), bodies are the requestBody schema. 200 seeded cases per endpoint.
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { appOf, rawProfile, TOKEN } from "../helpers.js";
import { partner, qualifiedPartner } from "../ranking/match-fixtures.js";

/** 200 in the test run; `npm run fuzz` sets FUZZ_RUNS=10000 and a fresh seed (printed). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20_260_101;
if (process.env.FUZZ_RUNS) console.log(`fuzz: ${RUNS} requests per endpoint, seed ${SEED}`);

const { app } = appOf([
  rawProfile({ id: "a", name: "Alpha CRM", tier: "gold" }),
  rawProfile({ id: "b", name: "Beta Web", accreditations: [], tier: "elite" }),
  partner("acc-1"),
  qualifiedPartner("qual-1"),
  partner("unlisted", { directoryListed: false }),
  partner("jp", { locations: [{ country: "JP", city: "Tokyo" }], markets: ["JP"] }),
]);
const KNOWN_IDS = ["a", "b", "acc-1", "qual-1", "unlisted", "jp", "p-000123"];
const AUTH = { authorization: `Bearer ${TOKEN}` };
const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);

// --- The document, as a client reads it -------------------------------------------------------

interface Schema {
  type?: string;
  enum?: string[];
  items?: Schema;
  minimum?: number;
  maximum?: number;
}
interface Parameter {
  name: string;
  in: "query" | "path" | "header" | "cookie";
  required?: boolean;
  schema: Schema;
  style?: string;
  explode?: boolean;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: unknown }> };
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

let doc: Doc;
let ajv: Ajv2020;
const DOC_ID = "openapi.json";

beforeAll(async () => {
  // The whole description (public and staff endpoints), served behind the staff token.
  doc = (await (await app.request("/v1/staff/openapi.json", { headers: AUTH })).json()) as Doc;
  ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  ajv.addSchema(doc as object, DOC_ID);
});

const pointer = (...parts: (string | number)[]) =>
  parts.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

function operation(path: string, method: string): Operation {
  const op = doc.paths[path]?.[method];
  if (!op) throw new Error(`${method} ${path} is not in the document`);
  return op;
}

/** An object schema over one location's parameters: each by name, unknown names refused. */
function parametersValidator(path: string, method: string, where: "query" | "path") {
  const params = (operation(path, method).parameters ?? []).flatMap((p, i) =>
    p.in === where ? [{ p, i }] : [],
  );
  return ajv.compile({
    type: "object",
    properties: Object.fromEntries(
      params.map(({ p, i }) => [
        p.name,
        { $ref: `${DOC_ID}#/${pointer("paths", path, method, "parameters", i, "schema")}` },
      ]),
    ),
    required: params.filter(({ p }) => p.required).map(({ p }) => p.name),
    additionalProperties: false,
  });
}

function bodyValidator(path: string, method: string): ValidateFunction {
  const at = pointer("paths", path, method, "requestBody", "content", "application/json", "schema");
  return ajv.compile({ $ref: `${DOC_ID}#/${at}` });
}

/** One parameter's value per OpenAPI: a scalar from its only value, an integer only if canonical. */
function scalar(value: string, schema: Schema | undefined): unknown {
  const t = schema?.type;
  return (t === "integer" || t === "number") && /^-?\d+$/.test(value) ? Number(value) : value;
}

/** The query as OpenAPI form/explode deserializes it: arrays collect, scalars given twice stay a list. */
function deserializeQuery(url: string, params: Parameter[] = []): Record<string, unknown> {
  const byName = new Map(params.filter((p) => p.in === "query").map((p) => [p.name, p.schema]));
  const values = new Map<string, string[]>();
  for (const [k, v] of new URL(url, "http://localhost").searchParams) {
    values.set(k, [...(values.get(k) ?? []), v]);
  }
  // fromEntries defines own properties, so `__proto__` is a name like any other.
  return Object.fromEntries(
    [...values].map(([name, vs]) => {
      const schema = byName.get(name);
      if (schema?.type === "array") return [name, vs.map((v) => scalar(v, schema.items))];
      return [name, vs.length === 1 ? scalar(vs[0] as string, schema) : vs];
    }),
  );
}

// --- Generated values -------------------------------------------------------------------------

const enumOf = (p: Parameter | undefined): string[] =>
  p?.schema.items?.enum ?? p?.schema.enum ?? [];
const queryParam = (name: string) =>
  operation("/v1/directory/partners", "get").parameters?.find((p) => p.name === name);

/** Strings a client might send by mistake. */
const junk = fc.oneof(
  fc.constantFrom("", " ", "xx", "XX", "1", "-1", "true", "null", "a,b", "%", "é", "😀"),
  fc.constantFrom(...PROTO_NAMES),
  fc.string({ maxLength: 12 }),
);
/** Canonical codes spoilt: other case, mixed case, padded, joined, truncated. */
const spoiltCode = (codes: string[]) =>
  fc
    .constantFrom(...codes)
    .chain((c) =>
      fc.constantFrom(
        c.toUpperCase(),
        c.toLowerCase(),
        c.charAt(0).toUpperCase() + c.slice(1).toLowerCase(),
        ` ${c}`,
        `${c} `,
        `${c},${c}`,
        c.slice(0, -1),
        `${c}x`,
      ),
    );
const integerText = (min: number, max: number) =>
  fc.oneof(
    fc.integer({ min, max }).map(String),
    fc.constantFrom(min - 1, max + 1, 0, -1, 10 * max, 2 ** 53).map(String),
    fc
      .integer({ min, max })
      .chain((n) =>
        fc.constantFrom(`0${n}`, `${n}.0`, `${n}.5`, `+${n}`, ` ${n}`, `${n} `, `${n}e0`, `0x${n}`),
      ),
    fc.constantFrom("", "abc", "1e2", "NaN", "Infinity", "-0"),
  );
/** Text of about `max` characters, some of them outside the BMP (two UTF-16 units each). */
const textAround = (max: number) =>
  fc.string({
    unit: fc.constantFrom("a", "z", " ", "é", "ß", "東", "😀", "𝄞"),
    minLength: max - 3,
    maxLength: max + 3,
  });

type Pair = [string, string];

/** `near` values: decimal degrees on and inside the globe's edges. */
const degrees = (max: number) =>
  fc.oneof(
    fc.integer({ min: -max, max }).map(String),
    fc.double({ min: -max, max, noNaN: true }).map((x) => x.toFixed(4)),
    fc.constantFrom(`${max}`, `-${max}`, `${max}.0`, "0", "-0"),
  );
const nearText = fc.tuple(degrees(90), degrees(180)).map(([lat, lon]) => `${lat},${lon}`);
/** `near` values a client might get wrong: off the globe, swapped, spaced, not two numbers. */
const badNearText = fc.oneof(
  fc.constantFrom("90.5,0", "-91,0", "0,180.01", "0,-181", "1e1,2", "1,2,3", "1;2", "1, 2"),
  fc.constantFrom("+1,2", " 1,2", "1,2 ", ".5,1", "1.,2", "01,2", "", "near", "NaN,0"),
  fc.tuple(degrees(180), degrees(180)).map(([a, b]) => `${b},${a}`),
);

/** The directory's repeatable parameters, written out here rather than read from the code. */
const LIST_PARAMS = [
  "country",
  "language",
  "industry",
  "service",
  "product",
  "customerSize",
  "tier",
];

function directoryPairs(): fc.Arbitrary<Pair[]> {
  const listNames = LIST_PARAMS;
  const validList = fc
    .constantFrom(...listNames)
    .chain((n) =>
      fc
        .array(fc.constantFrom(...enumOf(queryParam(n))), { minLength: 1, maxLength: 3 })
        .map((vs) => vs.map((v): Pair => [n, v])),
    );
  const maxPage = queryParam("page")?.schema.maximum ?? 1;
  const maxSize = queryParam("pageSize")?.schema.maximum ?? 1;
  const validScalar = fc.oneof(
    fc.string({ maxLength: 20 }).map((v): Pair => ["q", v]),
    textAround(200).map((v): Pair => ["q", v]),
    fc.constantFrom(...enumOf(queryParam("accredited"))).map((v): Pair => ["accredited", v]),
    fc.constantFrom(...enumOf(queryParam("sort"))).map((v): Pair => ["sort", v]),
    fc.integer({ min: 1, max: maxPage }).map((v): Pair => ["page", String(v)]),
    fc.integer({ min: 1, max: maxSize }).map((v): Pair => ["pageSize", String(v)]),
    nearText.map((v): Pair => ["near", v]),
    fc.integer({ min: 1, max: 1000 }).map((v): Pair => ["radiusKm", String(v)]),
    fc.integer({ min: 0, max: 1e7 }).map((v): Pair => ["budgetUsd", String(v)]),
  );
  const invalid = fc.oneof(
    fc
      .constantFrom(...listNames)
      .chain((n) => fc.oneof(spoiltCode(enumOf(queryParam(n))), junk).map((v): Pair => [n, v])),
    integerText(1, maxPage).map((v): Pair => ["page", v]),
    integerText(1, maxSize).map((v): Pair => ["pageSize", v]),
    fc.constantFrom("TRUE", "1", "yes", "").map((v): Pair => ["accredited", v]),
    fc.constantFrom("price", "Name", "", "relevance,name").map((v): Pair => ["sort", v]),
    badNearText.map((v): Pair => ["near", v]),
    integerText(1, 1000).map((v): Pair => ["radiusKm", v]),
    integerText(0, 1e7).map((v): Pair => ["budgetUsd", v]),
    fc
      .oneof(
        fc.constantFrom(...PROTO_NAMES, "colour", "utm_source", "Q", "page[]", "tier[]", "near"),
        fc.string({ minLength: 1, maxLength: 8 }),
      )
      .chain((n) => junk.map((v): Pair => [n, v])),
  );
  // More values of one filter than the document allows.
  const tooMany = fc
    .constantFrom(...listNames)
    .map((n): Pair[] => Array.from({ length: 51 }, () => [n, enumOf(queryParam(n))[0] as string]));
  // A scalar given twice: the same value or another.
  const repeated = validScalar.chain(([n, v]) =>
    validScalar.filter(([m]) => m === n).map((w): Pair[] => [[n, v], w]),
  );
  const valid = fc
    .array(
      fc.oneof(
        validList,
        validScalar.map((p) => [p]),
      ),
      { maxLength: 4 },
    )
    .map((groups) => {
      // A valid query gives each scalar at most once: keep the first.
      const seen = new Set<string>();
      return groups
        .flat()
        .filter(([n]) => listNames.includes(n) || (!seen.has(n) && !!seen.add(n)));
    });
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          valid,
          fc.oneof(
            invalid.map((p) => [p]),
            repeated,
            tooMany,
          ),
        )
        .map(([a, b]) => [...a, ...b]),
    },
  );
}

const queryString = (pairs: Pair[]) =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");

const wellFormed = (s: string) => {
  try {
    encodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
};

function idArbitrary(): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom(...KNOWN_IDS),
      fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/),
      fc.constantFrom(
        ...PROTO_NAMES,
        "-a",
        "_a",
        ".a",
        "a b",
        "a/b",
        "a%b",
        "ä",
        "😀",
        "a".repeat(65),
      ),
      fc.string({ minLength: 1, maxLength: 70 }),
      fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{60,70}$/),
    )
    .filter((id) => id !== "." && id !== ".." && wellFormed(id));
}

// The match body: a valid customer, then (for most cases) one spoilt field.
function matchBodies(): fc.Arbitrary<unknown> {
  const schema = doc.components.schemas.MatchRequest as {
    properties: {
      customer: { properties: Record<string, { enum?: string[]; items?: { enum?: string[] } }> };
      motion: { enum: string[] };
    };
  };
  const cp = schema.properties.customer.properties;
  const codes = (name: string) => cp[name]?.enum ?? cp[name]?.items?.enum ?? [];
  const list = (name: string) => fc.array(fc.constantFrom(...codes(name)), { maxLength: 3 });
  const coordinate = (limit: number) => fc.double({ min: -limit, max: limit, noNaN: true });
  const customer = fc.record(
    {
      country: fc.constantFrom(...codes("country"), "DE", "de", "JP", "US", "FR"),
      languages: list("languages"),
      industry: fc.constantFrom(...codes("industry")),
      companySize: fc.constantFrom(...codes("companySize")),
      products: list("products"),
      needs: list("needs"),
      location: fc.record({ lat: coordinate(90), lon: coordinate(180) }),
      partnerOfRecord: fc.oneof(
        fc.constantFrom(...KNOWN_IDS),
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/),
      ),
      id: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), textAround(200)),
    },
    { requiredKeys: ["country"] },
  );
  const valid = fc.record(
    {
      customer,
      motion: fc.constantFrom(...schema.properties.motion.enum),
      limit: fc.integer({ min: 1, max: 50 }),
    },
    { requiredKeys: ["customer"] },
  );
  const anyJson = fc.oneof(
    fc.constantFrom(null, true, 0, 1.5, -1, 51, "", "x", [], {}, ["de"], { lat: 1 }),
    junk,
  );
  const spoilt: fc.Arbitrary<[string[], unknown]> = fc.oneof(
    fc
      .constantFrom("country", "industry", "companySize")
      .chain((f) =>
        fc
          .oneof(spoiltCode(codes(f)), junk, anyJson)
          .map((v): [string[], unknown] => [["customer", f], v]),
      ),
    fc.constantFrom("languages", "products", "needs").chain((f) =>
      fc
        .oneof(
          fc.oneof(spoiltCode(codes(f)), junk).map((v) => [v]),
          fc.constantFrom(...codes(f)),
          fc.array(fc.constantFrom(...codes(f)), { minLength: 51, maxLength: 52 }),
          anyJson,
        )
        .map((v): [string[], unknown] => [["customer", f], v]),
    ),
    fc
      .oneof(
        fc.record({ lat: fc.double({ noNaN: true }), lon: fc.double({ noNaN: true }) }),
        fc.record({ lat: coordinate(90) }),
        fc.record({ lat: coordinate(90), lon: coordinate(180), alt: fc.integer() }),
        fc.constantFrom({ lat: 90.000001, lon: 0 }, { lat: 0, lon: -180.5 }, { lat: "1", lon: 2 }),
        anyJson,
      )
      .map((v): [string[], unknown] => [["customer", "location"], v]),
    fc
      .oneof(idArbitrary(), anyJson)
      .map((v): [string[], unknown] => [["customer", "partnerOfRecord"], v]),
    fc
      .oneof(fc.constant(""), textAround(200), anyJson)
      .map((v): [string[], unknown] => [["customer", "id"], v]),
    fc
      .oneof(spoiltCode(schema.properties.motion.enum), junk, anyJson)
      .map((v): [string[], unknown] => [["motion"], v]),
    fc
      .oneof(
        fc.constantFrom(0, 51, 2.5, -1, 1e9, "10", null),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
      )
      .map((v): [string[], unknown] => [["limit"], v]),
    fc
      .tuple(
        fc.constantFrom([], ["customer"], ["customer", "location"]),
        fc.oneof(
          fc.constantFrom(...PROTO_NAMES, "sort", "budget", "Country", ""),
          fc.string({ maxLength: 8 }),
        ),
        anyJson,
      )
      .map(([at, key, v]): [string[], unknown] => [[...at, key], v]),
    fc.constant<[string[], unknown]>([["customer"], undefined]),
    fc.constant<[string[], unknown]>([["customer", "country"], undefined]),
  );
  const whole = fc.constantFrom<unknown>(null, [], "x", 1, [{ customer: { country: "DE" } }], {});
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    {
      weight: 3,
      arbitrary: fc.tuple(valid, spoilt).map(([body, [path, v]]) => setAt(body, path, v)),
    },
    { weight: 1, arbitrary: whole },
  );
}

/** A copy of `obj` with the value at `path` set (or removed when `value` is undefined). */
function setAt(obj: unknown, path: string[], value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  const base = obj && typeof obj === "object" && !Array.isArray(obj) ? obj : {};
  const inner =
    rest.length === 0 ? value : setAt((base as Record<string, unknown>)[head], rest, value);
  // fromEntries defines own properties, so a key such as `__proto__` is sent as a key.
  const entries = Object.entries(base).filter(([k]) => k !== head);
  return Object.fromEntries(inner === undefined ? entries : [...entries, [head, inner]]);
}

// --- The property -----------------------------------------------------------------------------

type Verdict = "accepted" | "rejected";

interface Tally {
  accepted: number;
  rejected: number;
}

/**
 * Runs RUNS generated requests. For each, ajv's verdict over the document must be the service's:
 * an accepted status (as `acceptedStatus` says) exactly when ajv accepts, 400 exactly when it
 * rejects. Both kinds must be well represented, so neither side can pass by accepting all.
 */
async function conforms<T>(
  arbitrary: fc.Arbitrary<T>,
  send: (input: T) => Response | Promise<Response>,
  documented: (input: T) => { valid: boolean; errors: unknown },
  acceptedStatus: (r: Response, body: { code?: string }) => boolean,
) {
  const tally: Tally = { accepted: 0, rejected: 0 };
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const r = await send(input);
      const body = (await r.json()) as { code?: string; errors?: unknown };
      const service: Verdict | `status ${number}` =
        r.status === 400 ? "rejected" : acceptedStatus(r, body) ? "accepted" : `status ${r.status}`;
      const ajvSays = documented(input);
      const why = JSON.stringify({ input, ajv: ajvSays.errors, service: body.errors ?? body });
      // No answer leaks a stack trace or a source location.
      expect(JSON.stringify(body), why).not.toMatch(/\\n\s+at |node_modules|\.tsx?:\d+/);
      expect(service, why).toBe(ajvSays.valid ? "accepted" : "rejected");
      if (service === "rejected") {
        expect(body.errors, why).toEqual(
          expect.arrayContaining([expect.objectContaining({ name: expect.any(String) })]),
        );
      }
      tally[service === "accepted" ? "accepted" : "rejected"]++;
    }),
    { numRuns: RUNS, seed: SEED },
  );
  expect(tally.accepted + tally.rejected).toBe(RUNS);
  expect(tally.accepted).toBeGreaterThanOrEqual(RUNS / 5);
  expect(tally.rejected).toBeGreaterThanOrEqual(RUNS / 5);
  return tally;
}

const ok = (r: Response) => r.status === 200;
const okOr404 = (r: Response, b: { code?: string }) =>
  r.status === 200 || (r.status === 404 && b.code === "not_found");

describe(`the served /openapi.json accepts exactly what the service accepts (${RUNS} generated requests per endpoint)`, () => {
  it(`GET /v1/directory/partners: 200 when ajv accepts the form/explode-deserialized query, 400 when it rejects`, async () => {
    const path = "/v1/directory/partners";
    const check = parametersValidator(path, "get", "query");
    const params = operation(path, "get").parameters;
    await conforms(
      directoryPairs(),
      (pairs) => app.request(`${path}?${queryString(pairs)}`),
      (pairs) => {
        const query = deserializeQuery(`?${queryString(pairs)}`, params);
        const valid = check(query);
        // The dependencies the document states in words (JSON Schema cannot relate parameters).
        const needsNear = query.sort === "distance" || query.radiusKm !== undefined;
        return { valid: valid && !(needsNear && query.near === undefined), errors: check.errors };
      },
      ok,
    );
  });

  for (const [path, headers] of [
    ["/v1/directory/partners/{id}", {}],
    ["/v1/staff/partners/{id}", AUTH],
  ] as const) {
    it(`GET ${path}: 200/404 when ajv accepts the id path parameter, 400 when it rejects`, async () => {
      const check = parametersValidator(path, "get", "path");
      const params = operation(path, "get").parameters ?? [];
      const schema = params.find((p) => p.name === "id")?.schema;
      await conforms(
        idArbitrary(),
        (id) => app.request(path.replace("{id}", encodeURIComponent(id)), { headers }),
        (id) => {
          const valid = check({ id: scalar(id, schema) });
          return { valid, errors: check.errors };
        },
        okOr404,
      );
    });
  }

  it("POST /v1/match: 200 (or 422 market_not_offered) when ajv accepts the JSON body, 400 when it rejects", async () => {
    const check = bodyValidator("/v1/match", "post");
    await conforms(
      matchBodies(),
      (body) =>
        app.request("/v1/match", {
          method: "POST",
          headers: { ...AUTH, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      (body) => {
        // What the service receives is the JSON text, so validate what it parses back to.
        const valid = check(JSON.parse(JSON.stringify(body)));
        return { valid, errors: check.errors };
      },
      (r, b) => r.status === 200 || (r.status === 422 && b.code === "market_not_offered"),
    );
  });

  for (const path of ["/healthz", "/readyz"]) {
    it(`GET ${path}: 200 when ajv accepts the query (no parameters declared), 400 when it rejects`, async () => {
      const check = parametersValidator(path, "get", "query");
      const pairs = fc.oneof(
        fc.constant<Pair[]>([]),
        fc.array(
          fc.tuple(
            fc.oneof(
              fc.constantFrom(...PROTO_NAMES, "v", "_", "q"),
              fc.string({ minLength: 1, maxLength: 6 }),
            ),
            junk,
          ),
          { minLength: 1, maxLength: 3 },
        ),
      );
      await conforms(
        pairs,
        (ps) => app.request(ps.length > 0 ? `${path}?${queryString(ps)}` : path),
        (ps) => {
          const valid = check(
            deserializeQuery(`?${queryString(ps)}`, operation(path, "get").parameters),
          );
          return { valid, errors: check.errors };
        },
        ok,
      );
    });
  }
});

describe("the served document says what the service enforces", () => {
  it("documents repeatable filters as form/explode arrays and page sizes as bounded integers", () => {
    const params = operation("/v1/directory/partners", "get").parameters ?? [];
    const byName = Object.fromEntries(params.map((p) => [p.name, p]));
    for (const n of LIST_PARAMS) {
      expect(byName[n]).toMatchObject({
        in: "query",
        style: "form",
        explode: true,
        schema: { type: "array" },
      });
    }
    expect(byName.page?.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 200 });
    expect(byName.pageSize?.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 50 });
    for (const n of ["q", "accredited", "sort"]) expect(byName[n]?.schema.type).toBe("string");
    const countries = byName.country?.schema.items?.enum ?? [];
    expect(countries).toEqual(expect.arrayContaining(["DE", "de"]));
    expect(countries).not.toContain(" DE");
  });

  it("documents the match body as strict, with ranges, patterns and enums", () => {
    const body = doc.components.schemas.MatchRequest as Record<string, never>;
    expect(body).toMatchObject({
      additionalProperties: false,
      required: ["customer"],
      properties: {
        customer: {
          additionalProperties: false,
          required: ["country"],
          properties: {
            location: {
              additionalProperties: false,
              properties: {
                lat: { minimum: -90, maximum: 90 },
                lon: { minimum: -180, maximum: 180 },
              },
            },
            partnerOfRecord: { pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$" },
          },
        },
        motion: { enum: ["difm", "upmarket_referral", "partner_collaboration"] },
        limit: { type: "integer", minimum: 1, maximum: 50 },
      },
    });
  });

  it("documents the id path parameters with their pattern and length", () => {
    for (const path of ["/v1/directory/partners/{id}", "/v1/staff/partners/{id}"]) {
      expect(operation(path, "get").parameters?.find((p) => p.name === "id")).toMatchObject({
        in: "path",
        required: true,
        schema: { pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", minLength: 1, maxLength: 64 },
      });
    }
  });
});
