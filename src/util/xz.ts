/**
 * An .xz decoder (LZMA2 filter only), so repository metadata shipped only as xz (CentOS Stream's
 * `modules.yaml.xz`, `comps-*.xml.xz`) can be read: Node has no xz in zlib, and the wasm engine's
 * decompressing reader only peeks. Pure, whole-buffer, following the .xz file format 1.2.1 and the
 * decoder of xz-embedded (lib/xz/xz_dec_lzma2.c). Header CRC32s and the CRC32 or CRC64 check of each
 * block are verified; a SHA-256 check is not (callers also verify files against repomd.xml's checksum).
 *
 * API: `xzDecompress(bytes, maxBytes?) → Uint8Array`; throws `XzError` on data it cannot decode and
 * `XzLimitError` (an `XzError`) as soon as the output would pass `maxBytes`, before allocating it.
 */

export class XzError extends Error {
  override name = 'XzError';
}

/** The decompressed data would be larger than the caller's bound (a decompression bomb, or a huge file). */
export class XzLimitError extends XzError {
  override name = 'XzLimitError';
}

const MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
const CHECK_SIZE = [0, 4, 4, 4, 8, 8, 8, 16, 16, 16, 32, 32, 32, 64, 64, 64];

/** Decompresses a whole .xz file (one or more concatenated streams, with stream padding). */
export function xzDecompress(input: Uint8Array, maxBytes = Number.POSITIVE_INFINITY): Uint8Array {
  const out = new Output(maxBytes);
  let p = 0;
  let streams = 0;
  while (p < input.length) {
    if (streams > 0 && input[p] === 0) {
      // stream padding: null bytes in groups of four
      p += 4;
      continue;
    }
    p = decodeStream(input, p, out);
    streams++;
  }
  if (streams === 0) throw new XzError('empty input: not an .xz file');
  return out.result();
}

function decodeStream(b: Uint8Array, start: number, out: Output): number {
  for (let i = 0; i < 6; i++) if (b[start + i] !== MAGIC[i]) throw new XzError('not an .xz file (bad magic)');
  if (crc32(b, start + 6, 2) !== u32(b, start + 8)) throw new XzError('stream header CRC32 mismatch');
  const check = b[start + 7]! & 0x0f;
  let p = start + 12;
  for (;;) {
    if (p >= b.length) throw new XzError('truncated .xz stream');
    if (b[p] === 0) break; // index indicator
    p = decodeBlock(b, p, check, out);
  }
  // index: indicator, record count, records, padding, CRC32
  let q = p + 1;
  const [count, q1] = varint(b, q);
  q = q1;
  for (let i = 0; i < count; i++) {
    q = varint(b, q)[1];
    q = varint(b, q)[1];
  }
  while ((q - p) % 4 !== 0) q++;
  if (crc32(b, p, q - p) !== u32(b, q)) throw new XzError('index CRC32 mismatch');
  q += 4;
  // stream footer: CRC32, backward size, flags, "YZ"
  if (b[q + 10] !== 0x59 || b[q + 11] !== 0x5a) throw new XzError('bad stream footer');
  return q + 12;
}

function decodeBlock(b: Uint8Array, start: number, check: number, out: Output): number {
  const headerSize = (b[start]! + 1) * 4;
  if (crc32(b, start, headerSize - 4) !== u32(b, start + headerSize - 4)) {
    throw new XzError('block header CRC32 mismatch');
  }
  const flags = b[start + 1]!;
  let p = start + 2;
  if (flags & 0x40) p = varint(b, p)[1];
  if (flags & 0x80) p = varint(b, p)[1];
  const filters = (flags & 0x03) + 1;
  let dictProp = -1;
  for (let i = 0; i < filters; i++) {
    const [id, p1] = varint(b, p);
    const [size, p2] = varint(b, p1);
    if (id !== 0x21 || i !== filters - 1) {
      throw new XzError(`unsupported .xz filter 0x${id.toString(16)} (only LZMA2 is supported)`);
    }
    dictProp = b[p2]!;
    p = p2 + size;
  }
  if (dictProp > 40) throw new XzError('bad LZMA2 dictionary size');
  const first = out.length;
  let q = decodeLzma2(b, start + headerSize, out);
  while ((q - start) % 4 !== 0) q++; // block padding, counted from the block start
  const data = out.buf.subarray(first, out.length);
  if (check === 1 && crc32(data, 0, data.length) !== u32(b, q)) throw new XzError('block CRC32 mismatch');
  if (check === 4) {
    const [lo, hi] = crc64(data);
    if (lo !== u32(b, q) || hi !== u32(b, q + 4)) throw new XzError('block CRC64 mismatch');
  }
  return q + CHECK_SIZE[check]!;
}

