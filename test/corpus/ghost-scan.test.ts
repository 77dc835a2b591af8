/**
 * The `%ghost` scan and the shared decompression path on real metadata: MicroShift's zstd repodata,
 * CentOS Stream 9 AppStream's modules.yaml.xz, and CS9 BaseOS primary and filelists recompressed by
 * xz-utils, zstd and bzip2 (the scan must find the same ghosts as in the gzip files the mirror ships).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createNodeHost } from '../../src/host/node-host.js';
import { decompress } from '../../src/load/decompress.js';
import { ghostEntries } from '../../src/load/ghost-entries.js';
import { loadRepository } from '../../src/load/repository.js';
import { loadEngine } from '../../src/solver/index.js';
import { corpus, spec } from './corpus.js';

const PACKAGES: Record<string, string> = { xz: 'xz-utils', zstd: 'zstd', bzip2: 'bzip2' };

function tool(cmd: string, args: string[], input?: Uint8Array): Buffer {
  const r = spawnSync(cmd, args, { input, maxBuffer: 1 << 28 });
  if (r.error)
    throw new Error(`${cmd} is not installed: this test needs Debian package \`${PACKAGES[cmd]}\``);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const metadata = (dir: string, type: string) => {
  const name = readdirSync(`${dir}/repodata`).find((n) => n.includes(`-${type}.`));
  if (!name) throw new Error(`no ${type} in ${dir}`);
  return `${dir}/repodata/${name}`;
};

describe('ghost scan on real metadata', () => {
  it('microshift-4.20-zst: zstd primary and filelists decode as zstd -dc does; ghosts are read, not unknown', async () => {
    const dir = corpus('microshift-4.20-zst');
    for (const type of ['primary', 'filelists']) {
      const file = metadata(dir, type);
      const got = decompress(readFileSync(file));
      expect(got.compression).toBe('zstd');
      expect(Buffer.from(got.bytes).equals(tool('zstd', ['-dc', file])), type).toBe(true);
    }
    const engine = await loadEngine();
    const pool = engine.createPool('x86_64');
    try {
      const loaded = await loadRepository(createNodeHost(), engine, pool, spec('microshift-4.20-zst'));
      expect(loaded.packages).toBe(11);
      // MicroShift's packages have no %ghost file (zstd -dc | grep type="ghost" finds none): known, empty
      expect(loaded.ghosts).toEqual(new Map());
    } finally {
      pool.dispose();
    }
  });

  it('cs9-appstream: modules.yaml.xz decodes as xz -dc does', () => {
    const file = metadata(corpus('cs9-appstream'), 'modules');
    const got = decompress(readFileSync(file));
    expect(got.compression).toBe('xz');
    expect(Buffer.from(got.bytes).equals(tool('xz', ['-dc', file]))).toBe(true);
  });

  it('cs9-baseos: primary and filelists recompressed as xz, zstd and bzip2 give the ghosts of the gzip files', () => {
    const dir = corpus('cs9-baseos-2024-04');
    for (const type of ['primary', 'filelists']) {
      const gz = readFileSync(metadata(dir, type));
      const expected = ghostEntries(gz);
      const raw = gunzipSync(gz);
      const count = raw.toString('utf8').split('<file type="ghost">').length - 1;
      expect(count, type).toBeGreaterThan(20);
      expect([...expected!.values()].flat().length, type).toBe(count);
      if (type === 'filelists')
        expect(expected!.get('setup-2.13.7-6.el9.noarch')).toContain('/var/log/lastlog');
      for (const [cmd, args] of [
        ['xz', ['-1', '-T1', '-c']],
        ['zstd', ['-3', '-q', '-c']],
        ['bzip2', ['-1', '-c']],
      ] as const) {
        const packed = tool(cmd, [...args], raw);
        expect(decompress(packed).compression, `${type} ${cmd}`).toBe(cmd);
        expect(ghostEntries(packed), `${type} ${cmd}`).toEqual(expected);
      }
    }
  });
});
