import type { CheckResult, Level } from '../model/finding.js';
import { boundResult, HUMAN_BOUNDS } from './bound.js';
import { sortErrors, sortFindings } from './common.js';
import { checkoutPath, type ImageRoot, messageWithFix, primarySpan } from './paths.js';

/** Options of the GitLab Code Quality reporter. */
export interface GitlabOptions {
  /** `audit`: where the image lies, so `location.path` resolves from the checkout root. */
  imageRoot?: ImageRoot;
  /** File the run was about (the family manifest, the image root): `location.path` of findings without any span. */
  targetFile?: string;
  /** File declaring each subject that has no location of its own, by subject id (repo-check: `repomd.xml`). */
  declarations?: ReadonlyMap<string, string>;
}

/** One issue of a GitLab Code Quality report (the subset of the Code Climate spec GitLab reads). */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number; end?: number } };
}

const SEVERITY: Record<Level, CodeQualityIssue['severity']> = {
  error: 'critical',
  warning: 'major',
  note: 'info',
};

/**
 * GitLab Code Quality JSON (`artifacts:reports:codequality`): one issue per finding and per tool error
 * (`blocker`). GitLab requires `location.path`: a finding without a span of its own is placed on its node's
 * declaration, else on `targetFile` line 1. Waived findings are left out (accepted); baselined ones stay,
 * since GitLab diffs the report against the target branch's itself and would otherwise show them as fixed.
 */
export function gitlabReporter(raw: CheckResult, options: GitlabOptions = {}): string {
  const result = boundResult(raw, HUMAN_BOUNDS);
  const fallback = options.targetFile ?? result.target;
  const issues: CodeQualityIssue[] = [];
  const seen = new Map<string, number>();
  // GitLab keeps one issue per fingerprint; a repeated one gets a counter so no finding disappears.
  const unique = (fp: string) => {
    const n = seen.get(fp) ?? 0;
    seen.set(fp, n + 1);
    return n === 0 ? fp : `${fp}-${n + 1}`;
  };
  for (const error of sortErrors(result.errors)) {
    issues.push({
      description: `redproof could not complete: ${error.message}`,
      check_name: `redproof/${error.kind}`,
      fingerprint: unique(`error:${error.kind}:${error.file ?? ''}:${error.message}`),
      severity: 'blocker',
      location: {
        path: checkoutPath(error.file ?? fallback, error.file === undefined ? undefined : options.imageRoot),
        lines: { begin: error.line ?? 1 },
      },
    });
  }
  for (const finding of sortFindings(result.findings)) {
    if (finding.suppression?.kind === 'waiver') continue;
    const span = primarySpan(finding, result, options.declarations);
    const lines: CodeQualityIssue['location']['lines'] = { begin: span?.line ?? 1 };
    if (span?.endLine !== undefined && span.endLine !== span.line) lines.end = span.endLine;
    issues.push({
      description: messageWithFix(finding),
      check_name: `${finding.rule} ${finding.slug}`,
      fingerprint: unique(finding.fingerprint),
      severity: SEVERITY[finding.level],
      location: {
        path: span ? checkoutPath(span.file, options.imageRoot) : checkoutPath(fallback, undefined),
        lines,
      },
    });
  }
  return `${JSON.stringify(issues, null, 2)}\n`;
}
