/**
 * The one path by which repository metadata is decompressed on the JavaScript side (comps,
 * modules.yaml, the `%ghost` scan of primary and filelists), for every compression createrepo_c
 * writes: gzip (node:zlib), xz (src/util/xz.ts), zstd (fzstd) and bzip2 (seek-bzip), the last two pure
 * JavaScript because Node 20's zlib has neither. libsolv decompresses on its own inside the engine.
 *
 * API: `decompress(bytes, maxBytes?) → {bytes, compression}`; the compression is detected from the
 * magic bytes. Throws `DecompressError` on corrupt data and `DecompressLimitError` when the output
 * would pass `maxBytes` (checked while decoding, so a bomb stops at the bound, not after it).
 */
import { gunzipSync } from 'node:zlib';
import { Decompress as ZstdStream } from 'fzstd';
import Bunzip from 'seek-bzip';
import { type Compression, detectCompression } from '../solver/compression.js';
import { XzLimitError, xzDecompress } from '../util/xz.js';

/**
 * Bound when the caller gives none: the largest text V8 makes of one buffer is just under 512 MiB
 * (2^29 - 24 one-byte characters), and every reader here decodes its output to text.
 */
export const DEFAULT_MAX_DECOMPRESSED = 512 * 1024 * 1024;

export class DecompressError extends Error {
  override name = 'DecompressError';
  constructor(
    readonly compression: Compression,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The output would be larger than the bound. */
export class DecompressLimitError extends DecompressError {
  override name = 'DecompressLimitError';
  constructor(
    compression: Compression,
    readonly maxBytes: number,
  ) {
    super(compression, `decompressed ${compression} data is larger than the limit of ${maxBytes} bytes`);
  }
}

export function decompress(
  bytes: Uint8Array,
  maxBytes = DEFAULT_MAX_DECOMPRESSED,
): { bytes: Uint8Array; compression: Compression } {
  const compression = detectCompression(bytes);
  if (compression === 'none') {
    if (bytes.length > maxBytes) throw new DecompressLimitError(compression, maxBytes);
    return { bytes, compression };
  }
  try {
    return { bytes: DECODERS[compression](bytes, maxBytes), compression };
  } catch (err) {
    if (err instanceof DecompressError) throw err;
    if (err instanceof XzLimitError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new DecompressLimitError(compression, maxBytes);
    const why = err instanceof Error ? err.message : String(err);
    throw new DecompressError(compression, `cannot decompress ${compression} data: ${why}`, { cause: err });
  }
}

const DECODERS: Record<Exclude<Compression, 'none'>, (b: Uint8Array, max: number) => Uint8Array> = {
  gzip: (b, max) => gunzipSync(b, { maxOutputLength: max }),
  xz: (b, max) => xzDecompress(b, max),
  zstd: zstdDecompress,
  bzip2: bzip2Decompress,
};

function zstdDecompress(b: Uint8Array, max: number): Uint8Array {
  // fzstd allocates each frame's window (for a single-segment frame, its declared size) up front: those
  // sizes are read from the frame headers first. A declared content size over the bound is over it; a
  // window is held to zstd's own default decoder limit (ZSTD_WINDOWLOG_LIMIT_DEFAULT, 128 MiB), which
  // `zstd -d` also refuses to pass without --memory.
  for (const f of zstdFrames(b)) {
    if (f.contentSize !== undefined && f.contentSize > max) throw new DecompressLimitError('zstd', max);
    if (f.window > ZSTD_WINDOW_MAX)
      throw new DecompressError(
        'zstd',
        `cannot decompress zstd data: a window of ${f.window} bytes is over 128 MiB`,
      );
  }
  const out = new Sink('zstd', max);
  const stream = new ZstdStream((chunk) => out.append(chunk));
  stream.push(b, true);
  return out.result();
}

const ZSTD_WINDOW_MAX = 128 * 1024 * 1024;

/** Each frame's window (its content size for a single segment) and declared content size. */
function zstdFrames(b: Uint8Array): { window: number; contentSize: number | undefined }[] {
  const sizes: { window: number; contentSize: number | undefined }[] = [];
  let p = 0;
  const u32 = (at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
  while (p + 4 <= b.length) {
    const magic = u32(p);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      p += 8 + u32(p + 4); // skippable frame
      continue;
    }
    if (magic !== 0xfd2fb528)
      throw new DecompressError('zstd', 'cannot decompress zstd data: bad frame magic');
    const fhd = b[p + 4]!;
    const single = (fhd >> 5) & 1;
    const fcsFlag = fhd >> 6;
    const dictBytes = [0, 1, 2, 4][fhd & 3]!;
    let q = p + 5;
    let window = 0;
    if (!single) {
      const wd = b[q++]!;
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    }
    q += dictBytes;
    const fcsBytes = fcsFlag === 0 ? single : 1 << fcsFlag;
    let fcs = 0;
    for (let i = 0; i < fcsBytes; i++) fcs += b[q + i]! * 2 ** (8 * i);
    if (fcsBytes === 2) fcs += 256;
    q += fcsBytes;
    const contentSize = fcsBytes ? fcs : undefined;
    sizes.push({ window: single ? fcs : window, contentSize });
    for (;;) {
      if (q + 3 > b.length) return sizes; // truncated: fzstd says so
      const h = b[q]! | (b[q + 1]! << 8) | (b[q + 2]! << 16);
      const type = (h >> 1) & 3;
      q += 3 + (type === 1 ? 1 : h >>> 3);
      if (h & 1) break;
    }
    if (fhd & 4) q += 4; // content checksum
    p = q;
  }
  return sizes;
}

function bzip2Decompress(b: Uint8Array, max: number): Uint8Array {
  const out = new Sink('bzip2', max);
  let pending = new Uint8Array(1 << 16);
  let n = 0;
  // seek-bzip writes one byte at a time: they are gathered here and handed to the sink in blocks.
  const output = {
    writeByte(byte: number) {
      if (n === pending.length) {
        out.append(pending);
        pending = new Uint8Array(pending.length);
        n = 0;
      }
      pending[n++] = byte;
    },
    flush() {},
  };
  Bunzip.decode(Buffer.from(b.buffer, b.byteOffset, b.byteLength), output, true);
  out.append(pending.subarray(0, n));
  return out.result();
}

/** Output chunks gathered up to a bound. */
class Sink {
  private chunks: Uint8Array[] = [];
  private length = 0;
  constructor(
    private readonly compression: Compression,
    private readonly max: number,
  ) {}

  append(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.max) throw new DecompressLimitError(this.compression, this.max);
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  result(): Uint8Array {
    if (this.chunks.length === 1) return this.chunks[0]!;
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
