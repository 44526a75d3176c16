// Node's codecs for answers (imported by the Node entry only; Workers keep the web ones):
// node:zlib compresses a cached answer in the request that first asks for a coding, and any
// other answer as it goes out, in one call rather than through a web stream, and adds brotli,
// which Node 20's CompressionStream lacks. An answer sent once (every all-distinct query, every
// Elasticsearch search) is compressed at a low level on the event loop: libuv's thread pool
// costs more than such a job. A 25 KB page took 0.07 ms of CPU with gzipSync and 0.17 ms
// through the pool (stream machinery and the thread handoff), and with gzip accepted the
// all-distinct load ran at 0.52-0.73 ms of server CPU a request and p99 13.7-23.3 ms, against
// 0.69-0.87 ms and 27.9-34.0 ms (four rounds each, taking turns). A kept answer's one
// compression, at a higher level and so several times longer, still goes to the pool, as does
// an answer past SYNC_MAX_BYTES, which would hold every other request for most of a millisecond.
// node:crypto hashes a new answer's tag synchronously (about 30 µs for 20 KB), without Web
// Crypto's job round trip.
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from "node:zlib";
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

/**
 * ~100 results of the directory at most: 127 KB of sample profiles took 0.75-0.84 ms of gzip 3
 * here, where the pool's hand-off (~0.1 ms) is a small share and the event loop is free for it.
 */
const SYNC_MAX_BYTES = 128 * 1024;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

const brotliParams = (bytes: Uint8Array, quality: number) => ({
  params: {
    [constants.BROTLI_PARAM_QUALITY]: quality,
    [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
  },
});

const inRequest = (bytes: Uint8Array, once: boolean | undefined) =>
  once === true && bytes.byteLength <= SYNC_MAX_BYTES;

export const nodeEncoders: BodyEncoders = {
  gzip: (bytes, once) => {
    const level = LEVEL[once ? "once" : "kept"].gzip;
    return inRequest(bytes, once) ? gzipSync(bytes, { level }) : gzipAsync(bytes, { level });
  },
  br: (bytes, once) => {
    const params = brotliParams(bytes, LEVEL[once ? "once" : "kept"].br);
    return inRequest(bytes, once) ? brotliCompressSync(bytes, params) : brotliAsync(bytes, params);
  },
};

export const nodeSha1Hex: Sha1Hex = (bytes) => createHash("sha1").update(bytes).digest("hex");
