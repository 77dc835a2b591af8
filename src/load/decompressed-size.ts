import { createGunzip } from 'node:zlib';
import { type Compression, detectCompression } from '../solver/compression.js';

/**
 * How large a compressed metadata file becomes once decompressed, found before the engine (libsolv's
 * own zlib, liblzma, zstd and bzip2, in wasm) decompresses it, so a bomb is refused instead of filling
 * memory. Per format:
 * - gzip: decompressed here with node:zlib, streaming, counting bytes and stopping past `cap` (exact);
 * - xz: the sizes the stream index declares for each block (exact: liblzma checks the index against
 *   what it decodes and fails otherwise);
 * - zstd: each frame's content size when declared, else the sum of its block bounds (a raw or RLE
 *   block regenerates its stated size, a compressed block at most 128 KiB): an upper bound;
 * - bzip2: an upper bound of 46 MB per block (900 kB of BWT data, RLE-1 expands 5 bytes to 255),
 *   counting every bit position where the block magic appears.
 */
export interface SizeBound {
  compression: Compression;
  /** Decompressed bytes (exact) or an upper bound; `cap + 1` when counting stopped past the cap. */
  size: number;
  exact: boolean;
  /** The data is not valid for its format (the engine would fail on it anyway). */
  corrupt?: string;
}

export async function decompressedSize(bytes: Uint8Array, cap: number): Promise<SizeBound> {
  const compression = detectCompression(bytes);
  switch (compression) {
    case 'none':
      return { compression, size: bytes.byteLength, exact: true };
    case 'gzip':
      return gzipSize(bytes, cap);
    case 'xz':
      return { compression, ...xzSize(bytes) };
    case 'zstd':
      return { compression, ...zstdBound(bytes) };
    case 'bzip2':
      return { compression, ...bzip2Bound(bytes) };
  }
}

function gzipSize(bytes: Uint8Array, cap: number): Promise<SizeBound> {
  return new Promise((resolve) => {
    // Concatenated members are one stream to zlib's gunzip, as to libsolv's.
    const z = createGunzip();
    let size = 0;
    let done = false;
    const finish = (r: SizeBound) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    z.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > cap) {
        finish({ compression: 'gzip', size: cap + 1, exact: false });
        z.destroy();
      }
    });
    z.on('end', () => finish({ compression: 'gzip', size, exact: true }));
    z.on('error', (err: NodeJS.ErrnoException) =>
      finish({ compression: 'gzip', size, exact: false, corrupt: gzipError(err) }),
    );
    z.end(bytes);
  });
}

function gzipError(err: NodeJS.ErrnoException): string {
  if (err.code === 'Z_BUF_ERROR') return 'the gzip data ends early (truncated: no trailer)';
  if (err.code === 'Z_DATA_ERROR') {
    return /check|crc/i.test(err.message)
      ? 'gzip CRC or length check failed (corrupt data)'
      : `corrupt gzip data (${err.message})`;
  }
  return `corrupt gzip data (${err.message})`;
}

/** xz multibyte integer at `at`; [value, next offset]. */
function varint(b: Uint8Array, at: number, end: number): [number, number] {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 9 && at < end; i++) {
    const byte = b[at++]!;
    v += (byte & 0x7f) * mul;
    if ((byte & 0x80) === 0) return [v, at];
    mul *= 128;
  }
  throw new Error('bad multibyte integer in the xz index');
}

/** Sum of the uncompressed sizes in the index of every stream, walking back from the end. */
function xzSize(b: Uint8Array): Omit<SizeBound, 'compression'> {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let end = b.byteLength;
  let total = 0;
  try {
    while (end > 0) {
      while (end >= 4 && view.getUint32(end - 4) === 0) end -= 4; // stream padding
      if (end < 24) throw new Error('too short for an xz stream footer');
      const f = end - 12;
      if (b[f + 10] !== 0x59 || b[f + 11] !== 0x5a) throw new Error('no xz stream footer');
      const backward = (view.getUint32(f + 4, true) + 1) * 4;
      const idx = f - backward;
      if (idx < 12 || b[idx] !== 0) throw new Error('no xz index');
      let [records, at] = varint(b, idx + 1, f);
      let blocks = 0;
      while (records-- > 0) {
        const [unpadded, a1] = varint(b, at, f);
        const [uncompressed, a2] = varint(b, a1, f);
        at = a2;
        total += uncompressed;
        blocks += Math.ceil(unpadded / 4) * 4;
      }
      end = idx - blocks - 12; // stream header
      if (end < 0) throw new Error('the xz index describes more blocks than the file has');
    }
    return { size: total, exact: true };
  } catch (err) {
    return { size: total, exact: false, corrupt: `corrupt xz data (${(err as Error).message})` };
  }
}

