/** What changes between two locks, node by node: for `lock --check` and a pull request of `lock --update`. */
import { parseNevra } from '../../policy/fingerprint.js';
import type { Lockfile } from './lockfile.js';

export interface NodeDiff {
  alias: string;
  added: string[];
  removed: string[];
  upgraded: { from: string; to: string }[];
}

export interface LockDiff {
  nodes: NodeDiff[];
  /** Nodes only in the new / old lock. */
  newNodes: string[];
  goneNodes: string[];
  /** Other differences (repositories, manifest checksum, options, requests, package details). */
  other: string[];
}

const nameArch = (nevra: string) => {
  const n = parseNevra(nevra);
  return n ? `${n.name}.${n.arch}` : nevra;
};

export function diffLocks(before: Lockfile, after: Lockfile): LockDiff {
  const out: LockDiff = { nodes: [], newNodes: [], goneNodes: [], other: [] };
  const old = new Map(before.nodes.map((n) => [n.alias, n]));
  const neu = new Map(after.nodes.map((n) => [n.alias, n]));
  for (const a of neu.keys()) if (!old.has(a)) out.newNodes.push(a);
  for (const a of old.keys()) if (!neu.has(a)) out.goneNodes.push(a);
  if (before.manifest.sha256 !== after.manifest.sha256) out.other.push('the manifest changed');
  if (JSON.stringify(before.repos) !== JSON.stringify(after.repos))
    out.other.push('the repositories changed');
  if (JSON.stringify(before.options) !== JSON.stringify(after.options)) out.other.push('the options changed');
  for (const n of after.nodes) {
    const o = old.get(n.alias);
    const oldPkgs = new Map((o?.packages ?? []).map((p) => [p.nevra, p]));
    const newPkgs = new Map(n.packages.map((p) => [p.nevra, p]));
    const removed = [...oldPkgs.keys()].filter((x) => !newPkgs.has(x));
    const added = [...newPkgs.keys()].filter((x) => !oldPkgs.has(x));
    const d: NodeDiff = { alias: n.alias, added: [], removed: [], upgraded: [] };
    const removedByName = new Map(removed.map((x) => [nameArch(x), x]));
    for (const x of added) {
      const from = removedByName.get(nameArch(x));
      if (from !== undefined) {
        d.upgraded.push({ from, to: x });
        removedByName.delete(nameArch(x));
      } else d.added.push(x);
    }
    d.removed = [...removedByName.values()].sort();
    if (d.added.length || d.removed.length || d.upgraded.length) out.nodes.push(d);
    else if (o && JSON.stringify(o) !== JSON.stringify(n))
      out.other.push(`node \`${n.alias}\`: requests, options or package details changed`);
  }
  return out;
}

export function isEmptyDiff(d: LockDiff): boolean {
  return !d.nodes.length && !d.newNodes.length && !d.goneNodes.length && !d.other.length;
}

/** The diff as text (`markdown` false) or as a Markdown section for a pull-request description. */
export function formatDiff(d: LockDiff, markdown: boolean): string {
  const lines: string[] = [];
  const code = (s: string) => (markdown ? `\`${s}\`` : s);
  if (markdown) lines.push('## Lock changes', '');
  if (isEmptyDiff(d)) {
    lines.push('no change');
    return `${lines.join('\n')}\n`;
  }
  for (const a of d.newNodes) lines.push(`${markdown ? '- ' : ''}new node ${code(a)}`);
  for (const a of d.goneNodes) lines.push(`${markdown ? '- ' : ''}node ${code(a)} is gone`);
  for (const o of d.other) lines.push(`${markdown ? '- ' : ''}${o}`);
  for (const n of d.nodes) {
    lines.push(markdown ? `\n### ${n.alias}\n` : `${n.alias}:`);
    const item = markdown ? '- ' : '  ';
    for (const x of n.added) lines.push(`${item}added ${code(x)}`);
    for (const x of n.removed) lines.push(`${item}removed ${code(x)}`);
    for (const u of n.upgraded) lines.push(`${item}upgraded ${code(u.from)} → ${code(u.to)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `lock --update [NODE=]PATTERN ...`: the locked NEVRAs to keep per layer, those whose name no pattern
 * of that layer matches. No pattern: nothing is kept (everything is resolved again).
 */
export function keptPackages(
  lock: Lockfile,
  patterns: readonly { node?: string; pattern: string }[],
  match: (glob: string, name: string) => boolean,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (!patterns.length) return out;
  for (const n of lock.nodes) {
    const mine = patterns.filter((p) => p.node === undefined || p.node === n.alias);
    const keep = new Set<string>();
    for (const p of n.packages) {
      const name = parseNevra(p.nevra)?.name ?? p.nevra;
      if (!mine.some((m) => match(m.pattern, name))) keep.add(p.nevra);
    }
    out.set(n.alias, keep);
  }
  return out;
}
