/**
 * Glue between the engines and the policy rules (src/policy/rules-file): turns a resolved family into
 * `PolicyNode`s and merges the outcome into a CheckResult.
 */
import type { CheckResult } from '../../model/finding.js';
import { policyFindings, selects } from '../../policy/rules-file/evaluate.js';
import type { MergedConfig, Policy, PolicyNode, PolicyPackage } from '../../policy/rules-file/model.js';
import { findRule, toRuleMeta } from '../../rules/catalog.js';
import type { Pool } from '../../solver/index.js';
import type { Family } from '../family.js';

/** What a source knows of a package beyond the pool: file modes and signatures (audit's rpm headers). */
export interface PackageExtras {
  files?: (id: number) => PolicyPackage['files'];
  signature?: (id: number) => PolicyPackage['signature'];
}

/**
 * The family's layers as policy nodes. Only packages of selected nodes (and their views) are read from
 * the pool. Without `extras`, file modes and signatures are unknown (rpm-md), and so is the node
 * configuration without `config`.
 */
export function familyPolicyNodes(
  policy: Policy,
  family: Family,
  pool: Pool,
  options: {
    extras?: PackageExtras;
    config?: (layer: string) => MergedConfig | undefined;
    alias?: (layer: string) => string | undefined;
  } = {},
): PolicyNode[] {
  const cache = new Map<number, PolicyPackage>();
  const pkg = (id: number): PolicyPackage => {
    let p = cache.get(id);
    if (!p) {
      const s = pool.solvable(id);
      p = {
        nevra: s.nevra,
        name: s.name,
        license: s.license,
        installSize: s.installSize,
        provides: s.provides.map((d) => d.split(' ')[0] ?? d),
        files: options.extras?.files?.(id),
        signature: options.extras?.signature?.(id),
      };
      cache.set(id, p);
    }
    return p;
  };
  const nodes: PolicyNode[] = [];
  for (const layer of family.layers) {
    const alias = options.alias?.(layer.id);
    const ident = { id: layer.id, ...(alias !== undefined && { alias }) };
    if (!policy.rules.some((r) => selects(r, ident))) continue;
    const own = layer.packages.map((p) => (p.entry ? { ...pkg(p.id), location: p.entry.span } : pkg(p.id)));
    const needsView = policy.rules.some((r) => r.requirePackages && selects(r, ident));
    nodes.push({
      ...ident,
      kind: layer.kind,
      ...(layer.location && { location: layer.location }),
      own,
      view: needsView ? family.view(layer.id).map(pkg) : own,
      config: options.config?.(layer.id),
    });
  }
  return nodes;
}

/** The result with the policy's findings, rules and per-subject checked codes added. */
export function withPolicy(result: CheckResult, policy: Policy, nodes: readonly PolicyNode[]): CheckResult {
  const outcome = policyFindings(policy, nodes);
  const rules = [...result.rules];
  for (const code of outcome.rules) {
    if (!rules.some((r) => r.id === code)) rules.push(toRuleMeta(findRule(code)!));
  }
  return {
    ...result,
    findings: [...result.findings, ...outcome.findings],
    rules,
    subjects: result.subjects.map((s) => {
      const more = outcome.checked.get(s.id);
      return more ? { ...s, checked: [...s.checked, ...more.filter((c) => !s.checked.includes(c))] } : s;
    }),
    stats: { ...result.stats, policyRules: policy.rules.length },
  };
}
