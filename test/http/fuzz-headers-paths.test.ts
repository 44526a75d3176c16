// Hostile headers, paths and methods against every route of the app (the conformance test fuzzes
// queries and bodies): Content-Type variants (malformed, huge), Accept, Accept-Encoding,
// Authorization garbage, If-None-Match garbage, very long and non-ASCII values, forwarded
// addresses and origins; path segments percent-encoded, malformed, dot segments, doubled
// slashes, very long ids, Object.prototype names; any method. Whatever arrives:
// - never a 5xx;
// - a 4xx from the API is application/problem+json whose `code` is one of the error table's,
//   with the status that code stands for, and no stack trace or internal message;
// - an error body stays under 8 KB (paths here are at most ~2 KB; see the pinned test at the end
//   for longer ones);
// - no answer outside the staff endpoints carries an internal value, and public profiles carry
//   only allow-listed fields; a staff endpoint (as the router sees the path, percent-decoded)
//   answers 200 only to the configured token, and never without `Cache-Control: no-store`.
// The endpoints come from the app's route table, so a new route is fuzzed without a change here.
// FUZZ_RUNS requests per endpoint (200 in the test run; `npm run fuzz` runs 10,000, FUZZ_SEED);
// FUZZ_STATUSES=1 prints the statuses each endpoint answered.
import fc from "fast-check";
import { getPath } from "hono/utils/url";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app.js";
import { isStaffPath } from "../../src/http/openapi-docs.js";
import { PROBLEMS, type ProblemCode } from "../../src/http/problem.js";
import type { Logger } from "../../src/lib/logger.js";
import { backendOf, catalog, PUBLIC_KEYS, policy, rawProfile, TOKEN } from "../helpers.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20_261_202;
if (process.env.FUZZ_RUNS) console.log(`fuzz headers/paths: ${RUNS} per endpoint, seed ${SEED}`);

const MAX_ERROR_BYTES = 8 * 1024;
const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);
const PUBLIC = new Set([...PUBLIC_KEYS, "rank"]);

// --- The app: partners whose internal values are sentinels no text contains -------------------

const SENTINELS = ["notezqxjvk", "mailzqxjvk", "918273.51", "827364.29", "0.123457", "7.654321"];
const internal = {
  soldMrr12m: 918_273.51,
  managedMrr: 827_364.29,
  retention: 0.123457,
  toolUsageIndex: 7.654321,
  trackRecord: { products: { sales_hub: 90_001 }, industries: {}, customerSizes: {} },
  capacity: { acceptingReferrals: true, maxOpenReferrals: 70_007, openReferrals: 60_006 },
  notes: "notezqxjvk",
  contactEmails: ["mailzqxjvk@leak.example"],
};
const KNOWN_IDS = ["a", "b", "unlisted", "jp"];
const backend = backendOf([
  rawProfile({ id: "a", internal }),
  rawProfile({ id: "b", tier: "elite", accreditations: [], internal }),
  rawProfile({ id: "unlisted", directoryListed: false, internal }),
  rawProfile({
    id: "jp",
    locations: [{ country: "JP", city: "Tokyo" }],
    markets: ["JP"],
    internal,
  }),
]);

/** Errors the app logged as unhandled: the cause of any 500. */
const logged: unknown[] = [];
const logger: Logger = {
  info() {},
  warn() {},
  error: (msg, data) => logged.push({ msg, ...data }),
};

// Two stacks: the tests' plain one, and one with every optional middleware on (CORS, both rate
// limiters keyed by a header, as on Workers), with limits no run reaches.
const ADMIN = "fuzz-admin-token-0123456789abcdef";
const admin = { tokens: [ADMIN], maxBodyBytes: 1024 * 1024 };
const apps = {
  plain: createApp({ backend, catalog, policy, matchTokens: [TOKEN], admin, logger }),
  full: createApp({
    backend,
    catalog,
    policy,
    matchTokens: [TOKEN],
    admin,
    logger,
    corsOrigins: ["https://www.example.com"],
    rateLimits: {
      publicPerMinute: 1e9,
      staffPerMinute: 1e9,
      clientAddress: (c) => c.req.header("cf-connecting-ip"),
    },
  }),
};

