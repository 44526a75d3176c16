// Node's sync codecs for the answer cache (imported by the Node entry only; Workers keep the
// web ones): node:zlib compresses a cached answer in the request that first asks for a coding,
// without a round trip through a stream, and adds brotli, which Node 20's CompressionStream
// lacks; node:crypto hashes a new answer's tag without Web Crypto's job queue.
import { createHash } from "node:crypto";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { BodyEncoders, Sha1Hex } from "./answer-cache.js";

/**
 * Brotli at quality 5: a 30 KB answer in well under a millisecond and still smaller than gzip's
 * default level; the default (11) takes several milliseconds per entry.
 */
const BROTLI_QUALITY = 5;

export const nodeEncoders: BodyEncoders = {
  gzip: (bytes) => gzipSync(bytes),
  br: (bytes) =>
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
      },
    }),
};

export const nodeSha1Hex: Sha1Hex = (bytes) => createHash("sha1").update(bytes).digest("hex");
