import { DEFAULT_LIMITS } from '../../limits/limits.js';
import { blobBudget } from './budget.js';
import { EXPORT_HINT, RpmdbError } from './errors.js';
import { HeaderError, parseHeaderBlob } from './header.js';
import type { InstalledPackage, RpmdbContents } from './types.js';

// rpm's ndb `Packages.db` (lib/backend/ndb/rpmpkg.c layout, openSUSE's default), little-endian:
// - a 32-byte header `RpmP`, version 0, generation, number of slot pages, next package index;
// - `slotnpages` pages of 4096 bytes holding 16-byte slots `Slot`, pkgidx, blkoff, blkcnt
//   (the first two slot positions are the header; blkoff 0 marks a free slot);
// - blobs at `blkoff * 16`: head `BlbS`, pkgidx, timestamp, length; the header blob; zero
//   padding; tail adler32 (of head, blob and padding), length, `BlbE`.

const le = (s: string): number =>
  s.charCodeAt(0) | (s.charCodeAt(1) << 8) | (s.charCodeAt(2) << 16) | (s.charCodeAt(3) << 24);
const PKGDB_MAGIC = le('RpmP') >>> 0;
const SLOT_MAGIC = le('Slot') >>> 0;
const BLOBHEAD_MAGIC = le('BlbS') >>> 0;
const BLOBTAIL_MAGIC = le('BlbE') >>> 0;
const PAGE_SIZE = 4096;
const SLOT_SIZE = 16;
const BLK_SIZE = 16;
const HEADER_SIZE = 32;
const BLOBHEAD_SIZE = 16;
const BLOBTAIL_SIZE = 12;

/** Adler-32 (RFC 1950). */
export function adler32(data: Uint8Array, start = 1): number {
  let a = start & 0xffff;
  let b = (start >>> 16) & 0xffff;
  for (let i = 0; i < data.length; ) {
    const end = Math.min(i + 5552, data.length);
    for (; i < end; i++) {
      a += data[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * Read an ndb `Packages.db` (rpm >= 4.15 with `%_db_backend ndb`) from its bytes. Every blob's
 * head, tail and Adler-32 are verified. Throws `RpmdbError` (`truncated`, `corrupt`,
 * `unsupported-format`) naming `node`.
 */
export function readRpmdbNdb(
  bytes: Uint8Array,
  node: string,
  file = 'var/lib/rpm/Packages.db',
  amplification = DEFAULT_LIMITS.rpmdbAmplification,
): RpmdbContents {
  const fail = (kind: 'truncated' | 'corrupt' | 'unsupported-format', msg: string): never => {
    throw new RpmdbError(kind, node, file, kind === 'unsupported-format' ? `${msg}; ${EXPORT_HINT}` : msg);
  };
  if (bytes.byteLength < HEADER_SIZE)
    fail('truncated', `${bytes.byteLength} bytes is shorter than the ndb header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number) => view.getUint32(at, true);
  if (u32(0) !== PKGDB_MAGIC) fail('corrupt', 'not an ndb package database (bad magic)');
  if (u32(4) !== 0) fail('unsupported-format', `ndb version ${u32(4)} (0 supported)`);
  const slotPages = u32(12);
  if (slotPages === 0 || slotPages * PAGE_SIZE > bytes.byteLength) {
    fail('truncated', `${slotPages} slot pages do not fit in ${bytes.byteLength} bytes`);
  }
  if (bytes.byteLength % BLK_SIZE !== 0)
    fail('truncated', `file size ${bytes.byteLength} is not a multiple of 16`);
  const fileBlocks = bytes.byteLength / BLK_SIZE;
  const minBlock = slotPages * (PAGE_SIZE / BLK_SIZE);
  const rows: [number, Uint8Array][] = [];
  // rpm gives every package its own blocks: slots sharing or overlapping blocks would make one
  // blob count many times (16k slots on one 256 KB blob cost 4 GB), so they are refused.
  const extents: [number, number, number][] = [];
  for (let at = HEADER_SIZE; at < slotPages * PAGE_SIZE; at += SLOT_SIZE) {
    if (u32(at) !== SLOT_MAGIC) continue;
    const blkoff = u32(at + 8);
    if (blkoff !== 0) extents.push([blkoff, blkoff + u32(at + 12), u32(at + 4)]);
  }
  extents.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < extents.length; i++) {
    if (extents[i]![0] < extents[i - 1]![1]) {
      fail(
        'corrupt',
        `packages ${extents[i - 1]![2]} and ${extents[i]![2]} share blocks (overlapping blobs)`,
      );
    }
  }
  const budget = blobBudget(bytes.byteLength, amplification);
  for (let at = HEADER_SIZE; at < slotPages * PAGE_SIZE; at += SLOT_SIZE) {
    if (u32(at) !== SLOT_MAGIC) fail('corrupt', `slot at byte ${at} has a bad magic`);
    const blkoff = u32(at + 8);
    if (blkoff === 0) continue;
    const pkgidx = u32(at + 4);
    const blkcnt = u32(at + 12);
    if (blkoff + blkcnt > fileBlocks) fail('truncated', `package ${pkgidx} ends past the end of the file`);
    if (pkgidx === 0 || blkcnt === 0 || blkoff < minBlock) fail('corrupt', `slot at byte ${at} is invalid`);
    const start = blkoff * BLK_SIZE;
    const end = start + blkcnt * BLK_SIZE;
    if (u32(start) !== BLOBHEAD_MAGIC || u32(start + 4) !== pkgidx) {
      fail('corrupt', `package ${pkgidx}: bad blob head`);
    }
    const len = u32(start + 12);
    if (blkcnt !== Math.ceil((BLOBHEAD_SIZE + len + BLOBTAIL_SIZE) / BLK_SIZE)) {
      fail('corrupt', `package ${pkgidx}: blob length ${len} does not match ${blkcnt} blocks`);
    }
    const tail = end - BLOBTAIL_SIZE;
    if (u32(tail + 8) !== BLOBTAIL_MAGIC || u32(tail + 4) !== len)
      fail('corrupt', `package ${pkgidx}: bad blob tail`);
    if (adler32(bytes.subarray(start, tail)) !== u32(tail))
      fail('corrupt', `package ${pkgidx}: Adler-32 mismatch`);
    budget.take(len, node, file);
    rows.push([pkgidx, bytes.slice(start + BLOBHEAD_SIZE, start + BLOBHEAD_SIZE + len)]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  const packages: InstalledPackage[] = [];
  const blobs: Uint8Array[] = [];
  for (const [hnum, blob] of rows) {
    try {
      packages.push(parseHeaderBlob(blob, hnum));
    } catch (err) {
      if (err instanceof HeaderError) {
        throw new RpmdbError(err.kind, node, file, `header ${hnum}: ${err.message}`, { cause: err });
      }
      throw err;
    }
    blobs.push(blob);
  }
  return { packages, blobs };
}
