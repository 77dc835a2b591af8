import type { Finding } from '../../model/finding.js';
import { fingerprint } from '../../policy/fingerprint.js';
import { ruleHelp, ruleMessage } from '../../rules/catalog.js';
import type { PackageSummary } from '../../solver/index.js';
import type { Family } from '../family.js';

/**
 * RP005 file-conflict: one path owned by two different packages of a layer's view. Directories are
 * excluded: rpm-md does not always mark them, so a path that is the parent of another path of the view
 * counts as a directory. Reported at the layer that adds the second owner.
 */
export function fileConflicts(
  family: Family,
  info: (id: number) => PackageSummary,
  files: (id: number) => readonly string[],
  /** From installed headers (audit): identical files are silent, differing ones are errors (rpm's rule). */
  content?: (id: number, path: string) => { digest: string; mode: number } | undefined,
  /** Paths the repository metadata lists as directories (rpm-md `<file type="dir">`). */
  knownDirs: ReadonlySet<string> = new Set(),
): Finding[] {
  const findings: Finding[] = [];
  // Every path of every package of the family, once: who ships it. Most paths have one owner, kept as
  // a number; a path gets an array (owners in family order) when a second package ships it.
  const owners = new Map<string, number | number[]>();
  for (const id of family.holders.keys()) {
    for (const f of files(id)) {
      const o = owners.get(f);
      if (o === undefined) owners.set(f, id);
      else if (typeof o === 'number') {
        if (o !== id) owners.set(f, [o, id]);
      } else if (!o.includes(id)) o.push(id);
    }
  }
  // The shared paths of each package, and the shared paths that may be directories.
  const sharedOf = new Map<number, string[]>();
  const below = new Map<string, Set<number>>();
  for (const [path, o] of owners) {
    if (typeof o === 'number') continue;
    for (const id of o) {
      const list = sharedOf.get(id);
      if (list) list.push(path);
      else sharedOf.set(id, [path]);
    }
    if (!knownDirs.has(path)) below.set(path, new Set());
  }
  // A shared path is a directory in a view when the metadata says so, or when a package of that view
  // ships something below it: record, for each shared path, the packages with files below it. The
  // shared paths above a directory are looked up once per directory, not once per file.
  if (below.size > 0) {
    const above = new Map<string, Set<number>[]>();
    const sharedAbove = (dir: string): Set<number>[] => {
      let found = above.get(dir);
      if (!found) {
        found = [];
        for (let i = dir.length; i > 0; i = dir.lastIndexOf('/', i - 1)) {
          const ids = below.get(dir.slice(0, i));
          if (ids) found.push(ids);
        }
        above.set(dir, found);
      }
      return found;
    };
    for (const id of family.holders.keys()) {
      for (const f of files(id)) {
        const slash = f.lastIndexOf('/');
        if (slash > 0) for (const ids of sharedAbove(f.slice(0, slash))) ids.add(id);
      }
    }
  }
  for (const layer of family.layers) {
    const own = new Set(layer.packages.map((p) => p.id));
    const inView = new Set(family.view(layer.id));
    const isDir = (path: string) =>
      knownDirs.has(path) || [...(below.get(path) ?? [])].some((id) => inView.has(id));
    // Only paths shipped by one of the layer's own packages can make a conflict reported here.
    const paths = new Set<string>();
    for (const id of own) for (const f of sharedOf.get(id) ?? []) paths.add(f);
    const reported = new Set<string>();
    for (const path of [...paths].sort()) {
      const ids = (owners.get(path) as number[]).filter((id) => inView.has(id));
      if (ids.length < 2 || isDir(path)) continue;
      const mine = ids.filter((id) => own.has(id));
      if (mine.length === 0) continue;
      for (const m of mine) {
        const other = ids.find((o) => o !== m && (!own.has(o) || o < m));
        if (other === undefined) continue;
        const pairKey = `${Math.min(m, other)}:${Math.max(m, other)}`;
        if (reported.has(pairKey)) continue;
        let level: Finding['level'] = 'warning';
        if (content) {
          const a = content(m, path);
          const b = content(other, path);
          if (a && b && a.digest === b.digest && a.mode === b.mode) continue;
          level = 'error';
        }
        reported.add(pairKey);
        const s = info(m);
        const o = info(other);
        const otherNode = family.ownerInView(layer.id, other) ?? layer.id;
        const shared = ids.length;
        const data = { path, package: s.nevra, node: layer.id, other: o.nevra, otherNode };
        const entry = layer.packages.find((p) => p.id === m)?.entry;
        findings.push({
          rule: 'RP005',
          slug: 'file-conflict',
          level,
          node: layer.id,
          package: s.nevra,
          repo: s.repo,
          other: o.nevra,
          otherNode,
          message: ruleMessage('RP005', 'file', data),
          help: ruleHelp('RP005', data),
          ...(entry && { location: entry.span }),
          evidence: [
            {
              role: 'path',
              text: `\`${path}\` is shipped by ${shared} packages of the view of \`${layer.id}\``,
            },
            { role: 'owner', text: `\`${o.nevra}\` in \`${otherNode}\``, package: o.nevra, node: otherNode },
          ],
          fingerprint: fingerprint({
            rule: 'RP005',
            node: layer.id,
            package: s.nevra,
            other: o.nevra,
            dependency: path,
          }),
        });
      }
    }
  }
  return findings;
}
