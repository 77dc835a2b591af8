/**
 * What the hoist planner knows of a family's packages, read from the pool once: requirements with their
 * providers, conflicts and obsoletes between packages of the family, and the paths two of them ship
 * (neither a directory nor a `%ghost`). The shared paths come through the family check's own
 * (repoFileFacts), which keeps each answer, so a hoisted lock reads the file lists once.
 */
import type { PackageSummary, Pool } from '../../solver/index.js';
import type { FileFacts } from '../checks/file-conflicts.js';
import type { SharedPathsOf } from '../checks/shared-paths.js';
import type { HoistPackages } from './plan.js';

/** The shared paths and file facts of the family check (repoFileFacts), shared with the planner. */
export interface FileData {
  shared: SharedPathsOf;
  facts: FileFacts;
}

/** Builds the planner's view of the packages `ids` (every package of the family). */
export function hoistPackages(
  pool: Pool,
  ids: readonly number[],
  info: (id: number) => PackageSummary,
  fileData: FileData,
): HoistPackages {
  const family = new Set(ids);
  const providers = new Map<string, readonly number[]>();
  const whatProvides = (dep: string) => {
    let p = providers.get(dep);
    if (!p) {
      p = pool.whatProvides(dep);
      providers.set(dep, p);
    }
    return p;
  };
  const requires = new Map<number, { dep: string; providers: readonly number[] }[]>();
  const conflicts = new Map<number, { other: number; text: string }[]>();
  const add = <T>(m: Map<number, T[]>, id: number, v: T) => {
    const list = m.get(id);
    if (list) list.push(v);
    else m.set(id, [v]);
  };
  const sorted = [...family].sort((a, b) => a - b);
  for (const id of sorted) {
    const s = pool.solvable(id);
    const deps = [...new Set([...s.requires, ...s.prerequires])].filter((d) => !d.startsWith('rpmlib('));
    requires.set(
      id,
      deps.map((dep) => ({ dep, providers: whatProvides(dep) })),
    );
    // libsolv matches Conflicts against provides, Obsoletes against names (rpm pools do not set
    // obsoleteusesprovides); both directions are a conflict for the planner
    for (const dep of s.conflicts) {
      for (const o of whatProvides(dep)) {
        if (o === id || !family.has(o)) continue;
        const text = `\`${s.nevra}\` conflicts with \`${dep}\``;
        add(conflicts, id, { other: o, text });
        add(conflicts, o, { other: id, text });
      }
    }
    for (const dep of s.obsoletes) {
      const name = dep.split(/\s/)[0]!;
      for (const o of whatProvides(dep)) {
        if (o === id || !family.has(o) || info(o).name !== name) continue;
        const text = `\`${s.nevra}\` obsoletes \`${dep}\``;
        add(conflicts, id, { other: o, text });
        add(conflicts, o, { other: id, text });
      }
    }
  }
  const shared = sharedPaths(sorted, fileData);
  const none: never[] = [];
  return {
    name: (id) => info(id).name,
    nevra: (id) => info(id).nevra,
    size: (id) => info(id).installSize,
    requires: (id) => requires.get(id) ?? none,
    conflicts: (id) => conflicts.get(id) ?? none,
    sharedFiles: (id) => shared.get(id) ?? none,
  };
}

/**
 * Pairs of packages shipping one path that could conflict (RP005's reading of rpm-md): not a
 * directory (marked so, or the parent of another path of the family) and a `%ghost` in neither.
 */
function sharedPaths(
  ids: readonly number[],
  { shared, facts }: FileData,
): Map<number, { other: number; path: string }[]> {
  const { owners, below } = shared(ids);
  const out = new Map<number, { other: number; path: string }[]>();
  if (!owners.size) return out;
  const dirs = facts.knownDirs ?? new Set<string>();
  for (const [path, list] of [...owners].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (dirs.has(path) || below.has(path)) continue;
    for (const a of list) {
      if (facts.ghosts?.(a)?.has(path)) continue;
      for (const b of list) {
        if (a === b || facts.ghosts?.(b)?.has(path)) continue;
        const mine = out.get(a) ?? [];
        if (!mine.some((x) => x.other === b)) mine.push({ other: b, path });
        out.set(a, mine);
      }
    }
  }
  return out;
}
