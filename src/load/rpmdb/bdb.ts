import { DEFAULT_LIMITS } from '../../limits/limits.js';
import { EXPORT_HINT, RpmdbError } from './errors.js';
import { HeaderError, parseHeaderBlob } from './header.js';
import type { InstalledPackage, RpmdbContents } from './types.js';

// BerkeleyDB hash database, as rpm <= 4.15 writes `Packages` (key: 4-byte header number in the
// db's byte order, value: header blob). Layout from the Berkeley DB on-disk format (db_page.h):
// page 0 is the hash meta page, data lives on P_HASH pages reached bucket by bucket, and large
// items sit on chains of P_OVERFLOW pages. Read-only, no libdb, same walk as rpm's bdb_ro.

const HASH_MAGIC = 0x00061561;
const PAGE_HEADER = 26;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;

interface Meta {
  le: boolean;
  pageSize: number;
  lastPage: number;
  maxBucket: number;
  spares: number[];
}

class BdbReader {
  private readonly view: DataView;
  /** Overflow pages already used by an item: each belongs to exactly one chain. */
  private readonly overflowSeen = new Set<number>();
  /** Bytes handed out so far, against `maxTotal`. */
  private total = 0;
  maxTotal = Number.POSITIVE_INFINITY;

  constructor(
    private readonly bytes: Uint8Array,
    readonly meta: Meta,
    private readonly fail: (kind: 'truncated' | 'corrupt', msg: string) => never,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u16(at: number): number {
    return this.view.getUint16(at, this.meta.le);
  }

  u32(at: number): number {
    return this.view.getUint32(at, this.meta.le);
  }

  /** Byte offset of page `pgno`, checked against the file and the page's own number. */
  page(pgno: number, types: readonly number[]): number {
    const { pageSize, lastPage } = this.meta;
    if (pgno === 0 || pgno > lastPage) this.fail('corrupt', `page ${pgno} is outside 1..${lastPage}`);
    const at = pgno * pageSize;
    if (at + pageSize > this.bytes.byteLength) {
      this.fail('truncated', `page ${pgno} ends at byte ${at + pageSize}, past the end of the file`);
    }
    if (this.u32(at + 8) !== pgno) this.fail('corrupt', `page ${pgno} says it is page ${this.u32(at + 8)}`);
    const type = this.bytes[at + 25] ?? 0;
    if (!types.includes(type))
      this.fail('corrupt', `page ${pgno} has type ${type}, expected ${types.join('/')}`);
    return at;
  }

  /** An item of a hash page: inline (H_KEYDATA) or on an overflow chain (H_OFFPAGE). */
  item(pageAt: number, off: number, len: number): Uint8Array {
    const { pageSize } = this.meta;
    if (len <= 0 || off + len > pageSize)
      this.fail('corrupt', `item at ${off} (${len} bytes) overruns its page`);
    const type = this.bytes[pageAt + off];
    if (type === H_KEYDATA) return this.bytes.subarray(pageAt + off + 1, pageAt + off + len);
    if (type === H_OFFPAGE) {
      if (len !== 12) this.fail('corrupt', `off-page item of ${len} bytes, expected 12`);
      return this.overflow(this.u32(pageAt + off + 4), this.u32(pageAt + off + 8));
    }
    return this.fail(
      'corrupt',
      `unsupported hash item type ${String(type)} (duplicates are not used by rpm)`,
    );
  }

  /** Concatenate an overflow chain of `total` bytes starting at `pgno`. */
  overflow(first: number, total: number): Uint8Array {
    if (total > this.bytes.byteLength)
      this.fail('corrupt', `overflow item of ${total} bytes is larger than the file`);
    this.total += total;
    if (this.total > this.maxTotal) {
      this.fail(
        'corrupt',
        `its items add up to more than ${this.maxTotal} bytes, more than the file can hold: records share storage`,
      );
    }
    const out = new Uint8Array(total);
    let filled = 0;
    let pgno = first;
    while (filled < total) {
      // A page in two chains (or twice in one) means records share storage, which libdb never writes.
      if (this.overflowSeen.has(pgno))
        this.fail('corrupt', `overflow page ${pgno} is used twice (shared or looping chains)`);
      this.overflowSeen.add(pgno);
      const at = this.page(pgno, [P_OVERFLOW]);
      const used = this.u16(at + 22);
      if (PAGE_HEADER + used > this.meta.pageSize || used > total - filled) {
        this.fail('corrupt', `overflow page ${pgno} holds ${used} bytes, inconsistent with the item length`);
      }
      out.set(this.bytes.subarray(at + PAGE_HEADER, at + PAGE_HEADER + used), filled);
      filled += used;
      pgno = this.u32(at + 16);
      if (filled < total && pgno === 0)
        this.fail('truncated', `overflow chain ends after ${filled} of ${total} bytes`);
    }
    return out;
  }

  /** First page of a bucket: `bucket + spares[bit length of bucket]`. */
  bucketPage(bucket: number): number {
    let bits = 0;
    for (let b = bucket; b > 0; b >>>= 1) bits++;
    return bucket + (this.meta.spares[bits] ?? 0);
  }

  /** Every key/value pair, bucket by bucket, following each bucket's page chain. */
  *pairs(): Generator<[Uint8Array, Uint8Array]> {
    const { pageSize, maxBucket } = this.meta;
    const seen = new Set<number>();
    for (let bucket = 0; bucket <= maxBucket; bucket++) {
      let pgno = this.bucketPage(bucket);
      while (pgno !== 0) {
        if (seen.has(pgno)) this.fail('corrupt', `hash page ${pgno} is reached twice`);
        seen.add(pgno);
        const at = this.page(pgno, [P_HASH, P_HASH_UNSORTED, P_HASHMETA]);
        const entries = this.u16(at + 20);
        if (PAGE_HEADER + entries * 2 > pageSize)
          this.fail('corrupt', `page ${pgno} claims ${entries} entries`);
        for (let i = 0; i + 1 < entries; i += 2) {
          const koff = this.u16(at + PAGE_HEADER + 2 * i);
          const voff = this.u16(at + PAGE_HEADER + 2 * i + 2);
          // Items are packed from the end of the page down: an item ends where the previous one starts.
          const kend = i === 0 ? pageSize : this.u16(at + PAGE_HEADER + 2 * i - 2);
          yield [this.item(at, koff, kend - koff), this.item(at, voff, koff - voff)];
        }
        pgno = this.u32(at + 16);
      }
    }
  }
}

function readMeta(
  bytes: Uint8Array,
  fail: (kind: 'truncated' | 'corrupt' | 'unsupported-format', msg: string) => never,
): Meta {
  if (bytes.byteLength < 512)
    fail('truncated', `${bytes.byteLength} bytes is shorter than a Berkeley DB meta page`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le: boolean;
  if (view.getUint32(12, true) === HASH_MAGIC) le = true;
  else if (view.getUint32(12, false) === HASH_MAGIC) le = false;
  else if ([0x00053162, 0x62310500].includes(view.getUint32(12, true))) {
    return fail('unsupported-format', 'Berkeley DB btree database; rpm writes `Packages` as a hash database');
  } else return fail('corrupt', 'not a Berkeley DB hash database (bad magic)');
  const version = view.getUint32(16, le);
  if (version < 8 || version > 10)
    fail('unsupported-format', `Berkeley DB hash version ${version} (8-10 supported)`);
  if (bytes[24] !== 0) fail('unsupported-format', 'encrypted Berkeley DB database');
  const pageSize = view.getUint32(20, le);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    fail('corrupt', `implausible page size ${pageSize}`);
  }
  const spares: number[] = [];
  for (let i = 0; i < 32; i++) spares.push(view.getUint32(96 + 4 * i, le));
  return { le, pageSize, lastPage: view.getUint32(32, le), maxBucket: view.getUint32(72, le), spares };
}

/**
 * Read a BerkeleyDB `Packages` file (rpm <= 4.15, e.g. redpesk Arz / EL8) from its bytes, without
 * libdb. Key 0 (rpm's "next header number" record) and any non-4-byte key are skipped. Throws
 * `RpmdbError` (`truncated`, `corrupt`, `unsupported-format`) naming `node`.
 */
export function readRpmdbBdb(
  bytes: Uint8Array,
  node: string,
  file = 'var/lib/rpm/Packages',
  amplification = DEFAULT_LIMITS.rpmdbAmplification,
): RpmdbContents {
  const fail = (kind: 'truncated' | 'corrupt' | 'unsupported-format', msg: string): never => {
    throw new RpmdbError(kind, node, file, kind === 'unsupported-format' ? `${msg}; ${EXPORT_HINT}` : msg);
  };
  const meta = readMeta(bytes, fail);
  if ((meta.lastPage + 1) * meta.pageSize > bytes.byteLength) {
    fail(
      'truncated',
      `file has ${bytes.byteLength} bytes but its meta page declares ${meta.lastPage + 1} pages of ${meta.pageSize}`,
    );
  }
  const reader = new BdbReader(bytes, meta, fail);
  reader.maxTotal = bytes.byteLength * amplification;
  const rows: [number, Uint8Array][] = [];
  for (const [key, value] of reader.pairs()) {
    if (key.byteLength !== 4) continue;
    const hnum = new DataView(key.buffer, key.byteOffset, 4).getUint32(0, meta.le);
    if (hnum === 0) continue;
    rows.push([hnum, value.slice()]);
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