/** Every route of the table (method and path), middleware excluded. */
const ROUTES = [
  ...new Map(
    apps.plain.routes
      .filter((r) => r.method !== "ALL")
      .map((r) => [`${r.method} ${r.path}`, { method: r.method, path: r.path }]),
  ).values(),
];

// --- Generated values -------------------------------------------------------------------------

/** What a server reads of a value a client sent as UTF-8: its bytes, one character each. */
const asLatin1 = (s: string) => Buffer.from(s, "utf8").toString("latin1");
/** No NUL, CR or LF: no client can send them inside a header value. */
const sendable = (s: string) => s.replace(/[\0\r\n]/g, "");

const long = (min: number, max: number, unit = "a") =>
  fc.integer({ min, max }).map((n) => unit.repeat(n));

const headerValue = fc
  .oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "binary-ascii", maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 20 }).map(asLatin1),
    fc.constantFrom(...PROTO_NAMES, "", " ", ",", ";", "=", '"', "\t", "%00", "ÿ", "null"),
    long(1_000, 12_000),
    long(500, 3_000, "😀").map(asLatin1),
  )
  .map(sendable);

const contentType = fc.oneof(
  { weight: 4, arbitrary: fc.constant("application/json") },
  // What the admin push takes (and variants it refuses).
  { weight: 2, arbitrary: fc.constant("application/x-ndjson") },
  fc.constantFrom(
    "application/ndjson",
    "application/x-ndjson; charset=utf-8",
    "application/x-ndjson; charset=latin1",
    "APPLICATION/X-NDJSON",
    "application/x-ndjsonx",
  ),
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON",
    "application/problem+json",
    "application/vnd.api+json",
    "application/json;",
    "application/json; charset",
    'application/json; charset="',
    "application/json ; charset=utf-8",
    "application/json;charset=utf-16",
    "application/jsonp",
    "text/plain",
    "text/json",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=----x",
    "*/*",
    ";",
    "json",
  ),
  fc.integer({ min: 1, max: 2_000 }).map((n) => `application/json${"; a=b".repeat(n)}`),
  fc
    .integer({ min: 1, max: 2_000 })
    .map((n) => `application/json;${" ".repeat(n)}a=${";".repeat(n % 7)}`),
  long(100, 10_000).map((a) => `application/${a}+json`),
  headerValue,
);

const authorization = fc.oneof(
  { weight: 4, arbitrary: fc.constant(`Bearer ${TOKEN}`) },
  { weight: 2, arbitrary: fc.constant(`Bearer ${ADMIN}`) },
  fc.constantFrom(
    `bearer ${TOKEN}`,
    `Bearer  ${TOKEN}`,
    `Bearer ${TOKEN} `,
    `Bearer ${TOKEN}x`,
    `Bearer ${TOKEN.slice(0, -1)}`,
    `Bearer ${TOKEN}, Bearer x`,
    "Basic dXNlcjpwYXNz",
    "Bearer",
    "Bearer ",
    "Bearer =",
    'Digest username="x"',
  ),
  headerValue.map((v) => `Bearer ${v}`),
  headerValue,
);

const ifNoneMatch = fc.oneof(
  fc.constantFrom("*", '"x"', 'W/"x"', '"', "W/", ", ,", '"a", "b"', 'W/"', '""'),
  fc
    .array(fc.stringMatching(/^[0-9a-f]{40}$/), { maxLength: 200 })
    .map((tags) => tags.map((t) => `"${t}"`).join(", ")),
  headerValue,
);

