import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeHost } from '../../src/host/node-host.js';
import { loadRepoPool, type RepoPoolOptions } from '../../src/load/repo-pool.js';
import type { RepoSpec, SolvCache } from '../../src/load/repository.js';
import { createEngine, type Engine, type Pool } from '../../src/solver/index.js';

const repos = new URL('../../corpus/repos/', import.meta.url).pathname;
const host = createNodeHost();
const spec = (id: string, dir = id): RepoSpec => ({ id, path: dir, absPath: join(repos, dir) });
const SPECS = [spec('demo'), spec('upd', 'demo-updates')];

function memoryCache() {
  const entries = new Map<string, Uint8Array>();
  const cache: SolvCache = {
    get: async (k) => entries.get(k),
    put: async (k, b) => void entries.set(k, new Uint8Array(b)),
    drop: async (k) => void entries.delete(k),
  };
  return { cache, entries, images: () => [...entries.keys()].filter((k) => k.endsWith('-pool')) };
}

/**
 * Everything a command reads of a pool's packages: identity, metadata (checksums included), files and
 * providers. Lists are sorted: a pool read from a `.solv` lists dependencies in the order libsolv's writer
 * stored them, not primary.xml's.
 */
function contents(pool: Pool) {
  return pool.list().map((p) => {
    const s: Record<string, unknown> = { ...p, ...pool.solvable(p.id, { files: true }) };
    for (const [k, v] of Object.entries(s)) if (Array.isArray(v)) s[k] = [...v].map(String).sort();
    return { ...s, providers: pool.whatProvides(p.name) };
  });
}

async function load(engine: Engine, cache: SolvCache, extra: Partial<RepoPoolOptions> = {}) {
  return loadRepoPool(host, engine, SPECS, { arch: 'x86_64', cache, cacheVersion: 't', ...extra });
}

function summary(r: Awaited<ReturnType<typeof load>>) {
  return r.loaded.map((l) => ({
    id: l.spec.id,
    packages: l.packages,
    repo: l.repo.name,
    updateinfo: l.updateinfo?.name,
    dirs: [...l.dirs].sort(),
    ghosts: l.ghosts && [...l.ghosts],
    checksum: l.checksum,
    revision: l.revision,
    usedFilelists: l.usedFilelists,
    ignoredTypes: l.ignoredTypes,
  }));
}

describe('loadRepoPool: the prepared pool of a command, restored from a memory image', () => {
  it('restores the pool it imaged: the same packages, metadata, files, providers and loaded repositories', async () => {
    const { cache, images } = memoryCache();
    const e1 = await createEngine();
    const cold = await load(e1, cache);
    expect(cold.restored).toBe(false);
    expect(images()).toHaveLength(1);
    const want = { contents: contents(cold.pool), loaded: summary(cold) };
    expect(want.contents.some((p) => (p as { checksum?: string }).checksum)).toBe(true);
    expect(want.loaded[1]!.updateinfo).toBe('upd:updateinfo');
    cold.pool.dispose();

    const warm = await load(await createEngine(), cache);
    expect(warm.restored).toBe(true);
    expect({ contents: contents(warm.pool), loaded: summary(warm) }).toEqual(want);
    expect(warm.pool.advisories(warm.loaded[1]!.updateinfo!).length).toBeGreaterThan(0);
    warm.pool.dispose();
  });

  it('an image taken of a pool read from the cached .solv is whole too (no data left paged in a file)', async () => {
    const { cache, entries, images } = memoryCache();
    const first = await load(await createEngine(), cache);
    const want = contents(first.pool);
    first.pool.dispose();
    for (const k of images()) entries.delete(k);
    // the second run reads every repository from its cached .solv and images that pool
    const fromSolv = await load(await createEngine(), cache);
    expect(fromSolv.restored).toBe(false);
    expect(fromSolv.loaded.every((l) => l.fromCache)).toBe(true);
    fromSolv.pool.dispose();
    const restored = await load(await createEngine(), cache);
    expect(restored.restored).toBe(true);
    expect(contents(restored.pool)).toEqual(want);
    restored.pool.dispose();
  });

  it('drops an image it cannot restore and makes the pool again', async () => {
    const { cache, entries, images } = memoryCache();
    const first = await load(await createEngine(), cache);
    const want = contents(first.pool);
    first.pool.dispose();
    const key = images()[0]!;
    entries.set(key, entries.get(key)!.subarray(0, 1000));
    const again = await load(await createEngine(), cache);
    expect(again.restored).toBe(false);
    expect(contents(again.pool)).toEqual(want);
    // and images it anew
    expect(entries.get(key)!.length).toBeGreaterThan(1000);
    again.pool.dispose();
  });

  it('does not restore into an engine that holds a pool, nor image a pool that is not alone', async () => {
    const { cache, images } = memoryCache();
    const e = await createEngine();
    const other = e.createPool('x86_64');
    const r = await load(e, cache);
    expect(r.restored).toBe(false);
    expect(images()).toHaveLength(0);
    r.pool.dispose();
    const r2 = await load(e, cache);
    expect(r2.restored).toBe(false);
    r2.pool.dispose();
    other.dispose();
  });

  it('keys images by arch and its strictness, and by what the repositories hold', async () => {
    const { cache, images } = memoryCache();
    const e = await createEngine();
    for (const extra of [{}, { arch: 'aarch64' }, { strictArch: true }, { noFilelists: true }]) {
      const r = await load(e, cache, extra);
      expect(r.restored).toBe(false);
      expect(r.pool.arch).toBe(extra.arch ?? 'x86_64');
      r.pool.dispose();
    }
    expect(images()).toHaveLength(4);
    const one = await loadRepoPool(host, e, [SPECS[0]!], { arch: 'x86_64', cache, cacheVersion: 't' });
    expect(one.restored).toBe(false);
    one.pool.dispose();
    expect(images()).toHaveLength(5);
  });

  it('a primary.xml named directly is loaded as before, and that pool is not imaged', async () => {
    const { cache, images } = memoryCache();
    const { readdirSync } = await import('node:fs');
    const primary = readdirSync(join(repos, 'demo/repodata')).find((f) => f.endsWith('-primary.xml.gz'))!;
    const file: RepoSpec = { id: 'p', path: 'p', absPath: join(repos, 'demo/repodata', primary) };
    const e = await createEngine();
    for (let i = 0; i < 2; i++) {
      const r = await loadRepoPool(host, e, [SPECS[1]!, file], { arch: 'x86_64', cache, cacheVersion: 't' });
      expect(r.restored).toBe(false);
      expect(r.loaded.map((l) => l.kind)).toEqual(['repomd', 'primary']);
      r.pool.dispose();
    }
    expect(images()).toHaveLength(0);
  });
});