/** LZMA2 chunks until the end marker; returns the position after it. */
function decodeLzma2(b: Uint8Array, start: number, out: Output): number {
  let p = start;
  const lz = new Lzma(out);
  let needProps = true;
  for (;;) {
    const control = b[p++];
    if (control === undefined) throw new XzError('truncated LZMA2 data');
    if (control === 0) return p;
    if (control === 1) lz.dictStart = out.length;
    if (control === 1 || control === 2) {
      const size = ((b[p]! << 8) | b[p + 1]!) + 1;
      p += 2;
      if (p + size > b.length) throw new XzError('truncated LZMA2 data');
      out.append(b.subarray(p, p + size));
      p += size;
      continue;
    }
    if (control < 0x80) throw new XzError(`bad LZMA2 control byte 0x${control.toString(16)}`);
    const unpacked = ((control & 0x1f) << 16) + ((b[p]! << 8) | b[p + 1]!) + 1;
    const packed = ((b[p + 2]! << 8) | b[p + 3]!) + 1;
    p += 4;
    const reset = (control >> 5) & 3;
    if (reset >= 2) {
      lz.setProps(b[p++]!);
      needProps = false;
    } else if (needProps) {
      throw new XzError('LZMA2 chunk without properties');
    }
    if (reset === 3) lz.dictStart = out.length;
    if (reset >= 1) lz.reset();
    if (p + packed > b.length) throw new XzError('truncated LZMA2 data');
    lz.decodeChunk(b, p, packed, unpacked);
    p += packed;
  }
}

class Output {
  buf = new Uint8Array(1 << 16);
  length = 0;

  constructor(private readonly max: number) {}