const headers: fc.Arbitrary<Record<string, string>> = fc
  .tuple(
    fc.record(
      {
        accept: fc.oneof(
          fc.constantFrom("*/*", "application/json", "application/problem+json", "text/html"),
          fc.constantFrom("application/xml", "image/*;q=0", "*/*;q=foo", "text/html;level=1;q=0.5"),
          headerValue,
        ),
        "accept-encoding": fc.oneof(
          fc.constantFrom("gzip", "br", "zstd", "gzip, deflate, br", "identity;q=0", "*;q=0"),
          headerValue,
        ),
        "accept-language": fc.oneof(fc.constantFrom("de", "ja-JP,ja;q=0.9", "*"), headerValue),
        "if-none-match": ifNoneMatch,
        "if-modified-since": fc.oneof(
          fc.constantFrom("Thu, 01 Jan 1970 00:00:00 GMT"),
          headerValue,
        ),
        origin: fc.oneof(
          fc.constantFrom("https://www.example.com", "null", "https://evil.example"),
          headerValue,
        ),
        "access-control-request-method": fc.oneof(fc.constantFrom("GET", "POST"), headerValue),
        "access-control-request-headers": headerValue,
        "cf-connecting-ip": fc.oneof(fc.constantFrom("203.0.113.9", "::1"), headerValue),
        "x-forwarded-for": headerValue,
        "content-encoding": fc.oneof(fc.constantFrom("gzip", "br", "deflate"), headerValue),
        "x-http-method-override": fc.constantFrom("DELETE", "PUT", "GET"),
        range: fc.oneof(fc.constantFrom("bytes=0-10", "bytes=-1"), headerValue),
        cookie: headerValue,
      },
      { requiredKeys: [] },
    ),
    fc.array(fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), headerValue), { maxLength: 3 }),
    // The two that decide whether a staff request gets past its gates: present more often.
    fc.option(authorization, { freq: 4, nil: undefined }),
    fc.option(contentType, { freq: 4, nil: undefined }),
  )
  .map(([known, extra, auth, type]) => ({
    ...Object.fromEntries(extra),
    ...known,
    ...(auth !== undefined ? { authorization: auth } : {}),
    ...(type !== undefined ? { "content-type": type } : {}),
  }));

/** One path segment where a route takes an id. */
const idSegment = fc.oneof(
  fc.constantFrom(...KNOWN_IDS),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/),
  fc.constantFrom(
    ...PROTO_NAMES,
    "..",
    ".",
    "%2e%2e",
    "%2E",
    "%2F",
    "a%2Fb",
    "%5C",
    "%00",
    "%0A",
    "%",
    "%Z1",
    "%E0%A4%A",
    "%C0%AE",
    "%FF%FE",
    "%u002e",
    "a;b",
    "a?b",
    "a#b",
    "~",
    "@",
    "a:b",
    "",
  ),
  fc.string({ unit: "grapheme", maxLength: 30 }).map(encodeURIComponent),
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{60,70}$/),
  long(65, 2_000),
);

