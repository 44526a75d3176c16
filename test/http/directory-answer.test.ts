// The directory's answer path on Node: bodies written from pre-serialized profiles are the bytes
// JSON.stringify gave the answer object; a cached answer is compressed once per coding and
// served with Vary and a weak tag that revalidates; an update moves the generation on, so the
// cache, the raw-query memo and the compressed copies all give way to the new answer.
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DIRECTORY_CASES } from "../../eval/cases.js";
import { createApp } from "../../src/http/app.js";
import { directoryQuerySchema, directoryRunner } from "../../src/http/routes/directory.js";
import { queryObject } from "../../src/http/validation.js";
import {
  backendOf,
  catalog,
  entries,
  nodeCodecApp,
  policy,
  rawProfile,
  sampleBackend,
} from "../helpers.js";

const schema = directoryQuerySchema(catalog, policy);
const run = directoryRunner(catalog, policy);

/** The body as the route wrote it before: the answer object, projected and stringified. */
async function reference(backend: Parameters<typeof run>[0], path: string): Promise<string> {
  const params = schema.parse(queryObject(`http://x${path}`));
  return JSON.stringify((await run(backend, params)).body);
}

function pathsOf(): string[] {
  const out: string[] = [];
  for (const c of DIRECTORY_CASES) {
    const qs = new URLSearchParams();
    if (c.q) qs.set("q", c.q);
    for (const [k, vs] of Object.entries(c.filters)) for (const v of vs ?? []) qs.append(k, v);
    out.push(`/v1/directory/partners?${qs}`);
    out.push(`/v1/directory/partners?${qs}&page=2&pageSize=7&sort=rating`);
  }
  out.push(
    "/v1/directory/partners?near=52.52,13.405&radiusKm=300&sort=distance&country=DE",
    "/v1/directory/partners?near=40.71,-74.0&budgetUsd=20000",
    "/v1/directory/partners?q=crm%20zzzunknownword&pageSize=50",
    // A dropped word outside ASCII: the answer's own text, not only profiles, in UTF-8.
    "/v1/directory/partners?q=crm%20%C3%BCberxyz%E5%B0%8E%E5%85%A5xyz",
    "/v1/directory/partners?q=導入支援&sort=name",
    "/v1/directory/partners?page=200&pageSize=50&country=US",
    "/v1/directory/partners",
  );
  return out;
}

describe("directory answers from pre-serialized profiles", () => {
  const backend = sampleBackend();
  const app = createApp({ backend, catalog, policy, matchTokens: [] });

  it("are byte for byte the stringified answer object, cached or not", async () => {
    const paths = pathsOf();
    expect(paths.length).toBeGreaterThan(100);
    for (const path of paths) {
      const expected = await reference(backend, path);
      for (let i = 0; i < 2; i++) {
        const res = await app.request(path);
        expect(res.status, path).toBe(200);
        expect(await res.text(), path).toBe(expected);
      }
    }
  });
});

const feed = Array.from({ length: 40 }, (_, i) =>
  rawProfile({ id: `p-${i}`, name: `Agentur ${i}`, accreditations: i % 5 ? [] : undefined }),
).map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)));

function nodeApp() {
  const backend = backendOf(feed);
  return { app: nodeCodecApp(backend), backend };
}

const PATH = "/v1/directory/partners?pageSize=50&q=agentur";

