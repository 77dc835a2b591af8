import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { XzError, xzDecompress } from '../../src/util/xz.js';

// Fixtures written by xz 5.4 (xz-utils): `seq 1 30000`, 3000 random bytes (stored LZMA2 chunks) and
// the seq again, compressed with the options the names say; the digests are `xz -dc FILE | sha256sum`.
const dir = new URL('../fixtures/xz/', import.meta.url);
const read = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const MIX = '185698b7f72214eea4aac652d1a33c41ba78d9075515024e5f9c88137131c634';

describe('xzDecompress', () => {
  it.each([
    ['mix.xz', 'default preset, CRC64'],
    ['mix-crc32.xz', '-0, CRC32'],
    ['mix-sha256.xz', '-9e, SHA-256'],
    ['mix-lp4.xz', 'lc=0 lp=4 pb=0, no check'],
    ['mix-blocks.xz', 'seven blocks (-T2 --block-size=50000)'],
  ])('%s (%s) gives what xz -dc gives', (file) => {
    const out = xzDecompress(read(file));
    expect(out.length).toBe(340788);
    expect(sha(out)).toBe(MIX);
  });

  it('reads concatenated streams with stream padding, and an empty stream', () => {
    const two = xzDecompress(read('two-streams.xz'));
    expect([two.length, sha(two)]).toEqual([
      171894,
      '648d3fd9a63a77ab74dbead4bd9c29c44c49086e6f3ae9fff057d742f7a4c5ba',
    ]);
    expect(xzDecompress(read('empty.xz')).length).toBe(0);
  });

  it('refuses what it cannot decode with a reason', () => {
    expect(() => xzDecompress(read('bcj.xz'))).toThrow(/unsupported \.xz filter 0x4 \(only LZMA2/);
    expect(() => xzDecompress(new TextEncoder().encode('<comps/>'))).toThrow(/not an \.xz file/);
    const mix = read('mix.xz');
    expect(() => xzDecompress(mix.subarray(0, 4000))).toThrow(XzError);
    const header = mix.slice();
    header[7] = 0x0a;
    expect(() => xzDecompress(header)).toThrow(/stream header CRC32 mismatch/);
  });

  it('verifies the CRC64 and CRC32 checks of the blocks', () => {
    // [block][check][index: 12 bytes for one block][footer: 12 bytes]; flip the first check byte
    for (const [file, size, message] of [
      ['mix.xz', 8, /block CRC64 mismatch/],
      ['mix-crc32.xz', 4, /block CRC32 mismatch/],
    ] as const) {
      const bytes = read(file).slice();
      const at = bytes.length - 24 - size;
      bytes[at] = bytes[at]! ^ 0x01;
      expect(() => xzDecompress(bytes), file).toThrow(message);
    }
    // a flipped byte in the LZMA data is caught while decoding
    const data = read('mix.xz').slice();
    data[5000] = data[5000]! ^ 0x01;
    expect(() => xzDecompress(data)).toThrow(/corrupt LZMA data/);
  });
});