/** A path changed the ways a client or an attacker might change it. */
function mutate(path: string, how: number, at: number): string {
  const cut = path.length > 0 ? at % path.length : 0;
  switch (how) {
    case 0:
      return `/${path}`;
    case 1:
      return `${path.slice(0, cut)}/${path.slice(cut)}`;
    case 2:
      return `${path}/`;
    case 3:
      return `${path}/./`;
    case 4:
      return `${path}/..`;
    case 5:
      return `/x/..${path}`;
    case 6:
      return `${path}/%2e%2e/%2E`;
    case 7:
      // One character percent-encoded: `/v1` as `/%76%31`.
      return [...path]
        .map((c, i) =>
          i % 3 === at % 3 && c !== "/"
            ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`
            : c,
        )
        .join("");
    case 8:
      return path.toUpperCase();
    case 9:
      return `${path}/${PROTO_NAMES[at % PROTO_NAMES.length]}`;
    case 10:
      return path.replaceAll("/", "\\");
    case 11:
      return `${path};jsessionid=1`;
    default:
      return path;
  }
}

function pathFor(template: string): fc.Arbitrary<string> {
  const segments = template.split("/").map((s) => (s.startsWith(":") ? idSegment : fc.constant(s)));
  return fc
    .tuple(fc.tuple(...segments), fc.integer({ min: 0, max: 30 }), fc.nat())
    .map(([segs, how, at]) => mutate(segs.join("/"), how, at));
}

/** Any path at all: none of the routes, or a route's prefix or neighbour. */
const anyPath = fc.oneof(
  fc.constantFrom(
    "/",
    "/v1",
    "/v1/",
    "/v2/directory/partners",
    "/v1/staff",
    "/v1/staff/",
    "/favicon.ico",
  ),
  fc.constantFrom(
    "/.env",
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/v1/directory/partners/a/b",
  ),
  fc.array(idSegment, { minLength: 1, maxLength: 6 }).map((s) => `/${s.join("/")}`),
  long(100, 2_000).map((a) => `/${a}`),
);

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND", "MKCOL"];
const method = (own: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constant(own) },
    fc.constantFrom(...METHODS, "M-SEARCH", "PURGE", "get", "Post", "FOO"),
  );

const body = fc.option(
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '{"customer":{"country":"DE"}}',
        '{"customer":{"country":"US","languages":["en"]},"limit":3}',
      ),
    },
    fc.constantFrom(
      '{"customer":{"country":"DE"}}',
      '{"customer":{"country":"JP"}}',
      "",
      "{",
      "null",
      "[]",
      '{"__proto__":{"x":1}}',
    ),
    fc.string({ unit: "grapheme", maxLength: 200 }),
    fc
      .integer({ min: 65 * 1024, max: 80 * 1024 })
      .map((n) => `{"customer":{"id":"${"a".repeat(n)}"}}`),
  ),
  { nil: undefined },
);

interface Case {
  app: keyof typeof apps;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function cases(path: fc.Arbitrary<string>, own: string): fc.Arbitrary<Case> {
  return fc
    .record({
      app: fc.constantFrom<keyof typeof apps>("plain", "full"),
      method: method(own),
      path,
      headers,
      body,
    })
    .map((c) => {
      const canHaveBody = !["GET", "HEAD"].includes(c.method.toUpperCase());
      const { body: b, ...rest } = c;
      return canHaveBody && b !== undefined ? { ...rest, body: b } : rest;
    });
}

// --- The properties ---------------------------------------------------------------------------

const STACK =
  /\n\s+at |node_modules|\.tsx?:\d+|\bat Object\.|TypeError|ReferenceError|RangeError|URIError|Cannot read propert/;

/** A case, cut for a failure message. */
const shown = (c: Case) =>
  JSON.stringify(c, (_k, v) =>
    typeof v === "string" && v.length > 200 ? `${v.slice(0, 200)}…(${v.length})` : v,
  );

/** Statuses seen per endpoint: each must see answers and refusals both. */
let seen = new Map<number, number>();

async function judge(c: Case): Promise<void> {
  logged.length = 0;
  // The request as a server hands it on: the path after the origin, as the URL parser reads it.
  const req = new Request(`http://localhost${c.path}`, {
    method: c.method,
    headers: c.headers,
    ...(c.body !== undefined ? { body: c.body } : {}),
  });
  // Staff or public as the router sees the path (percent-decoded: `/v1/st%61ff/...` is staff).
  const routed = getPath(req);
  const res = await apps[c.app].request(req);
  const text = await res.text();
  const type = res.headers.get("content-type") ?? "";
  seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
  const why = `${shown(c)} -> ${res.status} ${type} ${text.slice(0, 300)} ${JSON.stringify(logged).slice(0, 1500)}`;

  expect(res.status, why).toBeLessThan(500);
  expect(text, why).not.toMatch(STACK);

  if (res.status >= 400) {
    expect(new TextEncoder().encode(text).length, why).toBeLessThan(MAX_ERROR_BYTES);
    const page = type.startsWith("text/html");
    // Pages for people answer their own errors as pages; everything else is a problem.
    if (!page || routed.startsWith("/v1/") || routed.endsWith(".json")) {
      expect(type, why).toBe("application/problem+json");
      if (text !== "" || c.method.toUpperCase() !== "HEAD") {
        const problem = JSON.parse(text) as { code: ProblemCode; status: number };
        expect(Object.keys(PROBLEMS), why).toContain(problem.code);
        expect(PROBLEMS[problem.code].status, why).toBe(res.status);
        expect(problem.status, why).toBe(res.status);
      }
    }
  }

  const staff = isStaffPath(routed);
  if (staff) {
    expect(res.headers.get("cache-control"), why).toBe("no-store");
    if (res.status === 200) expect(c.headers.authorization ?? "", why).toMatch(/test-token|admin/);
  }
  if (!staff) {
    const asked = `${c.path} ${JSON.stringify(c.headers)} ${c.body ?? ""}`;
    for (const s of SENTINELS) {
      if (!asked.includes(s)) expect(text.includes(s), `${why}: leaks ${s}`).toBe(false);
    }
    if (res.status === 200 && type.startsWith("application/json") && text !== "") {
      const json = JSON.parse(text) as { results?: unknown[]; id?: unknown };
      const profiles = json.results ?? (typeof json.id === "string" ? [json] : []);
      for (const p of profiles) {
        for (const k of Object.keys(p as object)) expect(PUBLIC.has(k), `${why}: ${k}`).toBe(true);
      }
    }
  }
}

