import { describe, expect, it } from 'vitest';
import { applyBaseline } from '../../src/policy/baseline.js';
import { applyWaivers } from '../../src/policy/waivers.js';
import { type CodeQualityIssue, gitlabReporter } from '../../src/reporters/gitlab.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { spanFiles } from '../../src/reporters/paths.js';
import { auditResult } from './ci-fixtures.js';
import { familyResult, reordered, repoCheckResult, toolErrorResult } from './fixtures.js';

const SEVERITIES = ['info', 'minor', 'major', 'critical', 'blocker'];

/** Parses a report and checks the shape GitLab requires of every issue (docs: Code Quality report format). */
function parse(text: string): CodeQualityIssue[] {
  const issues = JSON.parse(text) as CodeQualityIssue[];
  expect(Array.isArray(issues)).toBe(true);
  for (const issue of issues) {
    expect(Object.keys(issue).sort()).toEqual([
      'check_name',
      'description',
      'fingerprint',
      'location',
      'severity',
    ]);
    expect(typeof issue.description).toBe('string');
    expect(issue.description.length).toBeGreaterThan(0);
    expect(typeof issue.check_name).toBe('string');
    expect(SEVERITIES).toContain(issue.severity);
    expect(typeof issue.location.path).toBe('string');
    expect(issue.location.path).not.toMatch(/^\//);
    expect(Number.isInteger(issue.location.lines.begin)).toBe(true);
    expect(issue.location.lines.begin).toBeGreaterThanOrEqual(1);
  }
  expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
  return issues;
}

describe('gitlab reporter', () => {
  it('writes one Code Quality issue per finding, every field from the finding', () => {
    const result = familyResult();
    const issues = parse(gitlabReporter(result));
    expect(issues).toHaveLength(result.findings.length);
    for (const finding of result.findings) {
      const issue = issues.find((i) => i.fingerprint === finding.fingerprint)!;
      const span = finding.location!;
      expect(issue).toEqual({
        description: `${finding.message}. Fix: ${finding.help}`,
        check_name: `${finding.rule} ${finding.slug}`,
        fingerprint: finding.fingerprint,
        severity: { error: 'critical', warning: 'major', note: 'info' }[finding.level],
        location: {
          path: span.file,
          lines:
            span.endLine && span.endLine !== span.line
              ? { begin: span.line, end: span.endLine }
              : { begin: span.line },
        },
      });
    }
  });

  it('places findings without a span on their declaration, else on the target file line 1', () => {
    const result = familyResult();
    result.findings = result.findings.map(({ location: _l, ...f }) => f);
    const declared = parse(gitlabReporter(result));
    const media = result.subjects.find((s) => s.id === 'media')!.location!;
    expect(declared.find((i) => i.check_name.startsWith('RP001'))!.location).toEqual({
      path: media.file,
      lines: { begin: media.line },
    });
    result.subjects = result.subjects.map(({ location: _l, ...s }) => s);
    for (const issue of parse(gitlabReporter(result, { targetFile: 'families/demo.yaml' }))) {
      expect(issue.location).toEqual({ path: 'families/demo.yaml', lines: { begin: 1 } });
    }
    // No target file given: the result's target (the family name) still fills the required path.
    for (const issue of parse(gitlabReporter(result))) expect(issue.location.path).toBe('demo');
  });

  it('reports tool errors as blockers and keeps repeated fingerprints apart', () => {
    const errors = parse(gitlabReporter(toolErrorResult(), { targetFile: 'families/broken.yaml' }));
    expect(errors.map((i) => [i.severity, i.check_name, i.location.path, i.location.lines.begin])).toEqual([
      ['blocker', 'redproof/solver', 'families/broken.yaml', 1],
      ['blocker', 'redproof/input', 'repos/demo/repodata/repomd.xml', 7],
    ]);
    expect(errors[1]!.description).toBe(
      'redproof could not complete: reading `repos/demo/repodata/repomd.xml`: checksum mismatch for primary.xml.gz',
    );
    const twice = repoCheckResult();
    twice.findings = [
      twice.findings[0]!,
      { ...twice.findings[0]!, location: { file: 'x.xml', line: 2, column: 1 } },
    ];
    const prints = parse(gitlabReporter(twice)).map((i) => i.fingerprint);
    expect(prints).toEqual([twice.findings[0]!.fingerprint, `${twice.findings[0]!.fingerprint}-2`]);
  });

  it('leaves waived findings out and keeps baselined ones (GitLab diffs against the target branch)', () => {
    const waived = applyWaivers(familyResult(), [{ rule: 'RP004', reason: 'on purpose' }], '2026-01-01');
    const rp001 = familyResult().findings.filter((f) => f.rule === 'RP001');
    const both = applyBaseline(waived, jsonReporter({ ...familyResult(), findings: rp001 }));
    expect(
      parse(gitlabReporter(both))
        .map((i) => i.check_name.split(' ')[0])
        .sort(),
    ).toEqual(['RP001', 'RP003']);
  });

  it('locates audit files under the image root', () => {
    const engine = auditResult();
    const imageRoot = { path: 'images/ivi', files: spanFiles(engine) };
    const issues = parse(gitlabReporter(engine, { imageRoot, targetFile: 'images/ivi' }));
    expect(issues.map((i) => [i.check_name.split(' ')[0], i.location.path])).toEqual([
      ['redproof/rpmdb-unreadable', 'images/ivi/var/lib/rpm/rpmdb.sqlite'],
      ['RP001', 'images/ivi/var/redpak/app/.rednode.yaml'],
      ['RP003', 'images/ivi'],
    ]);
  });

  it('is byte-identical across input orders, and an empty array when nothing is found', () => {
    const first = gitlabReporter(familyResult());
    for (const seed of [1, 2, 3]) expect(gitlabReporter(reordered(familyResult(), seed))).toBe(first);
    expect(gitlabReporter({ ...familyResult(), findings: [] })).toBe('[]\n');
  });
});
