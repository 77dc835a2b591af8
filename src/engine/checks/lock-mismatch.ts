/**
 * `redproof audit IMAGE_ROOT --lock FILE`: the built image is what was locked. Nodes match by alias
 * (the host layer is `host`); a package matches by NEVRA, then its identity is compared with what the
 * lock recorded from the repository (build time, installed size, source rpm, license). rpm-md gives
 * no header digest, so a rebuild with the same NEVRA, build time and sizes is not told apart.
 */

import type { Finding, Span } from '../../model/finding.js';
import { fingerprint } from '../../policy/fingerprint.js';
import { ruleHelp, ruleMessage } from '../../rules/catalog.js';
import type { Solvable } from '../../solver/index.js';
import type { Family } from '../family.js';
import type { ParsedLock } from '../lock/read-lock.js';

export interface LockMismatchInput {
  family: Family;
  /** Alias of each image layer (absent for the host). */
  aliasOf: ReadonlyMap<string, string>;
  solvable: (id: number) => Solvable;
  lock: ParsedLock;
}

export function lockMismatches(input: LockMismatchInput): Finding[] {
  const { family, aliasOf, solvable, lock } = input;
  const findings: Finding[] = [];
  const alias = (layer: string) => (layer === 'host' ? 'host' : (aliasOf.get(layer) ?? layer));
  const imageByAlias = new Map(family.layers.map((l) => [alias(l.id), l]));
  const lockNodes = lock.lock.nodes;
  const nodeSpan = (i: number): Span => lock.spanAt(['nodes', i, 'alias']);
  const push = (
    rule: string,
    slug: string,
    message: string,
    data: Record<string, string>,
    f: Pick<Finding, 'node' | 'package' | 'location'> & Partial<Finding>,
    key: string,
  ) => {
    findings.push({
      rule,
      slug,
      level: 'error',
      ...f,
      message: ruleMessage(rule, message, data),
      help: ruleHelp(rule, data),
      evidence: f.evidence ?? [],
      fingerprint: fingerprint({ rule, ...(f.node && { node: f.node }), package: key }),
    });
  };
  lockNodes.forEach((n, i) => {
    const layer = imageByAlias.get(n.alias);
    if (!layer) {
      // a host lock layer with no package is no difference: the image may have no own rpm database
      if (n.alias === 'host' && !n.packages.length) return;
      push(
        'RP058',
        'lock-node-mismatch',
        'missingNode',
        { node: n.alias, file: lock.lock.manifest.path },
        { node: n.alias, location: nodeSpan(i) },
        `missing:${n.alias}`,
      );
      return;
    }
    const installed = new Map(layer.packages.map((p) => [solvable(p.id).nevra, solvable(p.id)]));
    const locked = new Set(n.packages.map((p) => p.nevra));
    n.packages.forEach((p, j) => {
      const s = installed.get(p.nevra);
      const location = lock.spanAt(['nodes', i, 'packages', j, 'nevra']);
      const data = { package: p.nevra, node: n.alias };
      if (!s) {
        push(
          'RP055',
          'lock-package-missing',
          'missing',
          data,
          { node: layer.id, package: p.nevra, location },
          p.nevra,
        );
        return;
      }
      const diffs: string[] = [];
      if (p.buildTime !== undefined && s.buildTime > 0 && s.buildTime !== p.buildTime)
        diffs.push(`build time ${s.buildTime} in the image, ${p.buildTime} in the lock`);
      if (s.installSize !== p.installedSize)
        diffs.push(`installed size ${s.installSize} in the image, ${p.installedSize} in the lock`);
      if ((s.sourceRpm ?? '') !== p.sourcerpm && s.sourceRpm !== undefined)
        diffs.push(`source rpm \`${s.sourceRpm}\` in the image, \`${p.sourcerpm}\` in the lock`);
      if ((s.license ?? '') !== p.license && s.license !== undefined)
        diffs.push(`license \`${s.license}\` in the image, \`${p.license}\` in the lock`);
      if (diffs.length) {
        push(
          'RP057',
          'lock-identity-mismatch',
          'identity',
          { ...data, differences: diffs.join('; ') },
          {
            node: layer.id,
            package: p.nevra,
            location,
            evidence: diffs.map((d) => ({ role: 'identity', text: d, package: p.nevra })),
          },
          p.nevra,
        );
      }
    });
    for (const [nevra] of [...installed].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (locked.has(nevra)) continue;
      push(
        'RP056',
        'lock-package-extra',
        'extra',
        { package: nevra, node: n.alias },
        { node: layer.id, package: nevra, location: nodeSpan(i) },
        nevra,
      );
    }
  });
  const lockAliases = new Set(lockNodes.map((n) => n.alias));
  for (const l of family.layers) {
    const a = alias(l.id);
    if (lockAliases.has(a)) continue;
    if (a === 'host' && !l.packages.length) continue;
    push(
      'RP058',
      'lock-node-mismatch',
      'extraNode',
      { node: a, file: lock.lock.manifest.path },
      { node: l.id, ...(l.location && { location: l.location }) },
      `extra:${a}`,
    );
  }
  return findings;
}
