/**
 * The prepared pool of a command's repositories, made once and then restored from a memory image.
 *
 * Every file repomd.xml names is read and verified on every run (verifyRepomdDir), so the verdict never
 * depends on the cache. What a warm run saves is the rest: adding each repository's cached `.solv`, then
 * `Pool.prepare()` (file provides, provider index), 170 ms of the 6-node lock over CentOS Stream 9. The
 * pool after prepare is stored as a memory image (src/solver/image.ts) keyed by everything that made it:
 * the engine's build, the arch and its strictness, and every repository's id, parse key and updateinfo,
 * in order. A later run with the same key restores it in ≈ 15 ms (decision 0009).
 */
import { createHash } from 'node:crypto';
import type { Host } from '../host/host.js';
import { type Engine, EngineError, type Pool, type Repo } from '../solver/index.js';
import {
  addVerifiedRepomd,
  cachedSideEntries,
  isRepoDir,
  type LoadedRepo,
  type LoadOptions,
  loadedRepomd,
  loadRepository,
  type RepoSpec,
  type VerifiedRepomd,
  verifyRepomdDir,
} from './repository.js';

export interface RepoPoolOptions extends LoadOptions {
  arch: string;
  strictArch?: boolean;
  onProgress?: (message: string) => void;
  /**
   * Runs on the pool once it holds every repository (before the arch is set on a pool made now, after on
   * a restored one): the place for checks of the packages' arches. Anything thrown is the load's error.
   */
  loaded?: (pool: Pool, loaded: readonly LoadedRepo[]) => void;
}

export interface RepoPool {
  pool: Pool;
  loaded: LoadedRepo[];
  /** True when the pool came from a memory image of the cache. */
  restored: boolean;
}

/** Loads `specs` in order into a new pool of `engine`, sets the arch and prepares it. */
export async function loadRepoPool(
  host: Host,
  engine: Engine,
  specs: readonly RepoSpec[],
  options: RepoPoolOptions,
): Promise<RepoPool> {
  const load: LoadOptions = {
    ...(options.noFilelists !== undefined && { noFilelists: options.noFilelists }),
    ...(options.cache && { cache: options.cache }),
    ...(options.cacheVersion !== undefined && { cacheVersion: options.cacheVersion }),
  };
  const verified = options.cache ? await verifyAll(host, specs, load, options.onProgress) : undefined;
  const key = verified && imageKey(engine, verified, options);
  if (verified && key) {
    const restored = await restore(engine, verified as VerifiedRepomd[], key, options);
    if (restored) {
      try {
        options.loaded?.(restored.pool, restored.loaded);
      } catch (err) {
        restored.pool.dispose();
        throw err;
      }
      return restored;
    }
  }
  const pool = engine.createPool(options.arch);
  try {
    const loaded: LoadedRepo[] = [];
    for (const [i, spec] of specs.entries()) {
      const v = verified?.[i];
      if (!v) options.onProgress?.(`loading ${spec.id}`);
      loaded.push(
        v
          ? await addVerifiedRepomd(host, engine, pool, v, load)
          : await loadRepository(host, engine, pool, spec, load),
      );
    }
    options.loaded?.(pool, loaded);
    pool.setArch(options.arch, { strict: options.strictArch ?? false });
    pool.prepare();
    // an image holds the whole memory: it is taken only while this pool is all the engine holds
    if (key && options.cache && engine.liveObjects() === 1) {
      await options.cache.put(key, pool.saveImage()).catch(() => {});
    }
    return { pool, loaded, restored: false };
  } catch (err) {
    pool.dispose();
    throw err;
  }
}

/**
 * Every repository directory of `specs` verified, in order; undefined at a primary.xml or `.solv` named
 * directly, which is loaded as before (and makes the pool one that is not imaged).
 */
async function verifyAll(
  host: Host,
  specs: readonly RepoSpec[],
  load: LoadOptions,
  onProgress: ((message: string) => void) | undefined,
): Promise<(VerifiedRepomd | undefined)[]> {
  const out: (VerifiedRepomd | undefined)[] = [];
  for (const spec of specs) {
    if (!(await isRepoDir(host, spec))) {
      out.push(undefined);
      continue;
    }
    onProgress?.(`loading ${spec.id}`);
    out.push(await verifyRepomdDir(host, spec, load));
  }
  return out;
}

function imageKey(
  engine: Engine,
  all: readonly (VerifiedRepomd | undefined)[],
  options: RepoPoolOptions,
): string | undefined {
  const verified = all.filter((v): v is VerifiedRepomd => v?.cacheKey !== undefined);
  if (verified.length !== all.length || verified.length === 0) return undefined;
  const h = createHash('sha256')
    .update('pool-image\0')
    .update(options.cacheVersion ?? '')
    .update('\0')
    .update(engine.imageId)
    .update(`\0${options.arch}\0${options.strictArch ? 'strict' : 'compatible'}\0`);
  for (const v of verified) {
    h.update(`${v.spec.id}\0${v.cacheKey}\0${v.updateinfoSha256 ?? '-'}\0`);
  }
  return `${h.digest('hex')}-pool`;
}

async function restore(
  engine: Engine,
  verified: VerifiedRepomd[],
  key: string,
  options: RepoPoolOptions,
): Promise<RepoPool | undefined> {
  const cache = options.cache!;
  const [bytes, ...sides] = await Promise.all([
    cache.get(key).catch(() => undefined),
    ...verified.map((v) => cachedSideEntries(cache, v.cacheKey!)),
  ]);
  if (!bytes || sides.some((s) => !s) || engine.liveObjects() !== 0) return undefined;
  let pool: Pool;
  try {
    pool = engine.restorePool(bytes);
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    await cache.drop(key).catch(() => {});
    return undefined;
  }
  const byName = new Map<string, Repo>(pool.repos.map((r) => [r.name, r]));
  const expected = verified.flatMap((v) => [v.spec.id, ...(v.updateinfo ? [`${v.spec.id}:updateinfo`] : [])]);
  if (pool.arch !== options.arch || pool.repos.map((r) => r.name).join('\0') !== expected.join('\0')) {
    // the key says what made the image: a mismatch is a damaged entry
    pool.dispose();
    await cache.drop(key).catch(() => {});
    return undefined;
  }
  const loaded = verified.map((v, i) => {
    const repo = byName.get(v.spec.id)!;
    const side = sides[i]!;
    return loadedRepomd(v, repo, byName.get(`${v.spec.id}:updateinfo`), {
      packages: repo.size,
      fromCache: true,
      dirs: side.dirs,
      ghosts: side.ghosts,
    });
  });
  return { pool, loaded, restored: true };
}
