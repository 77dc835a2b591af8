import { describe, expect, it } from 'vitest';
import { applyWaivers } from '../../src/policy/waivers.js';
import { markdownReporter } from '../../src/reporters/markdown.js';
import { cleanResult, familyResult, reordered, repoCheckResult, toolErrorResult } from './fixtures.js';

describe('markdown reporter', () => {
  it('golden files', async () => {
    await expect(markdownReporter(familyResult())).toMatchFileSnapshot('__snapshots__/family.markdown.txt');
    await expect(markdownReporter(toolErrorResult())).toMatchFileSnapshot(
      '__snapshots__/tool-error.markdown.txt',
    );
    await expect(markdownReporter(repoCheckResult())).toMatchFileSnapshot(
      '__snapshots__/repo-check.markdown.txt',
    );
  });

  it('states the verdict in the heading', () => {
    expect(markdownReporter(familyResult()).split('\n')[0]).toBe(
      '## redproof check `demo` (x86_64): ❌ fail',
    );
    expect(markdownReporter(cleanResult()).split('\n')[0]).toBe(
      '## redproof check `clean` (x86_64): ✅ pass',
    );
    expect(markdownReporter(toolErrorResult()).split('\n')[0]).toContain('💥 tool error');
  });

  it('draws the family tree with a mark per node', () => {
    const lines = markdownReporter(familyResult()).split('\n');
    expect(lines).toContain('- ✅ `host` (host, 3 packages, own 13.9 MiB, view 13.9 MiB): clean');
    expect(lines).toContain('  - ✅ `platform` (node, 2 packages, own 6.6 MiB, view 20.5 MiB): clean');
    expect(lines).toContain(
      '    - ❌ `media` (node, 3 packages, own 4.0 MiB, view 24.5 MiB): 1 error, 1 warning',
    );
    // below the threshold a warning-only node gets ⚠️, not ❌
    const warningOnly = familyResult();
    warningOnly.findings = warningOnly.findings.filter((f) => f.rule === 'RP004');
    expect(markdownReporter(warningOnly).split('\n')).toContain(
      '    - ⚠️ `media` (node, 3 packages, own 4.0 MiB, view 24.5 MiB): 1 warning',
    );
  });

  it('counts per node and rule, and lists findings errors-first with their fix', () => {
    const out = markdownReporter(familyResult());
    expect(out).toContain('| `media` | RP001 `unresolved-dependency` | error | 1 | 0 |');
    expect(out).toContain('| `navigation` | RP003 `ancestor-duplicate` | error | 1 | 0 |');
    const items = out.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(items.map((l) => /\*\*(RP\d+)\*\*/.exec(l)?.[1])).toEqual(['RP003', 'RP001', 'RP004']);
    expect(out).toContain('   - **Fix:** Remove `openssl-libs` from `navigation`');
  });

  it("shows each finding's own level in the table, not the rule's default", () => {
    const result = familyResult();
    const rp004 = result.findings.find((f) => f.rule === 'RP004')!;
    // an audit RP005 is an error although the rule's default level is warning
    result.findings.push({ ...rp004, level: 'error' });
    const out = markdownReporter(result);
    expect(out).toContain('| `media` | RP004 `shareable-duplicate` | error | 1 | 0 |');
    expect(out).toContain('| `media` | RP004 `shareable-duplicate` | warning | 1 | 0 |');
  });

  it('says that findings did not fail a `--fail-on never` run', () => {
    expect(markdownReporter(familyResult(), { failOn: 'never' }).split('\n')[0]).toBe(
      '## redproof check `demo` (x86_64): ✅ pass (findings reported; `--fail-on never`: they do not fail the run)',
    );
    expect(markdownReporter(cleanResult(), { failOn: 'never' }).split('\n')[0]).toBe(
      '## redproof check `clean` (x86_64): ✅ pass',
    );
  });

  it('limits the listed findings', () => {
    const out = markdownReporter(familyResult(), { maxFindings: 1 });
    expect(out).toContain('### First 1 of 3 findings');
    expect(out.split('\n').filter((l) => /^\d+\. /.test(l))).toHaveLength(1);
  });

  it('keeps waived findings out of the list but in the table', () => {
    const waived = applyWaivers(familyResult(), [{ rule: 'RP004', reason: 'later' }], '2026-01-01');
    const out = markdownReporter(waived);
    expect(out).toContain('| `media` | RP004 `shareable-duplicate` | warning | 0 | 1 |');
    expect(out).not.toMatch(/^\d+\. \*\*RP004\*\*/m);
  });

  it('escapes table-breaking characters', () => {
    const result = familyResult();
    result.findings[0] = { ...result.findings[0]!, message: 'a | b <c> `<d>`' };
    expect(markdownReporter(result)).toContain('a \\| b &lt;c&gt; `<d>`');
  });

  it('does not depend on input order', () => {
    const first = markdownReporter(familyResult());
    for (const seed of [21, 22]) expect(markdownReporter(reordered(familyResult(), seed))).toBe(first);
  });
});
