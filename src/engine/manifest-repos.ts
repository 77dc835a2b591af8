import type { Host } from '../host/host.js';
import type { Manifest } from '../load/manifest.js';
import { type LoadedRepo, loadRepository, type RepoSpec, type SolvCache } from '../load/repository.js';
import type { Engine, Pool } from '../solver/index.js';
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

/** Loads repositories into a pool with the options every command shares (filelists, cache, progress). */
export function repoLoader(
  host: Host,
  engine: Engine,
  pool: Pool,
  options: { noFilelists?: boolean; cache?: SolvCache; onProgress?: (message: string) => void },
): (spec: RepoSpec) => Promise<LoadedRepo> {
  return (spec) => {
    options.onProgress?.(`loading ${spec.id}`);
    return loadRepository(host, engine, pool, spec, {
      noFilelists: options.noFilelists ?? false,
      cacheVersion: `${TOOL_VERSION}/${engine.libsolvVersion}`,
      ...(options.cache && { cache: options.cache }),
    });
  };
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
