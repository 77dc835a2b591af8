import type { LoadedRepo } from '../../load/repository.js';
import type { PackageSummary, Pool } from '../../solver/index.js';
import type { FileFacts } from './file-conflicts.js';

/**
 * The file lists of repository packages and what rpm-md says about them beyond their paths (directory
 * and `%ghost` entries, source rpm), for RP005 in `check` and `update-check` alike.
 */
export function repoFileFacts(
  pool: Pool,
  loaded: readonly LoadedRepo[],
  info: (id: number) => PackageSummary,
): { files: (id: number) => readonly string[]; facts: FileFacts } {
  const fileCache = new Map<number, readonly string[]>();
  const files = (id: number) => {
    let f = fileCache.get(id);
    if (!f) {
      f = pool.solvable(id, { files: true }).files ?? [];
      fileCache.set(id, f);
    }
    return f;
  };
  const knownDirs = new Set<string>();
  for (const l of loaded) for (const d of l.dirs) knownDirs.add(d);
  const ghostsByRepo = new Map(loaded.map((l) => [l.repo.name, l.ghosts]));
  const none: ReadonlySet<string> = new Set();
  const ghostCache = new Map<number, ReadonlySet<string> | undefined>();
  const ghosts = (id: number): ReadonlySet<string> | undefined => {
    if (ghostCache.has(id)) return ghostCache.get(id);
    const p = info(id);
    const byNevra = ghostsByRepo.has(p.repo) ? ghostsByRepo.get(p.repo) : new Map<string, string[]>();
    const set = byNevra === undefined ? undefined : new Set(byNevra.get(p.nevra) ?? none);
    ghostCache.set(id, set);
    return set;
  };
  const source = (id: number): string | undefined => pool.solvable(id).sourceRpm || undefined;
  return { files, facts: { knownDirs, ghosts, source } };
}
