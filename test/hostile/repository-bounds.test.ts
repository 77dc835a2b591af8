import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readModularSource } from '../../src/engine/transaction/candidates.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { DEFAULT_LIMITS } from '../../src/limits/limits.js';
import { readRepoComps } from '../../src/load/comps.js';
import { decompressedSize } from '../../src/load/decompressed-size.js';
import { InputError } from '../../src/load/errors.js';
import { loadRepository, type RepoSpec, type SolvCache } from '../../src/load/repository.js';
import { rootElement } from '../../src/load/xml-sniff.js';
import { loadEngine } from '../../src/solver/index.js';
import { primaryXml } from '../helpers/rpmmd-writer.js';
import { tempDir, writeRepo, zstdRleBomb } from './repo-helpers.js';

const repos = new URL('../../corpus/repos/', import.meta.url).pathname;
const tmp = tempDir('repo-bounds');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const spec = (absPath: string, extra: Partial<RepoSpec> = {}): RepoSpec => ({
  id: 'r',
  path: absPath.startsWith(tmp) ? absPath.slice(tmp.length + 1) : absPath,
  absPath,
  ...extra,
});

async function load(s: RepoSpec, options = {}) {
  const e = await loadEngine();
  const pool = e.createPool('x86_64');
  try {
    return await loadRepository(createNodeHost(), e, pool, s, options);
  } finally {
    pool.dispose();
  }
}

async function inputError(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return err;
  }
  throw new Error('expected an InputError');
}

const PRIMARY = primaryXml([
  { name: 'a', arch: 'x86_64', provides: [], requires: [], conflicts: [] },
  { name: 'b', arch: 'noarch', provides: [], requires: [], conflicts: [] },
]);

describe('decompressed sizes, known before the engine decompresses', () => {
  for (const [dir, exact] of [
    ['clean', true],
    ['clean-xz', true],
    ['clean-zst', false],
    ['clean-bz2', false],
  ] as const) {
    it(`${dir}: the size is ${exact ? 'exact' : 'an upper bound'} (open-size of repomd.xml)`, async () => {
      const repomd = readFileSync(join(repos, dir, 'repodata/repomd.xml'), 'utf8');
      const name = readdirSync(join(repos, dir, 'repodata')).find((n) => n.includes('-primary.xml'))!;
      const block = repomd.slice(repomd.indexOf(name));
      const openSize = Number(/<open-size>(\d+)<\/open-size>/.exec(block)![1]);
      const bound = await decompressedSize(readFileSync(join(repos, dir, 'repodata', name)), 1 << 30);
      expect(bound.corrupt).toBeUndefined();
      if (exact) expect(bound.size).toBe(openSize);
      else expect(bound.size).toBeGreaterThanOrEqual(openSize);
    });
  }
});

