import type { LoadedRepo } from '../../load/repository.js';
import type { PackageSummary, Pool, SharedPaths } from '../../solver/index.js';
import type { FileFacts } from './file-conflicts.js';
import type { SharedPathsOf } from './shared-paths.js';

/**
 * The shared paths of repository packages (read from their file lists in C) and what rpm-md says about
 * them beyond their paths (directory and `%ghost` entries, source rpm), for RP005 in `check`,
 * `update-check` and `lock`, and for the hoist planner.
 */
export function repoFileFacts(
  pool: Pool,
  loaded: readonly LoadedRepo[],
  info: (id: number) => PackageSummary,
): { shared: SharedPathsOf; facts: FileFacts } {
  // A hoisting lock proves the family again after each move, and the planner asks too: the same
  // packages in other orders. One scan per set; the owners are then given in the caller's order.
  const memo = new Map<string, SharedPaths>();
  const shared: SharedPathsOf = (ids) => {
    const set = [...new Set(ids)].sort((a, b) => a - b);
    const key = set.join(' ');
    let s = memo.get(key);
    if (!s) {
      s = pool.sharedPaths(set);
      memo.set(key, s);
    }
    return inOrderOf(ids, s);
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
  return { shared, facts: { knownDirs, ghosts, source } };
}

/** `s` (found for the ids in ascending order) with each list of packages in the order of `ids`. */
function inOrderOf(ids: readonly number[], s: SharedPaths): SharedPaths {
  if (ids.every((id, i) => i === 0 || ids[i - 1]! < id)) return s;
  const pos = new Map<number, number>();
  for (const [i, id] of ids.entries()) if (!pos.has(id)) pos.set(id, i);
  const order = (list: readonly number[]) => [...list].sort((a, b) => pos.get(a)! - pos.get(b)!);
  return {
    owners: new Map([...s.owners].map(([path, list]) => [path, order(list)])),
    below: new Map([...s.below].map(([path, list]) => [path, order(list)])),
  };
}
