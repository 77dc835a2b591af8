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
): Finding[] {
  const findings: Finding[] = [];
  for (const layer of family.layers) {
    const own = new Set(layer.packages.map((p) => p.id));
    const view = family.view(layer.id);
    const owners = new Map<string, number[]>();
    const dirs = new Set<string>();
    for (const id of view) {
      for (const f of files(id)) {
        const list = owners.get(f);
        if (list) {
          if (!list.includes(id)) list.push(id);
        } else owners.set(f, [id]);
        for (let i = f.lastIndexOf('/'); i > 0; i = f.lastIndexOf('/', i - 1)) dirs.add(f.slice(0, i));
      }
    }
    const reported = new Set<string>();
    for (const [path, ids] of [...owners].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (ids.length < 2 || dirs.has(path)) continue;
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
