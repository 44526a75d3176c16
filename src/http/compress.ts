// Response compression for the Node server (Workers: the platform compresses). It replaces
// hono/compress, which did two things per answer that cost more than the search behind it:
// its Vary header went through c.header() after the handler, which turned @hono/node-server's
// lightweight string response into a web Response whose body then went out through a
// ReadableStream (on every answer, compressed or not); and it compressed a cached directory
// answer again on every request. Here headers are set in place (the body stays a string or
// bytes written in one go), and an answer from the answer cache is compressed once per content
// coding and then served as kept bytes. Other answers are compressed in one call by the runtime's
// encoder where it gives one (Node), else streamed as hono/compress did.
import type { MiddlewareHandler } from "hono";
import { parseAccept } from "hono/utils/accept";
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from "hono/utils/compress";
import type { BodyEncoder, BodyEncoders, CachedAnswer } from "./answer-cache.js";
import type { AppEnv } from "./env.js";

/** What hono/compress streams: CompressionStream's codings (no brotli in Node 20's). */
const STREAMED = ["gzip", "deflate"] as const;
const NO_TRANSFORM = /(?:^|,)\s*?no-transform\s*?(?:,|$)/i;
const VARY_ACCEPT_ENCODING = /(?:^|,)\s*accept-encoding\s*(?:,|$)/i;
/** As hono/compress: a body declared shorter than this is sent as it is. */
const THRESHOLD = 1024;

/** Names Accept-Encoding in Vary (once); the headers are changed in place. */
function addVary(headers: Headers): void {
  const vary = headers.get("vary");
  if (vary !== "*" && !(vary && VARY_ACCEPT_ENCODING.test(vary))) {
    headers.set("vary", vary ? `${vary}, Accept-Encoding` : "Accept-Encoding");
  }
}

/** gzip by the web's CompressionStream, where no faster encoder is given: once per entry. */
export const webGzip: BodyEncoder = async (bytes) =>
  new Uint8Array(
    await new Response(
      new Blob([bytes as Uint8Array<ArrayBuffer>])
        .stream()
        .pipeThrough(new CompressionStream("gzip") as ReadableWritablePair<Uint8Array, Uint8Array>),
    ).arrayBuffer(),
  );

/**
 * The client's preferred coding among `candidates` (their order breaks ties, so gzip stays
 * first for the usual "gzip, deflate, br"), hono/compress's rule.
 */
export function selectEncoding(
  header: string | undefined,
  candidates: readonly string[],
): string | undefined {
  if (header === undefined) return undefined;
  const accepts = parseAccept(header);
  const wildcardQ = accepts.find((a) => a.type === "*")?.q;
  let best: { encoding: string; q: number } | undefined;
  for (const enc of candidates) {
    const explicit = accepts.find((a) => a.type.toLowerCase() === enc);
    const q = explicit ? explicit.q : (wildcardQ ?? 0);
    if (q === 1) return enc;
    if (q > 0 && (!best || q > best.q)) best = { encoding: enc, q };
  }
  return best?.encoding;
}

/** The compressed bytes of a cached answer in `coding`, computed on first use and kept. */
export function encodedBody(
  answer: CachedAnswer,
  coding: string,
  encode: BodyEncoder,
): Uint8Array | Promise<Uint8Array> {
  answer.encoded ??= new Map();
  let out = answer.encoded.get(coding);
  if (!out) {
    out = encode(answer.bytes, answer.once);
    answer.encoded.set(coding, out);
    // A failed encoding is not kept: the next request tries again.
    if (out instanceof Promise) out.catch(() => answer.encoded?.delete(coding));
  }
  return out;
}

export function compression(encoders: BodyEncoders = {}): MiddlewareHandler<AppEnv> {
  const kept = { gzip: webGzip, ...encoders } as Record<string, BodyEncoder>;
  // gzip first: equal preference keeps what clients got before brotli was offered.
  const keptCodings = ["gzip", ...(kept.br ? ["br"] : []), "deflate"];
  // A runtime encoder compresses an answer that is not kept too, as bytes in one call: a web
  // stream made Node send the headers and a chunked body in separate writes and cost a finder
  // answer about 4 ms of server CPU. No route streams an answer, so reading it whole is safe.
  // deflate stays streamed (no runtime encoder offers it).
  const direct = encoders as Record<string, BodyEncoder | undefined>;
  const freshCodings = keptCodings.filter(
    (c) => direct[c] || (STREAMED as readonly string[]).includes(c),
  );
  return async function compress(c, next) {
    await next();
    const res = c.res;
    const headers = res.headers;
    // A 304 carries the Vary and the tag its 200 would have (RFC 9110 15.4.5): only public
    // JSON answers are revalidated here (hono/etag on /v1/directory/*), and one compressed for
    // this client would have had the weak tag.
    if (res.status === 304) {
      addVary(headers);
      const etag = headers.get("etag");
      if (
        etag &&
        !etag.startsWith("W/") &&
        selectEncoding(c.req.header("accept-encoding"), keptCodings)
      ) {
        headers.set("etag", `W/${etag}`);
      }
      return;
    }
    const length = headers.get("content-length");
    const type = headers.get("content-type");
    if (
      res.status === 206 ||
      c.req.method === "HEAD" ||
      headers.has("content-encoding") ||
      headers.has("transfer-encoding") ||
      (length && Number(length) < THRESHOLD) ||
      !type ||
      !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) ||
      NO_TRANSFORM.test(headers.get("cache-control") ?? "")
    ) {
      return;
    }
    addVary(headers);
    const accepted = c.req.header("accept-encoding");
    const answer = c.get("cachedAnswer");
    const coding = selectEncoding(accepted, answer ? keptCodings : freshCodings);
    if (!coding) return;
    let body: BodyInit;
    const encode = answer ? kept[coding] : direct[coding];
    if (answer && encode) {
      body = (await encodedBody(answer, coding, encode)) as Uint8Array<ArrayBuffer>;
    } else if (encode) {
      body = (await encode(
        new Uint8Array(await res.arrayBuffer()),
        true,
      )) as Uint8Array<ArrayBuffer>;
    } else {
      if (!res.body) return;
      body = res.body.pipeThrough(
        new CompressionStream(coding as "gzip" | "deflate") as ReadableWritablePair<
          Uint8Array,
          Uint8Array
        >,
      );
    }
    headers.delete("content-length");
    headers.set("content-encoding", coding);
    // The compressed bytes are another representation: the same tag, but weak (RFC 9110 8.8.1).
    const etag = headers.get("etag");
    if (etag && !etag.startsWith("W/")) headers.set("etag", `W/${etag}`);
    // Cleared first, or Hono's setter would copy the old answer's body into a stream.
    c.res = undefined;
    c.res = new Response(body, { status: res.status, headers });
  };
}
