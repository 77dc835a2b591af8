import { describe, expect, it } from 'vitest';
import { applyBaseline, parseBaseline } from '../../src/policy/baseline.js';
import { exitCode, verdictOf } from '../../src/policy/exit-code.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { cleanResult, familyResult, toolErrorResult } from '../reporters/fixtures.js';

describe('applyBaseline', () => {
  it('suppresses findings already in the previous report; only new ones count', () => {
    const previous = familyResult();
    previous.findings = previous.findings.filter((f) => f.rule !== 'RP001');
    const result = applyBaseline(familyResult(), jsonReporter(previous), 'main.json');
    const byRule = Object.fromEntries(result.findings.map((f) => [f.rule, f]));
    expect(byRule.RP003!.suppression).toEqual({
      kind: 'baseline',
      justification: 'present in baseline `main.json`',
    });
    expect(byRule.RP004!.suppression?.kind).toBe('baseline');
    expect(byRule.RP001!.suppression).toBeUndefined();
    expect(result.stats.baselined).toBe(2);
    expect(exitCode(result, 'error')).toBe(1);
    const unchanged = applyBaseline(familyResult(), jsonReporter(familyResult()));
    expect(exitCode(unchanged, 'note')).toBe(0);
  });

  it('follows findings whose line or version moved (fingerprints ignore both)', () => {
    const moved = familyResult();
    moved.findings = moved.findings.map((f) => ({
      ...f,
      package: f.package?.replace('3.0-1', '3.1-2'),
      location: f.location && { ...f.location, line: f.location.line + 10 },
    }));
    const result = applyBaseline(moved, jsonReporter(familyResult()));
    expect(result.findings.every((f) => f.suppression?.kind === 'baseline')).toBe(true);
  });

  it('keeps existing suppressions', () => {
    const input = familyResult();
    input.findings[0] = { ...input.findings[0]!, suppression: { kind: 'waiver', justification: 'w' } };
    const result = applyBaseline(input, jsonReporter(familyResult()));
    expect(result.findings[0]!.suppression).toEqual({ kind: 'waiver', justification: 'w' });
    expect(result.stats.baselined).toBe(2);
  });

  it('turns an unreadable baseline into a tool error (exit 3), not a silent pass', () => {
    for (const bad of [
      'not json',
      '{"schemaVersion": 2, "findings": []}',
      '{"schemaVersion": 1}',
      '{"schemaVersion":1,"findings":[{}]}',
    ]) {
      const result = applyBaseline(familyResult(), bad, 'base.json');
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatchObject({ kind: 'baseline', file: 'base.json' });
      expect(exitCode(result, 'never')).toBe(3);
    }
    expect(parseBaseline(jsonReporter(cleanResult())).baseline?.fingerprints.size).toBe(0);
  });
});

describe('exitCode', () => {
  it('maps thresholds to 0/1 and tool errors to 3', () => {
    const result = familyResult(); // 2 errors, 1 warning
    expect(exitCode(result, 'error')).toBe(1);
    expect(exitCode(result, 'never')).toBe(0);
    const warningOnly = { ...result, findings: result.findings.filter((f) => f.level === 'warning') };
    expect(exitCode(warningOnly, 'error')).toBe(0);
    expect(exitCode(warningOnly, 'warning')).toBe(1);
    expect(exitCode(warningOnly, 'note')).toBe(1);
    const noteOnly = { ...result, findings: [{ ...result.findings[2]!, level: 'note' as const }] };
    expect(exitCode(noteOnly, 'warning')).toBe(0);
    expect(exitCode(noteOnly, 'note')).toBe(1);
    expect(exitCode(cleanResult(), 'note')).toBe(0);
    expect(exitCode(toolErrorResult(), 'never')).toBe(3);
    expect(exitCode({ ...toolErrorResult(), findings: result.findings }, 'error')).toBe(3);
    expect(verdictOf(result, 'error')).toBe('fail');
  });

  it('never counts suppressed findings', () => {
    const result = familyResult();
    result.findings = result.findings.map((f) => ({
      ...f,
      suppression: { kind: 'waiver' as const, justification: 'x' },
    }));
    expect(exitCode(result, 'note')).toBe(0);
  });
});
