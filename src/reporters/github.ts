import type { CheckResult, Finding, Level, Span } from '../model/finding.js';
import { boundResult, HUMAN_BOUNDS } from './bound.js';
import { sortErrors, sortFindings } from './common.js';
import { checkoutPath, type ImageRoot, messageWithFix, primarySpan } from './paths.js';

/** Options of the GitHub workflow-command reporter. */
export interface GithubOptions {
  /** `audit`: where the image lies, so annotation paths resolve from the checkout root. */
  imageRoot?: ImageRoot;
  /** File the run was about (the family manifest): where findings without any span are annotated. */
  targetFile?: string;
  /** File declaring each subject that has no location of its own, by subject id (repo-check: `repomd.xml`). */
  declarations?: ReadonlyMap<string, string>;
}

const COMMAND: Record<Level, string> = { error: 'error', warning: 'warning', note: 'notice' };

// The runner decodes these escapes (actions/toolkit `escapeData` / `escapeProperty`); anything else
// would end the message at a newline or split a property at `,` or `:`.
/** Escapes the data part of a workflow command (after `::`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a property value of a workflow command (`file=`, `title=`, ...). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(name: string, props: [string, string | number | undefined][], message: string): string {
  const list = props
    .filter((p): p is [string, string | number] => p[1] !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::${name}${list ? ` ${list}` : ''}::${escapeData(message)}`;
}

function spanProps(span: Span | undefined, options: GithubOptions): [string, string | number | undefined][] {
  if (!span) {
    return options.targetFile === undefined ? [] : [['file', checkoutPath(options.targetFile, undefined)]];
  }
  const endLine = span.endLine ?? span.line;
  return [
    ['file', checkoutPath(span.file, options.imageRoot)],
    ['line', span.line],
    ['endLine', endLine],
    ['col', span.column],
    // GitHub reads endColumn only on one-line annotations.
    ['endColumn', endLine === span.line ? span.endColumn : undefined],
  ];
}

function title(finding: Finding): string {
  const scope = finding.node ?? finding.repo;
  return `${finding.rule} ${finding.slug}${scope === undefined ? '' : ` (${scope})`}`;
}

/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`), one per unsuppressed finding and per
 * tool error: printed in a step's log, they become annotations on the files of a pull request without code
 * scanning. Waived and baselined findings are left out: they are accepted or old, and annotations are not
 * diffed between runs. A finding without a span is annotated on its node's declaration, else on
 * `targetFile`, else without a file (shown on the run only).
 */
export function githubReporter(raw: CheckResult, options: GithubOptions = {}): string {
  const result = boundResult(raw, HUMAN_BOUNDS);
  const lines: string[] = [];
  for (const error of sortErrors(result.errors)) {
    const span: Span | undefined =
      error.file === undefined
        ? undefined
        : { file: error.file, line: error.line ?? 1, column: error.column ?? 1 };
    lines.push(
      command('error', [...spanProps(span, options), ['title', `redproof ${error.kind}`]], error.message),
    );
  }
  for (const finding of sortFindings(result.findings)) {
    if (finding.suppression) continue;
    const props = spanProps(primarySpan(finding, result, options.declarations), options);
    lines.push(
      command(COMMAND[finding.level], [...props, ['title', title(finding)]], messageWithFix(finding)),
    );
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
