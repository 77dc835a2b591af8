import { describe, expect, it } from 'vitest';
import { applyWaivers } from '../../src/policy/waivers.js';
import { renderFinding, textReporter, verdictLine } from '../../src/reporters/text.js';
import {
  cleanResult,
  familyResult,
  reordered,
  repoCheckResult,
  SOURCES,
  toolErrorResult,
} from './fixtures.js';

const ANSI = /\u001b\[/;

describe('text reporter', () => {
  it('renders the family check like a compiler (golden)', async () => {
    await expect(textReporter(familyResult(), { sources: SOURCES })).toMatchFileSnapshot(
      '__snapshots__/family.txt',
    );
  });

  it('renders repo-check, clean and tool-error runs (golden)', async () => {
    await expect(textReporter(repoCheckResult())).toMatchFileSnapshot('__snapshots__/repo-check.txt');
    await expect(textReporter(cleanResult())).toMatchFileSnapshot('__snapshots__/clean.txt');
    await expect(textReporter(toolErrorResult())).toMatchFileSnapshot('__snapshots__/tool-error.txt');
  });

  it('prints a code frame under the finding when the source is given', () => {
    const rp001 = familyResult().findings[0]!;
    const lines = renderFinding(rp001, familyResult(), { sources: SOURCES }).split('\n');
    expect(lines[0]).toBe(`RP001 error: ${rp001.message}`);
    expect(lines[1]).toBe('  --> families/demo.yaml:18:28');
    const source = lines.find((l) => l.startsWith('18 |'));
    expect(source).toBe('18 |     packages: [gstreamer1, media-player, libxml2]');
    expect(lines[lines.indexOf(source!) - 1]).toBe('17 |     parent: platform');
    const caret = lines[lines.indexOf(source!) + 1]!;
    // the carets sit exactly under `media-player` (12 characters)
    expect(caret.indexOf('^') - '18 | '.length + 1).toBe(28);
    expect(caret.match(/\^/g)).toHaveLength(12);
    expect(lines).toContain(
      '   = help: Install a provider of `libdvdread.so.8()(64bit)` in `media`, or drop `media-player-3.0-1.x86_64`',
    );
    expect(lines.at(-1)).toBe('   = docs: rules/RP001-unresolved-dependency.md');
  });

  it('prints no frame without sources, and the location line still', () => {
    const out = renderFinding(familyResult().findings[0]!, familyResult());
    expect(out).toContain('--> families/demo.yaml:18:28');
    expect(out).not.toContain(' | ');
  });

  it('colours only when asked', () => {
    expect(textReporter(familyResult(), { sources: SOURCES })).not.toMatch(ANSI);
    const coloured = textReporter(familyResult(), { sources: SOURCES, color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(
      textReporter(familyResult(), { sources: SOURCES }),
    );
  });

  it('ends with the verdict at the threshold', () => {
    const result = familyResult();
    expect(textReporter(result).trimEnd().split('\n').at(-1)).toMatch(/^FAIL: 2 errors, 1 warning, 0 notes/);
    // `--fail-on never` passes, and says the findings were found and did not fail the run
    expect(verdictLine(result, 'never')).toMatch(
      /^PASS: 3 findings found \(2 errors, 1 warning, 0 notes.*\); --fail-on never: they do not fail the run$/,
    );
    expect(verdictLine(cleanResult(), 'never')).toMatch(/^PASS: 0 errors/);
    expect(verdictLine(cleanResult(), 'note')).toMatch(/^PASS: 0 errors/);
    expect(verdictLine(toolErrorResult(), 'error')).toMatch(/^ERROR: 2 tool errors/);
  });

  it('summarises every subject with packages, own and view sizes and counts', () => {
    const out = textReporter(familyResult());
    // children are indented under their parent: host > platform > {media, navigation}
    expect(out).toMatch(
      /^ {2}host +host +3 packages +13\.9 MiB +view 13\.9 MiB +ok\n {4}platform +node +2 packages +6\.6 MiB +view 20\.5 MiB +ok\n {6}media +node +3 packages +4\.0 MiB +view 24\.5 MiB +1 error, 1 warning\n {6}navigation +node +3 packages +9\.0 MiB +view 23\.0 MiB +1 error$/m,
    );
  });

  it('hides waived findings unless asked, but counts them', () => {
    const waived = applyWaivers(
      familyResult(),
      [{ rule: 'RP004', node: 'media', reason: 'media pins its own libxml2' }],
      '2026-01-01',
    );
    const out = textReporter(waived);
    expect(out).not.toContain('RP004 warning');
    expect(out).toMatch(/1 suppressed/);
    const full = textReporter(waived, { showSuppressed: true });
    expect(full).toContain('RP004 warning (waived):');
    expect(full).toContain('= waived: media pins its own libxml2');
  });

  it('does not depend on input order', () => {
    const a = textReporter(familyResult(), { sources: SOURCES });
    for (const seed of [1, 2, 3]) {
      expect(textReporter(reordered(familyResult(), seed), { sources: SOURCES })).toBe(a);
    }
  });
});
