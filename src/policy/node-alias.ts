import type { CheckResult, Finding } from '../model/finding.js';
import { nameArch } from './fingerprint.js';

/**
 * Node id to alias, for the nodes whose alias names one node only. `check` names a node by its alias,
 * `audit` by its path in the image (`var/redpak/app`): waivers and baselines written for one must
 * match the other by alias. A duplicated alias (RP012) names no node.
 */
export function uniqueAliases(
  subjects: readonly { id: string; alias?: string | undefined }[],
): Map<string, string> {
  const count = new Map<string, number>();
  for (const s of subjects) if (s.alias !== undefined) count.set(s.alias, (count.get(s.alias) ?? 0) + 1);
  const out = new Map<string, string>();
  for (const s of subjects) if (s.alias !== undefined && count.get(s.alias) === 1) out.set(s.id, s.alias);
  return out;
}

/** Node aliases of a result (see `uniqueAliases`). */
export function aliasesOf(result: CheckResult): Map<string, string> {
  return uniqueAliases(result.subjects);
}

type KeyFields = Pick<
  Finding,
  'rule' | 'node' | 'package' | 'dependency' | 'other' | 'otherNode' | 'nodes' | 'entry'
>;

/**
 * A finding's identity with nodes named by alias: equal for the same problem found by `check` on a
 * manifest and by `audit` on the image it describes (the fingerprint, which names nodes by id, is not).
 */
export function aliasKey(f: KeyFields, aliases: ReadonlyMap<string, string>): string {
  const node = (id: string | undefined) => (id === undefined ? '' : (aliases.get(id) ?? id));
  return JSON.stringify([
    f.rule,
    node(f.node),
    f.package === undefined ? '' : nameArch(f.package),
    (f.dependency ?? '').trim().replace(/\s+/g, ' '),
    f.other === undefined ? '' : nameArch(f.other),
    node(f.otherNode),
    [...(f.nodes ?? [])].map(node).sort(),
    f.entry ?? '',
  ]);
}
