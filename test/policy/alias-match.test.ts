import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/model/finding.js';
import { applyBaseline } from '../../src/policy/baseline.js';
import { fingerprint } from '../../src/policy/fingerprint.js';
import { applyWaivers } from '../../src/policy/waivers.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { familyResult } from '../reporters/fixtures.js';

/**
 * The result of `check` as `audit` names it: every node by its image path (`var/redpak/<alias>`), the
 * alias kept on the subject, fingerprints computed on the path (as the audit checks do).
 */
function asAudit(result: CheckResult): CheckResult {
  const path = (id: string | undefined) => (id === undefined || id === 'host' ? id : `var/redpak/${id}`);
  return {
    ...result,
    command: 'audit',
    subjects: result.subjects.map((s) => ({
      ...s,
      id: path(s.id)!,
      ...(s.kind === 'node' && { alias: s.id }),
      ...(s.parent !== undefined && { parent: path(s.parent)! }),
    })),
    findings: result.findings.map((f) => {
      const node = path(f.node);
      const otherNode = path(f.otherNode);
      return {
        ...f,
        ...(node !== undefined && { node }),
        ...(otherNode !== undefined && { otherNode }),
        ...(f.nodes && { nodes: f.nodes.map((n) => path(n)!) }),
        fingerprint: fingerprint({
          rule: f.rule,
          ...(node !== undefined && { node }),
          ...(f.package !== undefined && { package: f.package }),
          ...(f.dependency !== undefined && { dependency: f.dependency }),
        }),
      };
    }),
  };
}

describe('waivers and baselines name a node by alias in check and in audit', () => {
  it('a waiver written for check (`node: media`) matches the audit finding at var/redpak/media', () => {
    const audit = asAudit(familyResult());
    const rp001 = audit.findings.find((f) => f.rule === 'RP001')!;
    expect(rp001.node).toBe('var/redpak/media');
    const waived = applyWaivers(audit, [{ rule: 'RP001', node: 'media', reason: 'known' }], '2026-01-01');
    expect(waived.findings.find((f) => f.rule === 'RP001')!.suppression?.kind).toBe('waiver');
    expect(waived.findings.some((f) => f.rule === 'RP091')).toBe(false);
    // the path still matches, and another alias does not
    const byPath = applyWaivers(audit, [{ rule: 'RP001', node: 'var/redpak/*', reason: 'k' }], '2026-01-01');
    expect(byPath.findings.find((f) => f.rule === 'RP001')!.suppression?.kind).toBe('waiver');
    const other = applyWaivers(audit, [{ rule: 'RP001', node: 'navigation', reason: 'k' }], '2026-01-01');
    expect(other.findings.find((f) => f.rule === 'RP001')!.suppression).toBeUndefined();
  });

  it('a check report as baseline gates the audit of the same family, and an audit report gates check', () => {
    const check = familyResult();
    const audit = asAudit(familyResult());
    expect(audit.findings.map((f) => f.fingerprint)).not.toEqual(check.findings.map((f) => f.fingerprint));
    const gated = applyBaseline(audit, jsonReporter(check), 'check.json');
    expect(gated.findings.every((f) => f.suppression?.kind === 'baseline')).toBe(true);
    const back = applyBaseline(check, jsonReporter(audit), 'audit.json');
    expect(back.findings.every((f) => f.suppression?.kind === 'baseline')).toBe(true);
  });

  it('a duplicated alias names no node: a baseline does not cross between the two', () => {
    const audit = asAudit(familyResult());
    // two image nodes with the alias `media`
    audit.subjects.push({ ...audit.subjects.find((s) => s.alias === 'media')!, id: 'opt/media' });
    const gated = applyBaseline(audit, jsonReporter(familyResult()), 'check.json');
    expect(gated.findings.find((f) => f.rule === 'RP001')!.suppression).toBeUndefined();
  });
});
