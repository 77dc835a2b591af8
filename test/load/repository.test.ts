import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Host, HostError } from '../../src/host/host.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { InputError } from '../../src/load/errors.js';
import { deriveRepoId, loadRepository, type RepoSpec, type SolvCache } from '../../src/load/repository.js';
import { loadEngine } from '../../src/solver/index.js';

const repos = new URL('../../corpus/repos/', import.meta.url).pathname;
const host = createNodeHost();
const tmp = mkdtempSync(join(tmpdir(), 'redproof-repo-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function spec(path: string, id = deriveRepoId(path)): RepoSpec {
  return { id, path, absPath: path.startsWith('/') ? path : join(repos, path) };
}

async function load(s: RepoSpec, options = {}, h: Host = host) {
  const e = await loadEngine();
  const pool = e.createPool('x86_64');
  try {
    const loaded = await loadRepository(h, e, pool, s, options);
    pool.prepare();
    return {
      loaded,
      nevras: pool
        .list()
        .filter((p) => p.repo === s.id)
        .map((p) => p.nevra)
        .sort(),
    };
  } finally {
    pool.dispose();
  }
}

async function inputError(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error('expected an InputError');
}

function primaryOf(dir: string): string {
  const f = readdirSync(join(dir, 'repodata')).find((n) => n.includes('-primary.xml'));
  if (!f) throw new Error(`no primary in ${dir}`);
  return join(dir, 'repodata', f);
}

describe('loadRepository', () => {
  it('reads every compression createrepo_c writes, recognised by content, with identical packages', async () => {
    const base = await load(spec('clean'));
    expect(base.nevras.length).toBeGreaterThan(5);
    expect(base.loaded.usedFilelists).toBe(true);
    expect(base.loaded.ignoredTypes).toContain('other');
    for (const variant of ['clean-xz', 'clean-zst', 'clean-bz2']) {
      const r = await load(spec(variant, 'clean'));
      expect(r.nevras, variant).toEqual(base.nevras);
    }
    // a zstd primary renamed .gz still loads: compression comes from the magic bytes
    const p = join(tmp, 'primary.xml.gz');
    copyFileSync(primaryOf(join(repos, 'clean-zst')), p);
    expect((await load({ id: 'clean', path: 'primary.xml.gz', absPath: p })).nevras).toEqual(base.nevras);
  });

  it('verifies checksums against repomd.xml and names the file, expected and actual', async () => {
    const err = await inputError(load(spec('checksum-mismatch')));
    expect(err.kind).toBe('checksum-mismatch');
    expect(err.file).toMatch(/checksum-mismatch\/repodata\/.*-primary\.xml\.gz$/);
    expect(err.message).toMatch(/expects sha256 [0-9a-f]{64}, the file has [0-9a-f]{64}/);
  });

  it('gives a specific error for a missing repomd, an unknown href and an empty directory', async () => {
    const empty = join(tmp, 'empty');
    cpSync(join(repos, 'clean'), join(tmp, 'nohref'), { recursive: true });
    writeFileSync(join(tmp, 'placeholder'), '');
    rmSync(
      join(
        tmp,
        'nohref',
        'repodata',
        readdirSync(join(tmp, 'nohref', 'repodata')).find((f) => f.includes('primary'))!,
      ),
    );
    await import('node:fs').then((fs) => fs.mkdirSync(empty, { recursive: true }));
    expect((await inputError(load({ id: 'e', path: 'empty', absPath: empty }))).kind).toBe('repomd-missing');
    const nohref = await inputError(load({ id: 'n', path: 'nohref', absPath: join(tmp, 'nohref') }));
    expect(nohref.kind).toBe('repomd-href-missing');
    expect(nohref.file).toBe('nohref/repodata/repomd.xml');
    expect((await inputError(load({ id: 'x', path: 'nothing', absPath: join(tmp, 'nothing') }))).kind).toBe(
      'not-found',
    );
    // a missing filelists file: the error says what --no-filelists would do, and --no-filelists loads
    cpSync(join(repos, 'clean'), join(tmp, 'nofl'), { recursive: true });
    const fl = readdirSync(join(tmp, 'nofl', 'repodata')).find((f) => f.includes('filelists'))!;
    rmSync(join(tmp, 'nofl', 'repodata', fl));
    const nofl = await inputError(load({ id: 'f', path: 'nofl', absPath: join(tmp, 'nofl') }));
    expect(nofl.kind).toBe('repomd-href-missing');
    expect(nofl.message).toMatch(
      /lists filelists at .*, which does not exist; `--no-filelists` skips it: file dependencies then resolve only through the paths primary\.xml lists/,
    );
    const skipped = await load({ id: 'f', path: 'nofl', absPath: join(tmp, 'nofl') }, { noFilelists: true });
    expect(skipped.loaded.usedFilelists).toBe(false);
    // the primary file is never optional: no such advice there
    expect(nohref.message).not.toContain('--no-filelists');
  });

  it('rejects a truncated compressed file instead of reading half a repository', async () => {
    const bytes = readFileSync(primaryOf(join(repos, 'clean')));
    const p = join(tmp, 'truncated-primary.xml.gz');
    writeFileSync(p, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const err = await inputError(load({ id: 't', path: 'truncated-primary.xml.gz', absPath: p }));
    expect(['primary-corrupt', 'primary-parse', 'primary-count']).toContain(err.kind);
    expect(err.message).toMatch(/^truncated-primary\.xml\.gz: /);
  });

  it('rejects XML that is not rpm-md, an unknown compression and an old or foreign .solv', async () => {
    const html = join(tmp, 'index.xml');
    writeFileSync(html, '<?xml version="1.0"?><html><body>not a repo</body></html>');
    const notRpmmd = await inputError(load({ id: 'h', path: 'index.xml', absPath: html }));
    expect(notRpmmd.kind).toBe('primary-root');
    expect(notRpmmd.message).toMatch(/root element is <html>/);

    const zip = join(tmp, 'primary.zip');
    writeFileSync(zip, Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]));
    await expect(load({ id: 'z', path: 'primary.zip', absPath: zip })).rejects.toThrow(
      /zip compression is not supported/,
    );

    const solv = join(tmp, 'other.solv');
    // SOLV magic with a version this libsolv does not read
    writeFileSync(solv, Buffer.from([0x53, 0x4f, 0x4c, 0x56, 0, 0, 0, 99, 0, 0, 0, 0]));
    const foreign = await inputError(load({ id: 's', path: 'other.solv', absPath: solv }));
    expect(foreign.kind).toBe('solv');
    expect(foreign.message).toMatch(/^other\.solv: .*unsupported SOLV version/);
  });

  it('reports an unreadable directory with the host error', async () => {
    const denying: Host = {
      ...host,
      stat: async () => ({ type: 'dir', size: 0, mode: 0o40000, mtimeMs: 0 }),
      readFile: async (p) => {
        throw new HostError('EACCES', p, `permission denied: ${p}`);
      },
    };
    const err = await inputError(load(spec('clean'), {}, denying));
    expect(err.kind).toBe('unreadable');
    expect(err.message).toMatch(/clean\/repodata\/repomd\.xml: cannot read: permission denied/);
  });

  it('caches parsed repositories as .solv and rebuilds a corrupt entry', async () => {
    const store = new Map<string, Uint8Array>();
    let dropped = 0;
    const cache: SolvCache = {
      get: async (k) => store.get(k),
      put: async (k, b) => void store.set(k, b),
      drop: async (k) => {
        dropped++;
        store.delete(k);
      },
    };
    const cold = await load(spec('clean'), { cache, cacheVersion: 't' });
    expect(cold.loaded.fromCache).toBe(false);
    // the parsed repository, the directory and ghost entries libsolv does not keep, the parsed repomd.xml
    expect(store.size).toBe(4);
    const warm = await load(spec('clean'), { cache, cacheVersion: 't' });
    expect(warm.loaded.fromCache).toBe(true);
    expect(warm.nevras).toEqual(cold.nevras);
    // a cached repomd.xml that is not one is parsed again and replaced
    const repomdKey = [...store.keys()].find((k) => k.endsWith('-repomd'))!;
    const repomd = store.get(repomdKey)!;
    store.set(repomdKey, new TextEncoder().encode('{"not":"repomd"'));
    const reparsed = await load(spec('clean'), { cache, cacheVersion: 't' });
    expect(reparsed.loaded.fromCache).toBe(true);
    expect(reparsed.nevras).toEqual(cold.nevras);
    expect(store.get(repomdKey)).toEqual(repomd);
    const key = [...store.keys()].find((k) => !/-(dirs|ghosts|repomd)$/.test(k));
    store.set(key!, new Uint8Array([1, 2, 3]));
    const rebuilt = await load(spec('clean'), { cache, cacheVersion: 't' });
    expect(rebuilt.loaded.fromCache).toBe(false);
    expect(rebuilt.nevras).toEqual(cold.nevras);
    expect(dropped).toBe(1);
    // another engine version never reuses the entry
    expect((await load(spec('clean'), { cache, cacheVersion: 'u' })).loaded.fromCache).toBe(false);
  });

  it('derives repository ids from paths', () => {
    expect(deriveRepoId('mirror/BaseOS/')).toBe('BaseOS');
    expect(deriveRepoId('x/repodata/abc-primary.xml.gz')).toBe('x');
    expect(deriveRepoId('repo.solv')).toBe('repo');
  });
});