describe("compressed cached answers", () => {
  it("serve gzip and brotli bytes that decompress to the body, with Vary and a weak tag", async () => {
    const { app } = nodeApp();
    const plain = await app.request(PATH);
    const body = await plain.text();
    const tag = plain.headers.get("etag") as string;
    expect(tag).toMatch(/^"[0-9a-f]{40}"$/);
    expect(plain.headers.get("vary")).toMatch(/accept-encoding/i);
    for (const [accept, coding, unpack] of [
      ["gzip, deflate, br", "gzip", gunzipSync],
      ["br", "br", brotliDecompressSync],
      ["br;q=1, gzip;q=0.5", "br", brotliDecompressSync],
    ] as const) {
      // Twice: the second is served from the kept bytes.
      const seen: Buffer[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await app.request(PATH, { headers: { "accept-encoding": accept } });
        expect(res.status).toBe(200);
        expect(res.headers.get("content-encoding")).toBe(coding);
        expect(res.headers.get("vary")).toMatch(/accept-encoding/i);
        expect(res.headers.get("etag")).toBe(`W/${tag}`);
        expect(res.headers.get("cache-control")).toBe("public, max-age=60");
        const packed = Buffer.from(await res.arrayBuffer());
        expect(unpack(packed).toString("utf8")).toBe(body);
        seen.push(packed);
      }
      expect(seen[1]?.equals(seen[0] as Buffer)).toBe(true);
    }
    // deflate is not kept: streamed as before.
    const deflated = await app.request(PATH, { headers: { "accept-encoding": "deflate" } });
    expect(deflated.headers.get("content-encoding")).toBe("deflate");
  });

  it("answers 304 to either tag, compressed or not, with Vary and no body", async () => {
    const { app } = nodeApp();
    const first = await app.request(PATH, { headers: { "accept-encoding": "gzip" } });
    const weak = first.headers.get("etag") as string;
    for (const tag of [weak, weak.slice(2)]) {
      const again = await app.request(PATH, {
        headers: { "accept-encoding": "gzip", "if-none-match": tag },
      });
      expect(again.status).toBe(304);
      expect(again.headers.get("vary")).toMatch(/accept-encoding/i);
      expect(again.headers.get("etag")).toBe(weak);
      expect(await again.text()).toBe("");
    }
    const plain = await app.request(PATH, { headers: { "if-none-match": weak } });
    expect(plain.status).toBe(304);
    expect(plain.headers.get("etag")).toBe(weak.slice(2));
    const other = await app.request(PATH, {
      headers: { "accept-encoding": "gzip", "if-none-match": '"0000"' },
    });
    expect(other.status).toBe(200);
  });

  it("gives way to the new answer after an update (new tag, new compressed bytes)", async () => {
    const { app, backend } = nodeApp();
    const before = await app.request(PATH, { headers: { "accept-encoding": "gzip" } });
    const tag = before.headers.get("etag") as string;
    await before.arrayBuffer();
    await backend.apply(
      entries([rawProfile({ id: "p-1", name: "Agentur Neu", updatedAt: "2030-01-01T00:00:00Z" })]),
    );
    const after = await app.request(PATH, {
      headers: { "accept-encoding": "gzip", "if-none-match": tag },
    });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(tag);
    const body = gunzipSync(Buffer.from(await after.arrayBuffer())).toString("utf8");
    expect(body).toContain("Agentur Neu");
    expect(body).toBe(await reference(backend, PATH));
  });

  it("still refuses what the route refuses (the memo sits behind validation)", async () => {
    const { app } = nodeApp();
    await app.request(PATH);
    expect((await app.request(PATH, { method: "POST" })).status).toBe(405);
    expect((await app.request(`${PATH}&bogus=1`)).status).toBe(400);
    const head = await app.request(PATH, { method: "HEAD" });
    expect(head.status).toBe(200);
  });
});

describe("which answers are kept", () => {
  it("keeps an answer from its second request on: the first is computed and not kept", async () => {
    const { app, backend } = nodeApp();
    let searches = 0;
    const directory = backend.directory.bind(backend);
    backend.directory = (plan) => {
      searches++;
      return directory(plan);
    };
    const bodies: string[] = [];
    for (let i = 0; i < 4; i++) bodies.push(await (await app.request(PATH)).text());
    // Asked once: computed; twice: computed and kept; then served from the kept answer.
    expect(searches).toBe(2);
    expect(new Set(bodies).size).toBe(1);
  });
});
