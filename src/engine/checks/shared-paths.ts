import type { SharedPaths } from '../../solver/index.js';

/** The shared paths of a set of packages: `Pool.sharedPaths` for repository packages, or from lists. */
export type SharedPathsOf = (ids: readonly number[]) => SharedPaths;

/**
 * Shared paths from file lists, for packages whose files are not in the pool as libsolv reads them
 * (audit's installed headers), and the reference `Pool.sharedPaths` is tested against: the same paths,
 * the same owners in the same order.
 */
export function sharedPathsFromLists(files: (id: number) => readonly string[]): SharedPathsOf {
  return (ids) => {
    const distinct = [...new Set(ids)];
    const all = new Map<string, number | number[]>();
    for (const id of distinct) {
      for (const f of files(id)) {
        const o = all.get(f);
        if (o === undefined) all.set(f, id);
        else if (typeof o === 'number') {
          if (o !== id) all.set(f, [o, id]);
        } else if (!o.includes(id)) o.push(id);
      }
    }
    const owners = new Map<string, number[]>();
    for (const [path, o] of all) if (typeof o !== 'number') owners.set(path, o);
    const below = new Map<string, number[]>();
    if (owners.size === 0) return { owners, below };
    for (const id of distinct) {
      for (const f of files(id)) {
        for (let i = f.lastIndexOf('/'); i > 0; i = f.lastIndexOf('/', i - 1)) {
          const dir = f.slice(0, i);
          if (!owners.has(dir)) continue;
          const list = below.get(dir);
          if (!list) below.set(dir, [id]);
          else if (list[list.length - 1] !== id) list.push(id);
        }
      }
    }
    return { owners, below };
  };
}