  // Every write reserves its room here first (a chunk's declared size), so the bound holds before any
  // allocation: a few bytes of xz cannot ask for gigabytes.
  ensure(n: number): void {
    if (this.length + n > this.max) {
      throw new XzLimitError(`decompressed data is larger than the limit of ${this.max} bytes`);
    }
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    if (size > this.max) size = Math.max(this.length + n, this.max);
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  append(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const STATES = 12;
const POS_STATES_MAX = 16;
const DIST_MODEL_END = 14;
const FULL_DISTANCES = 128;

/** The LZMA decoder state carried across LZMA2 chunks (reset on the chunks that ask for it). */
class Lzma {
  lc = 0;
  lp = 0;
  pb = 0;
  state = 0;
  rep = [0, 0, 0, 0];
  /** Where the dictionary was last reset: positions and distances count from there (blocks, streams). */
  dictStart = 0;
  isMatch = probs(STATES * POS_STATES_MAX);
  isRep = probs(STATES);
  isRepG0 = probs(STATES);
  isRepG1 = probs(STATES);
  isRepG2 = probs(STATES);
  isRep0Long = probs(STATES * POS_STATES_MAX);
  distSlot = probs(4 * 64);
  distSpecial = probs(FULL_DISTANCES - DIST_MODEL_END);
  distAlign = probs(16);
  len = new LenDecoder();
  repLen = new LenDecoder();
  literal = probs(0x300);
  // range decoder
  private b: Uint8Array = new Uint8Array(0);
  private p = 0;
  private end = 0;
  private range = 0;
  private code = 0;

  constructor(private readonly out: Output) {}

  setProps(props: number): void {
    if (props >= 9 * 5 * 5) throw new XzError('bad LZMA properties');
    this.lc = props % 9;
    const rest = Math.floor(props / 9);
    this.lp = rest % 5;
    this.pb = Math.floor(rest / 5);
    if (this.lc + this.lp > 4) throw new XzError('bad LZMA2 properties (lc + lp > 4)');
  }

  reset(): void {
    this.state = 0;
    this.rep = [0, 0, 0, 0];
    for (const a of [
      this.isMatch,
      this.isRep,
      this.isRepG0,
      this.isRepG1,
      this.isRepG2,
      this.isRep0Long,
      this.distSlot,
      this.distSpecial,
      this.distAlign,
    ]) {
      a.fill(1024);
    }
    this.len.reset();
    this.repLen.reset();
    this.literal = probs(0x300 << (this.lc + this.lp));
  }

  decodeChunk(b: Uint8Array, start: number, packed: number, unpacked: number): void {
    this.b = b;
    this.p = start + 5;
    this.end = start + packed;
    if (b[start] !== 0) throw new XzError('corrupt LZMA data (range coder start)');
    this.code = ((b[start + 1]! << 24) | (b[start + 2]! << 16) | (b[start + 3]! << 8) | b[start + 4]!) >>> 0;
    this.range = 0xffffffff;
    const out = this.out;
    out.ensure(unpacked);
    const limit = out.length + unpacked;
    const pbMask = (1 << this.pb) - 1;
    while (out.length < limit) {
      const posState = (out.length - this.dictStart) & pbMask;
      const s = this.state;
      if (this.bit(this.isMatch, (s << 4) + posState) === 0) {
        this.literalByte(s);
        continue;
      }
      let len: number;
      if (this.bit(this.isRep, s) === 0) {
        this.rep[3] = this.rep[2]!;
        this.rep[2] = this.rep[1]!;
        this.rep[1] = this.rep[0]!;
        len = this.len.decode(this, posState);
        this.state = s < 7 ? 7 : 10;
        this.rep[0] = this.distance(len);
      } else if (this.bit(this.isRepG0, s) === 0) {
        if (this.bit(this.isRep0Long, (s << 4) + posState) === 0) {
          this.state = s < 7 ? 9 : 11;
          this.copy(1, limit);
          continue;
        }
        len = this.repLen.decode(this, posState);
        this.state = s < 7 ? 8 : 11;
      } else {
        let dist: number;
        if (this.bit(this.isRepG1, s) === 0) {
          dist = this.rep[1]!;
        } else {
          if (this.bit(this.isRepG2, s) === 0) {
            dist = this.rep[2]!;
          } else {
            dist = this.rep[3]!;
            this.rep[3] = this.rep[2]!;
          }
          this.rep[2] = this.rep[1]!;
        }
        this.rep[1] = this.rep[0]!;
        this.rep[0] = dist;
        len = this.repLen.decode(this, posState);
        this.state = s < 7 ? 8 : 11;
      }
      this.copy(len, limit);
    }
    if (out.length !== limit) throw new XzError('corrupt LZMA data (chunk size)');
  }

  private literalByte(s: number): void {
    const out = this.out;
    const pos = out.length - this.dictStart;
    const prev = pos > 0 ? out.buf[out.length - 1]! : 0;
    const base = 0x300 * (((pos & ((1 << this.lp) - 1)) << this.lc) + (prev >> (8 - this.lc)));
    let symbol = 1;
    if (s < 7) {
      while (symbol < 0x100) symbol = (symbol << 1) | this.bit(this.literal, base + symbol);
    } else {
      let match = this.byteAt(this.rep[0]!) << 1;
      let offset = 0x100;
      while (symbol < 0x100) {
        const matchBit = match & offset;
        match <<= 1;
        if (this.bit(this.literal, base + offset + matchBit + symbol)) {
          symbol = (symbol << 1) | 1;
          offset = matchBit;
        } else {
          symbol <<= 1;
          offset &= ~matchBit;
        }
      }
    }
    out.buf[out.length++] = symbol & 0xff;
    this.state = s < 4 ? 0 : s < 10 ? s - 3 : s - 6;
  }

  private distance(len: number): number {
    const lenState = Math.min(len - 2, 3);
    let slot = 1;
    for (let i = 0; i < 6; i++) slot = (slot << 1) | this.bit(this.distSlot, (lenState << 6) + slot);
    slot -= 64;
    if (slot < 4) return slot;
    const limit = (slot >> 1) - 1;
    // up to 3 * 2^30: past int32, so no shifts
    let dist = (2 | (slot & 1)) * 2 ** limit;
    if (slot < DIST_MODEL_END) {
      const base = dist - slot - 1;
      let m = 1;
      for (let i = 0; i < limit; i++) {
        const bit = this.bit(this.distSpecial, base + m);
        m = (m << 1) | bit;
        dist += bit << i;
      }
      return dist >>> 0;
    }
    dist = (dist + this.direct(limit - 4) * 16) >>> 0;
    let m = 1;
    for (let i = 0; i < 4; i++) {
      const bit = this.bit(this.distAlign, m);
      m = (m << 1) | bit;
      dist += bit << i;
    }
    return dist >>> 0;
  }

  private byteAt(dist: number): number {
    const i = this.out.length - dist - 1;
    if (i < this.dictStart) throw new XzError('corrupt LZMA data (distance before the start)');
    return this.out.buf[i]!;
  }

  private copy(len: number, limit: number): void {
    const out = this.out;
    const dist = this.rep[0]! + 1;
    if (dist > out.length - this.dictStart)
      throw new XzError('corrupt LZMA data (distance before the start)');
    if (out.length + len > limit) throw new XzError('corrupt LZMA data (match past the chunk)');
    const buf = out.buf;
    let from = out.length - dist;
    for (let i = 0; i < len; i++) buf[out.length++] = buf[from++]!;
  }

  private normalize(): void {
    if (this.range < 0x1000000) {
      if (this.p >= this.end) throw new XzError('truncated LZMA data');
      this.range = (this.range << 8) >>> 0;
      this.code = ((this.code << 8) | this.b[this.p++]!) >>> 0;
    }
  }

  bit(probs: Uint16Array, i: number): number {
    this.normalize();
    const prob = probs[i]!;
    const bound = (this.range >>> 11) * prob;
    if (this.code < bound) {
      this.range = bound;
      probs[i] = prob + ((2048 - prob) >> 5);
      return 0;
    }
    this.range -= bound;
    this.code -= bound;
    probs[i] = prob - (prob >> 5);
    return 1;
  }

  private direct(count: number): number {
    let r = 0;
    for (let i = 0; i < count; i++) {
      this.normalize();
      this.range >>>= 1;
      let bit = 0;
      if (this.code >= this.range) {
        this.code -= this.range;
        bit = 1;
      }
      r = ((r << 1) | bit) >>> 0;
    }
    return r;
  }

  bittree(probs: Uint16Array, base: number, bits: number): number {
    let m = 1;
    for (let i = 0; i < bits; i++) m = (m << 1) | this.bit(probs, base + m);
    return m - (1 << bits);
  }
}

class LenDecoder {
  choice = probs(2);
  low = probs(POS_STATES_MAX << 3);
  mid = probs(POS_STATES_MAX << 3);
  high = probs(256);

  reset(): void {
    for (const a of [this.choice, this.low, this.mid, this.high]) a.fill(1024);
  }

  decode(lz: Lzma, posState: number): number {
    if (lz.bit(this.choice, 0) === 0) return 2 + lz.bittree(this.low, posState << 3, 3);
    if (lz.bit(this.choice, 1) === 0) return 10 + lz.bittree(this.mid, posState << 3, 3);
    return 18 + lz.bittree(this.high, 0, 8);
  }
}

function probs(n: number): Uint16Array {
  return new Uint16Array(n).fill(1024);
}

function u32(b: Uint8Array, p: number): number {
  return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24)) >>> 0;
}

function varint(b: Uint8Array, start: number): [number, number] {
  let v = 0;
  let p = start;
  for (let i = 0; i < 9; i++) {
    const byte = b[p++];
    if (byte === undefined) throw new XzError('truncated .xz header');
    v += (byte & 0x7f) * 2 ** (7 * i);
    if ((byte & 0x80) === 0) return [v, p];
  }
  throw new XzError('bad .xz variable-length integer');
}

let CRC_TABLE: Uint32Array | undefined;

function crc32(b: Uint8Array, start: number, n: number): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[i] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = start; i < start + n; i++) crc = CRC_TABLE[(crc ^ b[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

let CRC64_LO: Uint32Array | undefined;
let CRC64_HI: Uint32Array | undefined;

/** CRC64 (ECMA-182, reflected, as xz uses it) as two 32-bit halves [low, high]. */
function crc64(b: Uint8Array): [number, number] {
  if (!CRC64_LO || !CRC64_HI) {
    CRC64_LO = new Uint32Array(256);
    CRC64_HI = new Uint32Array(256);
    const poly = 0xc96c5795d7870f42n;
    for (let i = 0; i < 256; i++) {
      let c = BigInt(i);
      for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
      CRC64_LO[i] = Number(c & 0xffffffffn);
      CRC64_HI[i] = Number(c >> 32n);
    }
  }
  let lo = 0xffffffff;
  let hi = 0xffffffff;
  for (let i = 0; i < b.length; i++) {
    const t = (lo ^ b[i]!) & 0xff;
    lo = (((lo >>> 8) | (hi << 24)) ^ CRC64_LO[t]!) >>> 0;
    hi = ((hi >>> 8) ^ CRC64_HI[t]!) >>> 0;
  }
  return [(lo ^ 0xffffffff) >>> 0, (hi ^ 0xffffffff) >>> 0];
}
