/**
 * Pool memory images on real CentOS Stream 9 BaseOS (src/load/repo-pool.ts). A `.solv` this large has
 * its vertical data (checksums, file lists) paged in by libsolv from a file descriptor on demand: an image
 * of such a pool, restored in another engine, had lost them (every lock checksum came out empty). The
 * glue reads a `.solv` from memory since, so the pool is whole in wasm memory.
 */
import { describe, expect, it } from 'vitest';
import { createNodeHost } from '../../src/host/node-host.js';
import { loadRepoPool } from '../../src/load/repo-pool.js';
import type { SolvCache } from '../../src/load/repository.js';
import { createEngine, type Pool } from '../../src/solver/index.js';
import { spec } from './corpus.js';

const host = createNodeHost();

function facts(pool: Pool) {
  return pool.list().map((p) => {
    const s = pool.solvable(p.id, { files: true });
    return [
      s.nevra,
      s.checksum,
      s.location,
      s.sourceRpm,
      s.license,
      s.downloadSize,
      [...(s.files ?? [])].sort(),
    ];
  });
}

describe('pool images of CS9 BaseOS', () => {
  it('an image of a pool read from the cached .solv restores with every checksum and file list', async () => {
    const entries = new Map<string, Uint8Array>();
    const cache: SolvCache = {
      get: async (k) => entries.get(k),
      put: async (k, b) => void entries.set(k, new Uint8Array(b)),
      drop: async (k) => void entries.delete(k),
    };
    const specs = [spec('cs9-baseos-2024-04', 'baseos')];
    const opts = { arch: 'x86_64', cache, cacheVersion: 't' };
    const parsed = await loadRepoPool(host, await createEngine(), specs, opts);
    const want = facts(parsed.pool);
    parsed.pool.dispose();
    expect(want.length).toBeGreaterThan(1000);
    expect(want.every((f) => typeof f[1] === 'string' && (f[1] as string).startsWith('sha256:'))).toBe(true);
    for (const k of [...entries.keys()]) if (k.endsWith('-pool')) entries.delete(k);
    const fromSolv = await loadRepoPool(host, await createEngine(), specs, opts);
    expect(fromSolv.loaded[0]!.fromCache).toBe(true);
    expect(fromSolv.restored).toBe(false);
    fromSolv.pool.dispose();
    const restored = await loadRepoPool(host, await createEngine(), specs, opts);
    expect(restored.restored).toBe(true);
    expect(facts(restored.pool)).toEqual(want);
    restored.pool.dispose();
  }, 120_000);
});
