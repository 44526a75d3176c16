// Node's codecs for the answer cache (imported by the Node entry only; Workers keep the web
// ones): node:zlib compresses a cached answer in the request that first asks for a coding, in
// one call on libuv's thread pool rather than through a web stream, and adds brotli, which Node
// 20's CompressionStream lacks. Not the sync zlib calls: with all-distinct queries every answer
// is compressed once, and off the event loop that work runs beside the next request's search
// (a sync gzip halved the distinct rate with compression). node:crypto hashes a new answer's
// tag synchronously (about 30 µs for 20 KB), without Web Crypto's job round trip.
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { BodyEncoders, Sha1Hex } from "./answer-cache.js";

/**
 * Brotli at quality 5: a 30 KB answer in well under a millisecond and still smaller than gzip's
 * default level; the default (11) takes several milliseconds per entry.
 */
const BROTLI_QUALITY = 5;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export const nodeEncoders: BodyEncoders = {
  gzip: (bytes) => gzipAsync(bytes),
  br: (bytes) =>
    brotliAsync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
      },
    }),
};

export const nodeSha1Hex: Sha1Hex = (bytes) => createHash("sha1").update(bytes).digest("hex");
