import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeaderError, parseHeaderBlob, RpmHeader, RpmType } from '../../../src/load/rpmdb/header.js';

type Entry = { tag: number; type: number; count: number; data: Uint8Array; align?: number };

const enc = new TextEncoder();
const cstr = (...s: string[]) => enc.encode(s.map((x) => `${x}\0`).join(''));

/** Build a header blob (il, dl, index, data store) the way rpm lays it out, with alignment. */
function buildHeader(entries: Entry[], region = true): Uint8Array {
  const all = [...entries];
  const index: number[][] = [];
  const chunks: number[] = [];
  for (const e of all) {
    const align = e.align ?? 1;
    while (chunks.length % align !== 0) chunks.push(0);
    index.push([e.tag, e.type, chunks.length, e.count]);
    chunks.push(...e.data);
  }
  if (region) {
    // Region trailer: tag 63, BIN, offset -(il * 16), count 16; referenced by the first entry.
    const il = all.length + 1;
    const trailerOff = chunks.length;
    const t = new DataView(new ArrayBuffer(16));
    t.setUint32(0, 63);
    t.setUint32(4, RpmType.BIN);
    t.setInt32(8, -il * 16);
    t.setUint32(12, 16);
    chunks.push(...new Uint8Array(t.buffer));
    index.unshift([63, RpmType.BIN, trailerOff, 16]);
  }
  const out = new Uint8Array(8 + index.length * 16 + chunks.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, index.length);
  v.setUint32(4, chunks.length);
  index.forEach(([tag, type, off, count], i) => {
    v.setUint32(8 + i * 16, tag!);
    v.setUint32(12 + i * 16, type!);
    v.setInt32(16 + i * 16, off!);
    v.setUint32(20 + i * 16, count!);
  });
  out.set(chunks, 8 + index.length * 16);
  return out;
}

const be32 = (...n: number[]) => {
  const b = new DataView(new ArrayBuffer(n.length * 4));
  n.forEach((x, i) => {
    b.setUint32(i * 4, x);
  });
  return new Uint8Array(b.buffer);
};
const be16 = (...n: number[]) => {
  const b = new DataView(new ArrayBuffer(n.length * 2));
  n.forEach((x, i) => {
    b.setUint16(i * 2, x);
  });
  return new Uint8Array(b.buffer);
};
const be64 = (...n: bigint[]) => {
  const b = new DataView(new ArrayBuffer(n.length * 8));
  n.forEach((x, i) => {
    b.setBigUint64(i * 8, x);
  });
  return new Uint8Array(b.buffer);
};

const SAMPLE = buildHeader([
  { tag: 1000, type: RpmType.STRING, count: 1, data: cstr('demo') },
  { tag: 1001, type: RpmType.STRING, count: 1, data: cstr('2.0') },
  { tag: 1002, type: RpmType.STRING, count: 1, data: cstr('1.rpbatz') },
  { tag: 1003, type: RpmType.INT32, count: 1, data: be32(3), align: 4 },
  { tag: 1004, type: RpmType.I18NSTRING, count: 2, data: cstr('C summary', 'résumé fr') },
  { tag: 1022, type: RpmType.STRING, count: 1, data: cstr('aarch64') },
  { tag: 1030, type: RpmType.INT16, count: 2, data: be16(0o100644, 0o120777), align: 2 },
  { tag: 1037, type: RpmType.INT32, count: 2, data: be32(1 | 16, 64), align: 4 },
  { tag: 1035, type: RpmType.STRING_ARRAY, count: 2, data: cstr('ab'.repeat(32), '') },
  { tag: 1036, type: RpmType.STRING_ARRAY, count: 2, data: cstr('', 'target') },
  { tag: 1116, type: RpmType.INT32, count: 2, data: be32(0, 1), align: 4 },
  { tag: 1117, type: RpmType.STRING_ARRAY, count: 2, data: cstr('demo.conf', 'link') },
  { tag: 1118, type: RpmType.STRING_ARRAY, count: 2, data: cstr('/etc/', '/usr/lib/') },
  { tag: 5008, type: RpmType.INT64, count: 2, data: be64(5n, 2n ** 40n), align: 8 },
  { tag: 5009, type: RpmType.INT64, count: 1, data: be64(2n ** 33n), align: 8 },
  { tag: 1049, type: RpmType.STRING_ARRAY, count: 2, data: cstr('(a or b)', 'rpmlib(PayloadIsZstd)') },
  { tag: 1048, type: RpmType.INT32, count: 2, data: be32(0, (1 << 24) | (1 << 3) | (1 << 1)), align: 4 },
  { tag: 1050, type: RpmType.STRING_ARRAY, count: 2, data: cstr('', '5.4.18-1') },
  { tag: 269, type: RpmType.STRING, count: 1, data: cstr('0123456789abcdef0123456789abcdef01234567') },
  { tag: 261, type: RpmType.BIN, count: 4, data: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) },
  { tag: 1008, type: RpmType.INT32, count: 1, data: be32(1_700_000_000), align: 4 },
]);

describe('rpm header blobs', () => {
  it('decodes every data type, aligned as rpm writes them', () => {
    const p = parseHeaderBlob(SAMPLE, 42);
    expect(p).toMatchObject({
      hnum: 42,
      nevra: 'demo-3:2.0-1.rpbatz.aarch64',
      epoch: 3,
      size: 2 ** 33,
      sha1Header: '0123456789abcdef0123456789abcdef01234567',
      installTime: 1_700_000_000,
      fileDigestAlgo: 1,
    });
    expect(p.files).toEqual([
      expect.objectContaining({
        path: '/etc/demo.conf',
        mode: 0o100644,
        size: 5,
        isConfig: true,
        digest: 'ab'.repeat(32),
      }),
      expect.objectContaining({
        path: '/usr/lib/link',
        mode: 0o120777,
        size: 2 ** 40,
        isGhost: true,
        linkTo: 'target',
      }),
    ]);
    expect(p.requires[0]).toMatchObject({ name: '(a or b)', isRich: true });
    expect(p.requires[0]?.op).toBeUndefined();
    expect(p.requires[1]).toMatchObject({ op: '<=', version: '5.4.18-1', isPre: false });
    const h = RpmHeader.parse(SAMPLE);
    expect(h.string(1004)).toBe('C summary');
    expect(h.tags.get(261)).toEqual({ type: 'binary', value: new Uint8Array([0xde, 0xad, 0xbe, 0xef]) });
    expect(h.has(63)).toBe(false);
  });

  it('later (install-time) entries override region entries', () => {
    const blob = buildHeader(
      [
        { tag: 1000, type: RpmType.STRING, count: 1, data: cstr('n') },
        { tag: 1008, type: RpmType.INT32, count: 1, data: be32(1), align: 4 },
        { tag: 1008, type: RpmType.INT32, count: 1, data: be32(2), align: 4 },
      ],
      false,
    );
    expect(parseHeaderBlob(blob, 1).installTime).toBe(2);
  });

  it('truncated or damaged blobs only ever throw HeaderError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: SAMPLE.length - 1 }), (n) => {
        expect(() => parseHeaderBlob(SAMPLE.slice(0, n), 1)).toThrow(HeaderError);
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: SAMPLE.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (edits) => {
          const b = SAMPLE.slice();
          for (const [at, v] of edits) b[at] = v;
          try {
            parseHeaderBlob(b, 1);
          } catch (err) {
            expect(err).toBeInstanceOf(HeaderError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
