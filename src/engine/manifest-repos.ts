import type { Host } from '../host/host.js';
import type { Manifest } from '../load/manifest.js';
import { loadRepoPool, type RepoPool, type RepoPoolOptions } from '../load/repo-pool.js';
import type { RepoSpec, SolvCache } from '../load/repository.js';
import type { Engine } from '../solver/index.js';
import type { ModularCache } from './transaction/candidates.js';
import { TOOL_VERSION } from './version.js';

/** The repositories of a manifest, with paths resolved against its directory and shown relative to it. */
export function manifestRepoSpecs(
  manifest: Manifest,
  manifestFile: string,
  manifestAbsDir: string,
): RepoSpec[] {
  return manifest.repos.map((r) => ({
    id: r.id,
    path: joinShown(manifestFile, r.path),
    absPath: r.path.startsWith('/') ? r.path : `${manifestAbsDir}/${r.path}`,
  }));
}

/**
 * The prepared pool of a command's repositories (restored from the cache's memory image when it holds
 * one), with the options every command shares: filelists, cache and its version, progress.
 */
export function commandPool(
  host: Host,
  engine: Engine,
  specs: readonly RepoSpec[],
  arch: string,
  options: {
    strictArch?: boolean;
    noFilelists?: boolean;
    cache?: SolvCache;
    onProgress?: (message: string) => void;
  },
  loaded?: RepoPoolOptions['loaded'],
): Promise<RepoPool> {
  return loadRepoPool(host, engine, specs, {
    arch,
    strictArch: options.strictArch ?? false,
    noFilelists: options.noFilelists ?? false,
    cacheVersion: `${TOOL_VERSION}/${engine.libsolvVersion}`,
    ...(options.cache && { cache: options.cache }),
    ...(options.onProgress && { onProgress: options.onProgress }),
    ...(loaded && { loaded }),
  });
}

/** Where the parse of the repositories' modules.yaml is kept, under the same version as their `.solv`. */
export function modularCache(engine: Engine, options: { cache?: SolvCache }): ModularCache {
  return {
    cacheVersion: `${TOOL_VERSION}/${engine.libsolvVersion}`,
    ...(options.cache && { cache: options.cache }),
  };
}

/** A repository path as shown to the user: relative to where the manifest was named, `a/../b` folded. */
function joinShown(manifestFile: string, repoPath: string): string {
  if (repoPath.startsWith('/')) return repoPath;
  const slash = manifestFile.lastIndexOf('/');
  const dir = slash >= 0 ? manifestFile.slice(0, slash + 1) : '';
  const out: string[] = [];
  for (const part of `${dir}${repoPath}`.split('/')) {
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else if (part !== '.') out.push(part);
  }
  return out.join('/');
}