describe('decompression bombs are refused with the file and the limit', () => {
  it('a 100 MB gzip primary of 100 KB', async () => {
    const bomb = gzipSync(Buffer.concat([Buffer.from(PRIMARY), Buffer.alloc(100 * 1024 * 1024, 0x20)]), {
      level: 9,
    });
    const dir = writeRepo(join(tmp, 'gz-bomb'), [{ type: 'primary', name: 'p-primary.xml.gz', bytes: bomb }]);
    const err = await inputError(load(spec(dir)));
    expect(err.kind).toBe('decompression-limit');
    expect(err.message).toMatch(
      /gz-bomb\/repodata\/p-primary\.xml\.gz: gzip data of .* decompresses to more than 64 MiB, over the limit of 64 MiB/,
    );
  });

  it('a 26 KB zstd primary that would decode to 800 MiB', async () => {
    const bomb = zstdRleBomb(6400);
    expect(bomb.byteLength).toBeLessThan(30_000);
    const dir = writeRepo(join(tmp, 'zst-bomb'), [
      { type: 'primary', name: 'p-primary.xml.zst', bytes: bomb },
    ]);
    const err = await inputError(load(spec(dir)));
    expect(err.kind).toBe('decompression-limit');
    expect(err.message).toMatch(
      /zstd data of 25\.0 KiB may decompress to up to 800 MiB, over the limit of 64 MiB/,
    );
  });

  it('a limit raised with --limit lets the same data through to the engine', async () => {
    const data = Buffer.concat([
      Buffer.from(PRIMARY.replace('</metadata>', '')),
      Buffer.alloc(70 << 20, 0x20),
      Buffer.from('</metadata>\n'),
    ]);
    const gz = gzipSync(data, { level: 9 });
    const dir = writeRepo(join(tmp, 'gz-big'), [{ type: 'primary', name: 'p-primary.xml.gz', bytes: gz }]);
    expect((await inputError(load(spec(dir)))).kind).toBe('decompression-limit');
    const e = await loadEngine();
    const pool = e.createPool('x86_64');
    try {
      const host = createNodeHost({ ...DEFAULT_LIMITS, ratioFloor: 128 << 20 });
      const loaded = await loadRepository(host, e, pool, spec(dir));
      expect(loaded.packages).toBe(2);
    } finally {
      pool.dispose();
    }
  });

  it('an open-size above the limit is refused before decompressing; a wrong one is an error', async () => {
    const gz = gzipSync(PRIMARY);
    const big = writeRepo(join(tmp, 'open-big'), [
      { type: 'primary', name: 'p-primary.xml.gz', bytes: gz, openSize: 3 * 2 ** 30 },
    ]);
    expect((await inputError(load(spec(big)))).message).toMatch(
      /declares an open-size of 3 GiB, over the limit/,
    );
    const wrong = writeRepo(join(tmp, 'open-wrong'), [
      { type: 'primary', name: 'p-primary.xml.gz', bytes: gz, openSize: PRIMARY.length + 1 },
    ]);
    expect((await inputError(load(spec(wrong)))).kind).toBe('open-size-mismatch');
  });

  it('a gzip missing its trailer, or with a bad CRC, names the file and says what is wrong', async () => {
    const gz = gzipSync(PRIMARY);
    const cut = writeRepo(join(tmp, 'gz-cut'), [
      { type: 'primary', name: 'p-primary.xml.gz', bytes: gz.subarray(0, gz.length - 8) },
    ]);
    const e1 = await inputError(load(spec(cut)));
    expect(e1.message).toMatch(
      /^gz-cut\/repodata\/p-primary\.xml\.gz: cannot decompress: the gzip data ends early/,
    );
    expect(e1.message).not.toMatch(/\/in\//);
    const bad = Buffer.from(gz);
    bad[bad.length - 6]! ^= 0xff; // CRC32
    const crc = writeRepo(join(tmp, 'gz-crc'), [{ type: 'primary', name: 'p-primary.xml.gz', bytes: bad }]);
    expect((await inputError(load(spec(crc)))).message).toMatch(/gzip CRC or length check failed/);
  });
});

describe('what a repository may point at', () => {
  it('a symlink inside repodata leading out of the repository is refused without reading it', async () => {
    const secret = join(tmp, 'secret.xml.gz');
    writeFileSync(secret, gzipSync(PRIMARY));
    const dir = writeRepo(join(tmp, 'escape'), [
      { type: 'primary', name: 'p-primary.xml.gz', bytes: readFileSync(secret) },
    ]);
    unlinkSync(join(dir, 'repodata/p-primary.xml.gz'));
    symlinkSync(secret, join(dir, 'repodata/p-primary.xml.gz'));
    const err = await inputError(load(spec(dir)));
    expect(err.kind).toBe('outside-repository');
    expect(err.message).not.toMatch(/[0-9a-f]{64}|bytes/);
  });

  it('a symlink within the repository is followed', async () => {
    const dir = writeRepo(join(tmp, 'inner-link'), [
      { type: 'primary', name: 'p-primary.xml.gz', bytes: gzipSync(PRIMARY) },
    ]);
    writeFileSync(join(dir, 'real.gz'), readFileSync(join(dir, 'repodata/p-primary.xml.gz')));
    unlinkSync(join(dir, 'repodata/p-primary.xml.gz'));
    symlinkSync('../real.gz', join(dir, 'repodata/p-primary.xml.gz'));
    expect((await load(spec(dir))).packages).toBe(2);
  });

  it('a device is refused before it is opened: --repo /dev/zero, a primary linked to /dev/zero', async () => {
    const err = await inputError(load(spec('/dev/zero')));
    expect(err.kind).toBe('not-a-file');
    expect(err.message).toBe(
      '/dev/zero: a character device, which is not read; expected a directory holding repodata/repomd.xml, a primary.xml[.gz|.xz|.zst|.bz2] or a .solv file',
    );
    const dir = writeRepo(join(tmp, 'dev'), [
      { type: 'primary', name: 'p-primary.xml.gz', bytes: gzipSync(PRIMARY) },
    ]);
    const inside = join(dir, 'repodata/p-primary.xml.gz');
    unlinkSync(inside);
    symlinkSync('/dev/zero', inside);
    expect((await inputError(load(spec(dir)))).kind).toBe('outside-repository');
  });

  it('a FIFO in a repository is refused; one named on the command line is read', async () => {
    const dir = writeRepo(join(tmp, 'fifo'), [
      { type: 'primary', name: 'p-primary.xml.gz', bytes: gzipSync(PRIMARY) },
    ]);
    const inside = join(dir, 'repodata/p-primary.xml.gz');
    unlinkSync(inside);
    execFileSync('mkfifo', [inside]);
    const err = await inputError(load(spec(dir)));
    expect(err.message).toMatch(/p-primary\.xml\.gz: a FIFO, which is not read/);
    const fifo = join(tmp, 'cmdline.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = import('node:fs/promises').then((fs) => fs.writeFile(fifo, PRIMARY));
    const loaded = await load(spec(fifo, { allowPipe: true }));
    await writer;
    expect(loaded.packages).toBe(2);
    expect((await inputError(load(spec(fifo)))).kind).toBe('not-a-file');
  });

  it('a repodata directory that cannot be searched is not "no repomd.xml"', async () => {
    const dir = writeRepo(join(tmp, 'noexec'), [
      { type: 'primary', name: 'p-primary.xml.gz', bytes: gzipSync(PRIMARY) },
    ]);
    const e = await inputError(load(spec(join(dir, 'missing-dir'))));
    expect(e.kind).toBe('not-found');
  });
});

describe('comps and modules.yaml are read inside the repository too', () => {
  const COMPS =
    '<?xml version="1.0"?><comps><group><id>core</id><packagelist><packagereq>a</packagereq></packagelist></group></comps>';
  const MODULES = '---\ndocument: modulemd-defaults\nversion: 1\ndata:\n  module: m\n  stream: s\n...\n';

  it('a comps or modules file linked out of the repository is refused without being read', async () => {
    const secret = join(tmp, 'secret.xml');
    writeFileSync(secret, COMPS);
    const dir = writeRepo(join(tmp, 'comps-out'), [
      { type: 'primary', name: 'p-primary.xml.gz', bytes: gzipSync(PRIMARY) },
      { type: 'group', name: 'comps.xml', bytes: Buffer.from(COMPS) },
      { type: 'modules', name: 'modules.yaml', bytes: Buffer.from(MODULES) },
    ]);
    const host = createNodeHost();
    expect((await readRepoComps(host, dir, 'comps-out'))?.comps.groups.map((g) => g.id)).toEqual(['core']);
    const modules = () => readModularSource(host, [{ id: 'r', path: 'comps-out', absPath: dir }]);
    expect((await modules())?.docs).toEqual([MODULES]);
    for (const [name, read] of [
      ['comps.xml', () => readRepoComps(host, dir, 'comps-out')],
      ['modules.yaml', modules],
    ] as const) {
      unlinkSync(join(dir, 'repodata', name));
      symlinkSync(secret, join(dir, 'repodata', name));
      const err = await inputError(read());
      expect(err.kind).toBe('outside-repository');
      expect(err.message).toBe(
        `comps-out/repodata/${name}: a symlink leads outside the repository; it is not read; expected every metadata file inside the repository directory`,
      );
    }
  });

  it('a repomd.xml linked out of the repository is refused as well', async () => {
    const dir = writeRepo(join(tmp, 'comps-repomd-out'), [
      { type: 'group', name: 'comps.xml', bytes: Buffer.from(COMPS) },
    ]);
    const outside = join(tmp, 'repomd-outside.xml');
    writeFileSync(outside, readFileSync(join(dir, 'repodata/repomd.xml')));
    unlinkSync(join(dir, 'repodata/repomd.xml'));
    symlinkSync(outside, join(dir, 'repodata/repomd.xml'));
    expect((await inputError(readRepoComps(createNodeHost(), dir, 'x'))).kind).toBe('outside-repository');
  });
});

describe('a warm cache verifies every file repomd.xml names', () => {
  it('deleting or replacing primary and filelists after a warm run fails as without a cache', async () => {
    const store = new Map<string, Uint8Array>();
    const cache: SolvCache = {
      get: async (k) => store.get(k),
      put: async (k, b) => void store.set(k, b),
      drop: async (k) => void store.delete(k),
    };
    const dir = join(tmp, 'warm');
    execFileSync('cp', ['-r', join(repos, 'clean'), dir]);
    const first = await load(spec(dir), { cache });
    expect(first.fromCache).toBe(false);
    expect((await load(spec(dir), { cache })).fromCache).toBe(true);
    const primary = readdirSync(join(dir, 'repodata')).find((n) => n.includes('-primary.xml'))!;
    const p = join(dir, 'repodata', primary);
    const bytes = readFileSync(p);
    // same size, other content
    const other = Buffer.from(bytes);
    other[other.length - 1]! ^= 1;
    writeFileSync(p, other);
    const warm = await inputError(load(spec(dir), { cache }));
    const cold = await inputError(load(spec(dir)));
    expect(warm.message).toBe(cold.message);
    expect(warm.kind).toBe('checksum-mismatch');
    rmSync(p);
    expect((await inputError(load(spec(dir), { cache }))).kind).toBe('repomd-href-missing');
  });
});

describe('sniffing the root element', () => {
  it('skips comments and processing instructions of any length', async () => {
    const text = `<?xml version="1.0"?>\n<!--${'x'.repeat(4096)}-->\n<?pi data?>${PRIMARY.slice(PRIMARY.indexOf('<metadata'))}`;
    expect(rootElement(text)).toBe('metadata');
    const dir = writeRepo(join(tmp, 'comment'), [
      { type: 'primary', name: 'p-primary.xml.gz', bytes: gzipSync(text) },
    ]);
    expect((await load(spec(dir))).packages).toBe(2);
    expect(gunzipSync(readFileSync(join(dir, 'repodata/p-primary.xml.gz'))).length).toBeGreaterThan(4096);
  });
});
