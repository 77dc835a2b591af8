import type { CheckResult, Finding } from '../model/finding.js';
import { clip } from '../util/clip.js';
import { aliasesOf, aliasKey, uniqueAliases } from './node-alias.js';

/** Fingerprints of a previous run, read from its `--json` report (schema result-v1). */
export interface Baseline {
  fingerprints: Set<string>;
  /** The same findings with nodes named by alias (`aliasKey`): a `check` report gates an `audit` and back. */
  aliasKeys: Set<string>;
}

/** Reads a result-v1 JSON report; `undefined` plus a reason when the text is not one. */
export function parseBaseline(previousJson: string): { baseline?: Baseline; problem?: string } {
  let data: unknown;
  try {
    data = JSON.parse(previousJson);
  } catch (error) {
    return { problem: `not JSON (${clip((error as Error).message)})` };
  }
  if (
    typeof data !== 'object' ||
    data === null ||
    (data as { schemaVersion?: unknown }).schemaVersion !== 1
  ) {
    return { problem: 'not a redproof JSON report with `schemaVersion: 1`' };
  }
  const findings = (data as { findings?: unknown }).findings;
  if (!Array.isArray(findings)) {
    return { problem: '`findings` is not an array' };
  }
  const fingerprints = new Set<string>();
  const subjects = (data as { subjects?: unknown }).subjects;
  const aliases = uniqueAliases(
    Array.isArray(subjects)
      ? subjects.filter(
          (s): s is { id: string; alias?: string } =>
            typeof s === 'object' &&
            s !== null &&
            typeof (s as { id?: unknown }).id === 'string' &&
            ['string', 'undefined'].includes(typeof (s as { alias?: unknown }).alias),
        )
      : [],
  );
  const aliasKeys = new Set<string>();
  for (const finding of findings) {
    const value = (finding as { fingerprint?: unknown } | null)?.fingerprint;
    if (typeof value !== 'string') {
      return { problem: 'a finding has no `fingerprint`' };
    }
    fingerprints.add(value);
    try {
      aliasKeys.add(aliasKey(finding as Finding, aliases));
    } catch {
      // a finding with odd fields still gates by its fingerprint
    }
  }
  return { baseline: { fingerprints, aliasKeys } };
}

/**
 * Marks findings whose fingerprint appears in the previous report as suppressed (kind `baseline`), so only
 * new findings count. Findings already suppressed keep their suppression. An unreadable baseline becomes a
 * tool error (exit 3) rather than silently gating nothing. `file` names the baseline in that error.
 */
export function applyBaseline(result: CheckResult, previousJson: string, file = 'baseline'): CheckResult {
  const { baseline, problem } = parseBaseline(previousJson);
  if (!baseline) {
    return {
      ...result,
      errors: [...result.errors, { kind: 'baseline', message: `reading baseline: ${problem}`, file }],
    };
  }
  let baselined = 0;
  const aliases = aliasesOf(result);
  const findings = result.findings.map((finding) => {
    if (
      finding.suppression ||
      (!baseline.fingerprints.has(finding.fingerprint) && !baseline.aliasKeys.has(aliasKey(finding, aliases)))
    ) {
      return finding;
    }
    baselined++;
    return {
      ...finding,
      suppression: { kind: 'baseline' as const, justification: `present in baseline \`${clip(file)}\`` },
    };
  });
  return { ...result, findings, stats: { ...result.stats, baselined } };
}