/** Each endpoint its own seed, so endpoints of the same shape do not get the same requests. */
async function fuzz(arbitrary: fc.Arbitrary<Case>, n: number) {
  seen = new Map();
  await fc.assert(fc.asyncProperty(arbitrary, judge), { numRuns: RUNS, seed: SEED + n });
  if (process.env.FUZZ_STATUSES) console.log(JSON.stringify([...seen].sort((a, b) => a[0] - b[0])));
  const statuses = [...seen.keys()];
  expect(statuses.some((s) => s < 400)).toBe(true);
  expect(statuses.some((s) => s >= 400)).toBe(true);
}

describe(`hostile headers, paths and methods (${RUNS} requests per endpoint)`, () => {
  it("fuzzes every documented endpoint: the route table holds each", async () => {
    const doc = (await (
      await apps.plain.request("/v1/staff/openapi.json", {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).json()) as { paths: Record<string, Record<string, unknown>> };
    const table = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const m of Object.keys(ops)) {
        expect(table).toContain(`${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`);
      }
    }
    expect(ROUTES.length).toBeGreaterThanOrEqual(Object.keys(doc.paths).length);
  });

  ROUTES.forEach((route, n) => {
    it(`${route.method} ${route.path}`, async () => {
      await fuzz(cases(pathFor(route.path), route.method), n);
    });
  });

  it("any other path", async () => {
    await fuzz(cases(anyPath, "GET"), ROUTES.length);
  });
});

describe("long paths", () => {
  // A problem repeats the request path (`instance`, and the 404/405 `detail`) cut to 200
  // characters, so an error body does not grow with the path (Node accepts ~16 KB targets).
  it.each([
    ["PUT", `/v1/directory/partners/${"a".repeat(15_000)}`, 405],
    ["GET", `/${"a".repeat(15_000)}`, 404],
    ["GET", `/v1/staff/partners/${"a".repeat(15_000)}`, 401],
  ])(
    "%s of a 15,000-character path: the error body stays under 8 KB",
    async (method, path, status) => {
      const res = await apps.plain.request(path, { method });
      expect(res.status).toBe(status);
      expect((await res.text()).length).toBeLessThan(MAX_ERROR_BYTES);
    },
  );
});