const ZSTD_MAGIC = 0xfd2fb528;
const ZSTD_BLOCK_MAX = 128 * 1024;

function zstdBound(b: Uint8Array): Omit<SizeBound, 'compression'> {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 0;
  let total = 0;
  let exact = true;
  const bad = (why: string) => ({ size: total, exact: false, corrupt: `corrupt zstd data (${why})` });
  while (at < b.byteLength) {
    if (at + 8 > b.byteLength) return bad('truncated frame');
    const magic = view.getUint32(at, true);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      at += 8 + view.getUint32(at + 4, true); // skippable frame
      continue;
    }
    if (magic !== ZSTD_MAGIC) return bad(`bad frame magic at byte ${at}`);
    const fhd = b[at + 4]!;
    const fcsFlag = fhd >> 6;
    const single = (fhd >> 5) & 1;
    const checksum = (fhd >> 2) & 1;
    const dictFlag = fhd & 3;
    let p = at + 5 + (single ? 0 : 1) + [0, 1, 2, 4][dictFlag]!;
    const fcsSize = [single ? 1 : 0, 2, 4, 8][fcsFlag]!;
    let fcs: number | undefined;
    if (fcsSize > 0) {
      if (p + fcsSize > b.byteLength) return bad('truncated frame header');
      if (fcsSize === 1) fcs = b[p]!;
      else if (fcsSize === 2) fcs = view.getUint16(p, true) + 256;
      else if (fcsSize === 4) fcs = view.getUint32(p, true);
      else fcs = view.getUint32(p, true) + view.getUint32(p + 4, true) * 2 ** 32;
    }
    p += fcsSize;
    let frame = 0;
    for (;;) {
      if (p + 3 > b.byteLength) return bad('truncated block header');
      const h = b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16);
      const last = h & 1;
      const type = (h >> 1) & 3;
      const size = h >> 3;
      p += 3;
      if (type === 3) return bad('reserved block type');
      frame += type === 2 ? ZSTD_BLOCK_MAX : size;
      p += type === 1 ? 1 : size;
      if (p > b.byteLength) return bad('truncated block');
      if (last) break;
    }
    if (checksum) p += 4;
    // A declared content size is checked by the decoder; without one, the block bounds hold.
    if (fcs !== undefined) total += Math.min(fcs, frame);
    else {
      total += frame;
      exact = false;
    }
    at = p;
  }
  return { size: total, exact };
}

const BZ2_BLOCK_MAGIC = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59];

function bzip2Bound(b: Uint8Array): Omit<SizeBound, 'compression'> {
  const level = (b[3] ?? 0) - 0x30;
  if (b.byteLength < 4 || level < 1 || level > 9) {
    return { size: 0, exact: false, corrupt: 'corrupt bzip2 data (bad header)' };
  }
  // Count every bit offset where the 48-bit block magic starts: each real block has one.
  let blocks = 0;
  const first = BZ2_BLOCK_MAGIC[0]!;
  for (let i = 4; i + 6 < b.byteLength; i++) {
    for (let shift = 0; shift < 8; shift++) {
      if ((((b[i]! << shift) | (b[i + 1]! >> (8 - shift))) & 0xff) !== first) continue;
      let ok = true;
      for (let k = 1; k < 6 && ok; k++) {
        const byte = ((b[i + k]! << shift) | (b[i + k + 1]! >> (8 - shift))) & 0xff;
        ok = byte === BZ2_BLOCK_MAGIC[k];
      }
      if (ok) blocks++;
    }
  }
  return { size: blocks * Math.ceil((level * 100_000 * 255) / 5), exact: false };
}
