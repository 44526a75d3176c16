// Node's codecs for answers (imported by the Node entry only; Workers keep the web ones):
// node:zlib compresses a cached answer in the request that first asks for a coding, and any
// other answer as it goes out, in one call on libuv's thread pool rather than through a web
// stream, and adds brotli, which Node 20's CompressionStream lacks. Not the sync zlib calls:
// with all-distinct queries every answer is compressed once, and off the event loop that work
// runs beside the next request's search (a sync gzip halved the distinct rate with compression).
// node:crypto hashes a new answer's tag synchronously (about 30 µs for 20 KB), without Web
// Crypto's job round trip.
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";
import type { BodyEncoders, Sha1Hex } from "./answer-cache.js";

/**
 * Levels for a kept answer (compressed once, sent many times: smaller bytes pay) and for one sent
 * once (a search on Elasticsearch, a finder answer: CPU pays). Brotli at quality 5 is a 30 KB
 * answer in well under a millisecond and still smaller than gzip's default level; the default
 * (11) takes several milliseconds. For answers sent once, gzip 3 and brotli 3 took 0.28 and
 * 0.34 ms on a 48 KB directory page where gzip 6 and brotli 5 took 0.67 and 0.92 ms, for
 * 12-18% more bytes.
 */
const LEVEL = {
  kept: { gzip: constants.Z_DEFAULT_COMPRESSION, br: 5 },
  once: { gzip: 3, br: 3 },
} as const;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export const nodeEncoders: BodyEncoders = {
  gzip: (bytes, once) => gzipAsync(bytes, { level: LEVEL[once ? "once" : "kept"].gzip }),
  br: (bytes, once) =>
    brotliAsync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: LEVEL[once ? "once" : "kept"].br,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
      },
    }),
};

export const nodeSha1Hex: Sha1Hex = (bytes) => createHash("sha1").update(bytes).digest("hex");
