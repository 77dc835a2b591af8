import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImageRoot } from '../../../src/host/image-root.js';
import { createNodeHost } from '../../../src/host/node-host.js';
import { RpmdbError, readRpmdb, readRpmdbBdb } from '../../../src/load/rpmdb/index.js';

// Fixture: a BerkeleyDB hash `Packages` made by db5.3_load from headers that rpm 4.18 installed
// (see test/fixtures/images/bdb/make-fixture.py), in an image root layout.
const ROOT = fileURLToPath(new URL('../../fixtures/images/bdb', import.meta.url));
const expected = JSON.parse(readFileSync(`${ROOT}/var/lib/rpm/expected.json`, 'utf8')) as Record<
  string,
  Record<string, string>
>;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('BerkeleyDB Packages (rpm <= 4.15)', () => {
  it.each([
    ['var/lib/rpm', 'Packages'],
    ['var/lib/rpm/chained', 'chained/Packages'],
  ])('reads every header of %s, bucket by bucket, skipping key 0', async (dir, key) => {
    const image = new ImageRoot(createNodeHost(), ROOT);
    const r = await readRpmdb(image, dir, 'arz-node');
    expect(r.format).toBe('bdb');
    const want = expected[key]!;
    expect(r.packages.map((p) => String(p.hnum))).toEqual(
      Object.keys(want).sort((a, b) => Number(a) - Number(b)),
    );
    r.blobs.forEach((b, i) => {
      expect(sha256(b), `hnum ${r.packages[i]!.hnum}`).toBe(want[String(r.packages[i]!.hnum)]);
    });
    const nevras = new Set(r.packages.map((p) => p.nevra));
    expect([...nevras].sort()).toEqual([
      'app-0.1-1.noarch',
      'helper-1.0-1.noarch',
      'libfoo-1:1.2-3.noarch',
      'tiny-1-0.noarch',
    ]);
    // Copies stored under other numbers (101.. copy 1, 2, 3, 1, ...) decode identically.
    const app = r.packages.find((p) => p.name === 'app')!;
    const copy = r.packages.find((p) => p.hnum === 100 + app.hnum)!;
    expect({ ...copy, hnum: app.hnum }).toEqual(app);
    expect(app.requires.some((d) => d.name === '/usr/bin/helper')).toBe(true);
  });

  it('truncated and corrupt files are typed errors', () => {
    const bytes = new Uint8Array(readFileSync(`${ROOT}/var/lib/rpm/Packages`));
    expect(() => readRpmdbBdb(bytes.slice(0, 100), 'n')).toThrow(
      expect.objectContaining({ kind: 'truncated' }),
    );
    expect(() => readRpmdbBdb(bytes.slice(0, bytes.length - 1024), 'n')).toThrow(
      expect.objectContaining({ kind: 'truncated', node: 'n' }),
    );
    const badMagic = bytes.slice();
    badMagic[12] = 0;
    expect(() => readRpmdbBdb(badMagic, 'n')).toThrow(expect.objectContaining({ kind: 'corrupt' }));
    // Break the page number of every data page: the walk must notice.
    const badPage = bytes.slice();
    for (let at = 1024; at < badPage.length; at += 1024) badPage[at + 8] = (badPage[at + 8]! + 1) & 0xff;
    expect(() => readRpmdbBdb(badPage, 'n')).toThrow(expect.objectContaining({ kind: 'corrupt' }));
  });

  it('damaged files only ever throw RpmdbError', () => {
    const bytes = new Uint8Array(readFileSync(`${ROOT}/var/lib/rpm/Packages`));
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            // Half of the edits hit the meta page and the first bucket page.
            fc.oneof(fc.integer({ min: 0, max: 2047 }), fc.integer({ min: 0, max: bytes.length - 1 })),
            fc.integer({ min: 0, max: 255 }),
          ),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        (edits) => {
          const b = bytes.slice();
          for (const [at, v] of edits) b[at] = v;
          try {
            readRpmdbBdb(b, 'n');
          } catch (err) {
            expect(err).toBeInstanceOf(RpmdbError);
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('reads a big-endian database (as written on ppc64/s390x)', () => {
    const le = new Uint8Array(readFileSync(`${ROOT}/var/lib/rpm/chained/Packages`));
    const be = toBigEndian(le);
    const a = readRpmdbBdb(le, 'le');
    const b = readRpmdbBdb(be, 'be');
    expect(b.packages.map((p) => p.hnum)).toEqual(a.packages.map((p) => p.hnum));
    expect(b.blobs).toEqual(a.blobs);
  });
});

/** Byte-swap a little-endian hash database: meta words, page headers, index, off-page refs and keys. */
function toBigEndian(src: Uint8Array): Uint8Array {
  const out = src.slice();
  const lv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const bv = new DataView(out.buffer);
  const w32 = (at: number) => bv.setUint32(at, lv.getUint32(at, true), false);
  const w16 = (at: number) => bv.setUint16(at, lv.getUint16(at, true), false);
  const pageSize = lv.getUint32(20, true);
  for (let at = 8; at < 224; at += 4) if (at !== 24) w32(at);
  for (let page = pageSize; page < src.length; page += pageSize) {
    w32(page + 8);
    w32(page + 12);
    w32(page + 16);
    w16(page + 20);
    w16(page + 22);
    const type = src[page + 25];
    if (type !== 2 && type !== 13) continue;
    const n = lv.getUint16(page + 20, true);
    for (let i = 0; i < n; i++) {
      w16(page + 26 + 2 * i);
      const off = lv.getUint16(page + 26 + 2 * i, true);
      if (src[page + off] === 3) {
        w32(page + off + 4);
        w32(page + off + 8);
      } else if (i % 2 === 0) {
        const end = i === 0 ? pageSize : lv.getUint16(page + 26 + 2 * i - 2, true);
        // A 4-byte inline key is a header number, stored in the database's byte order.
        if (end - off === 5) w32(page + off + 1);
      }
    }
  }
  return out;
}
