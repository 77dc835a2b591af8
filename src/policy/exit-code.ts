import type { CheckResult, Finding, Level } from '../model/finding.js';
import { levelRank } from '../rules/catalog.js';

/** `--fail-on` threshold: findings at or above it fail the run; `never` only reports. */
export type FailOn = Level | 'never';

/** Overall outcome: `error` = the tool could not do its job, `fail` = findings at/above the threshold. */
export type Verdict = 'pass' | 'fail' | 'error';

/** True when the finding counts towards the exit code at this threshold (suppressed ones never do). */
export function isFailing(finding: Finding, failOn: FailOn): boolean {
  if (failOn === 'never' || finding.suppression !== undefined) {
    return false;
  }
  return levelRank(finding.level) >= levelRank(failOn);
}

/** Verdict of a run at a threshold; tool errors win over findings. */
export function verdictOf(result: CheckResult, failOn: FailOn): Verdict {
  if (result.errors.length > 0) {
    return 'error';
  }
  return result.findings.some((finding) => isFailing(finding, failOn)) ? 'fail' : 'pass';
}

/** Process exit code: 3 on tool errors, 1 on unsuppressed findings at/above `failOn`, else 0. */
export function exitCode(result: CheckResult, failOn: FailOn): 0 | 1 | 3 {
  const verdict = verdictOf(result, failOn);
  return verdict === 'error' ? 3 : verdict === 'fail' ? 1 : 0;
}
