import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DecompressError, DecompressLimitError, decompress } from '../../src/load/decompress.js';

const repos = join(import.meta.dirname, '../../corpus/repos');
const file = (repo: string, type: string) => {
  const dir = join(repos, repo, 'repodata');
  const name = readdirSync(dir).find((n) => n.includes(`-${type}.xml`));
  if (!name) throw new Error(`no ${type} in ${dir}`);
  return readFileSync(join(dir, name));
};

describe('decompress', () => {
  // createrepo_c, xz, zstd and bzip2 wrote these (corpus/build.sh): every one must give the gzip text
  it('reads what createrepo_c writes in every compression, byte for byte alike', () => {
    for (const type of ['primary', 'filelists']) {
      const plain = decompress(file('clean', type));
      expect(plain.compression).toBe('gzip');
      expect(new TextDecoder().decode(plain.bytes)).toMatch(/^<\?xml/);
      for (const [repo, c] of [
        ['clean-xz', 'xz'],
        ['clean-zst', 'zstd'],
        ['clean-bz2', 'bzip2'],
      ] as const) {
        const got = decompress(file(repo, type));
        expect(got.compression, repo).toBe(c);
        expect(Buffer.from(got.bytes).equals(Buffer.from(plain.bytes)), `${repo} ${type}`).toBe(true);
      }
    }
  });

  it('stops at the byte limit in every compression, and passes data of exactly that size', () => {
    const size = decompress(file('clean', 'filelists')).bytes.length;
    for (const repo of ['clean', 'clean-xz', 'clean-zst', 'clean-bz2']) {
      const bytes = file(repo, 'filelists');
      expect(decompress(bytes, size).bytes.length, repo).toBe(size);
      expect(() => decompress(bytes, size - 1), repo).toThrow(DecompressLimitError);
    }
    expect(() => decompress(new TextEncoder().encode('plain text'), 4)).toThrow(DecompressLimitError);
  });

  it('a gzip bomb stops at the limit', () => {
    const bomb = gzipSync(new Uint8Array(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => decompress(bomb, 1024 * 1024)).toThrow(/larger than the limit of 1048576 bytes/);
  });

  it('corrupt data is a DecompressError naming the compression', () => {
    for (const [repo, c] of [
      ['clean', 'gzip'],
      ['clean-xz', 'xz'],
      ['clean-zst', 'zstd'],
      ['clean-bz2', 'bzip2'],
    ] as const) {
      const bytes = new Uint8Array(file(repo, 'primary'));
      const cut = bytes.subarray(0, bytes.length >> 1);
      let err: unknown;
      try {
        decompress(cut);
      } catch (e) {
        err = e;
      }
      expect(err, repo).toBeInstanceOf(DecompressError);
      expect((err as DecompressError).compression).toBe(c);
      expect((err as Error).message).toMatch(new RegExp(`^cannot decompress ${c} data: `));
    }
  });
});
