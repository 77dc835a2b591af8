import type { Finding } from '../../model/finding.js';
import { fingerprint } from '../../policy/fingerprint.js';
import { ruleHelp, ruleMessage } from '../../rules/catalog.js';
import type { PackageSummary } from '../../solver/index.js';
import { clip } from '../../util/clip.js';
import type { Family } from '../family.js';

/**
 * RP003 ancestor-duplicate: a package name installed in a layer and in one of its ancestors (any
 * version). red-pak compares by name (redlib checkInNodeDataBase), so do we.
 */
export function ancestorDuplicates(family: Family, info: (id: number) => PackageSummary): Finding[] {
  const findings: Finding[] = [];
  for (const layer of family.layers) {
    const above = new Map<string, { id: number; layer: string }>();
    for (const a of [...family.ancestors(layer.id)].reverse()) {
      for (const p of family.layer(a).packages) above.set(info(p.id).name, { id: p.id, layer: a });
    }
    for (const p of layer.packages) {
      const s = info(p.id);
      const hit = above.get(s.name);
      if (!hit) continue;
      const other = info(hit.id).nevra;
      const data = { package: s.nevra, node: layer.id, other, otherNode: hit.layer, name: s.name };
      findings.push({
        rule: 'RP003',
        slug: 'ancestor-duplicate',
        level: 'error',
        node: layer.id,
        package: s.nevra,
        repo: s.repo,
        other,
        otherNode: hit.layer,
        message: ruleMessage('RP003', 'duplicate', data),
        help: ruleHelp('RP003', data),
        ...(p.entry && { location: p.entry.span }),
        evidence: [
          {
            role: 'ancestor',
            text: `\`${clip(other)}\` is installed in ancestor \`${clip(hit.layer)}\``,
            package: other,
            node: hit.layer,
          },
        ],
        fingerprint: fingerprint({ rule: 'RP003', node: layer.id, package: s.nevra, other }),
      });
    }
  }
  return findings;
}

/**
 * RP004 shareable-duplicate: the same NEVRA in two or more layers none of which sees the other: it
 * could live once in their lowest common ancestor. Reported once, at the first holder.
 */
export function shareableDuplicates(family: Family, info: (id: number) => PackageSummary): Finding[] {
  const findings: Finding[] = [];
  for (const [id, holders] of [...family.holders].sort(([a], [b]) => a - b)) {
    // Only the topmost holders could share one copy: a holder below another holder is RP003's case.
    // Looked up by ancestor, not by pair: a common package of a 10,000-node family has thousands.
    const held = new Set(holders);
    const topmost = holders.filter((h) => !family.ancestors(h).some((a) => held.has(a)));
    // no topmost holder sees another, so with two or more of them none is related to all the others
    if (topmost.length < 2) continue;
    const unrelated = topmost;
    const s = info(id);
    const lca = family.lowestCommonAncestor(unrelated);
    const saved = s.installSize * (unrelated.length - 1);
    const first = unrelated[0]!;
    const entry = family.layer(first).packages.find((p) => p.id === id)?.entry;
    const data = {
      package: s.nevra,
      count: unrelated.length,
      nodes: unrelated.map((n) => `\`${n}\``).join(', '),
      ancestor: lca,
      saved: formatSize(saved),
    };
    findings.push({
      rule: 'RP004',
      slug: 'shareable-duplicate',
      level: 'warning',
      node: first,
      package: s.nevra,
      repo: s.repo,
      nodes: unrelated,
      message: ruleMessage('RP004', 'shareable', data),
      help: ruleHelp('RP004', data),
      ...(entry && { location: entry.span }),
      evidence: unrelated.map((n) => ({
        role: 'holder',
        text: `installed in \`${clip(n)}\``,
        node: n,
        package: s.nevra,
      })),
      fingerprint: fingerprint({ rule: 'RP004', node: unrelated.join(','), package: s.nevra }),
    });
  }
  return findings;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}
