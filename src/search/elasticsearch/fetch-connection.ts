// A Connection for the official Elasticsearch client that speaks through the web-standard fetch,
// for runtimes without sockets for undici or node:http (Cloudflare Workers). Timeouts go through
// an AbortController; failures map onto the client's own error classes so the rest of the
// service (client.ts toSearchError) tells "no answer" (retryable) from "refused" the same way.
import { Buffer } from "node:buffer";
import {
  BaseConnection,
  type ConnectionRequestOptions,
  type ConnectionRequestParams,
  type ConnectionRequestResponse,
  errors,
} from "@elastic/elasticsearch";

type HeaderValue = string | string[] | number | undefined;

/** The runtime's fetch inflates compressed bodies itself; these would mislead the client. */
const DROPPED_RESPONSE_HEADERS = new Set(["content-encoding", "content-length"]);
/** Set by fetch from the body it actually sends. */
const DROPPED_REQUEST_HEADERS = new Set(["content-length", "connection", "host"]);
const MAX_STRING_LENGTH = 512 * 2 ** 20;

export class FetchConnection extends BaseConnection {
  override async request(
    params: ConnectionRequestParams,
    options: ConnectionRequestOptions,
  ): Promise<ConnectionRequestResponse>;
  override async request(
    params: ConnectionRequestParams,
    options: ConnectionRequestOptions & { asStream: true },
  ): Promise<never>;
  override async request(
    params: ConnectionRequestParams,
    options: ConnectionRequestOptions & { asStream?: boolean },
  ): Promise<ConnectionRequestResponse> {
    if (options.asStream === true) {
      // Streamed answers need a Node Readable; nothing in this service asks for one.
      throw new errors.ConfigurationError("FetchConnection does not support asStream");
    }
    const prefix = this.url.pathname === "/" ? "" : this.url.pathname.replace(/\/$/, "");
    const path = params.path.startsWith("/") ? params.path : `/${params.path}`;
    const query = params.querystring ? `?${params.querystring}` : "";
    const target = `${this.url.origin}${prefix}${path}${query}`;

    const headers = new Headers();
    const all: Record<string, HeaderValue> = { ...this.headers, ...params.headers };
    for (const [name, value] of Object.entries(all)) {
      if (value === undefined || DROPPED_REQUEST_HEADERS.has(name.toLowerCase())) continue;
      headers.set(name, Array.isArray(value) ? value.join(", ") : String(value));
    }

    const timeoutMs = options.timeout ?? this.timeout;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const outer = options.signal;
    const onOuterAbort = () => controller.abort();
    outer?.addEventListener("abort", onOuterAbort, { once: true });
    try {
      const res = await fetch(target, {
        method: params.method,
        headers,
        body: await bodyOf(params.body),
        signal: controller.signal,
        redirect: "manual",
      });
      const maxSize = options.maxResponseSize ?? MAX_STRING_LENGTH;
      const responseHeaders: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        if (!DROPPED_RESPONSE_HEADERS.has(k)) responseHeaders[k] = v;
      });
      const declared = Number(res.headers.get("content-length") ?? Number.NaN);
      if (declared > maxSize) {
        await res.body?.cancel();
        throw new errors.RequestAbortedError(
          `The content length (${declared}) is bigger than the maximum allowed string (${maxSize})`,
        );
      }
      const body = isBinaryType(res.headers.get("content-type") ?? "")
        ? Buffer.from(await res.arrayBuffer())
        : await res.text();
      if (body.length > maxSize) {
        throw new errors.RequestAbortedError(
          `The content length (${body.length}) is bigger than the maximum allowed string (${maxSize})`,
        );
      }
      return { statusCode: res.status, headers: responseHeaders, body };
    } catch (e) {
      if (e instanceof errors.ElasticsearchClientError) throw e;
      if (timedOut) throw new errors.TimeoutError("Request timed out");
      if (outer?.aborted) throw new errors.RequestAbortedError("Request aborted");
      throw new errors.ConnectionError((e as Error).message);
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
    }
  }

  override async close(): Promise<void> {
    // fetch keeps no pool of its own to close.
  }
}

async function bodyOf(body: ConnectionRequestParams["body"]): Promise<BodyInit | undefined> {
  if (body === null || body === undefined || body === "") return undefined;
  if (typeof body === "string") return body;
  if (body instanceof Uint8Array) return new Uint8Array(body);
  // A Node Readable (the client streams only when asked to); collect it.
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** The same content types the client's own connections return as bytes rather than text. */
function isBinaryType(contentType: string): boolean {
  return /application\/(vnd\.mapbox-vector-tile|vnd\.apache\.arrow\.stream|vnd\.elasticsearch\+(arrow\+stream|smile|cbor)|smile|cbor)/.test(
    contentType,
  );
}
