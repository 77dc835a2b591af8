import type { CheckResult, Finding, Level, ToolErrorInfo } from '../model/finding.js';
import { familyFootprint } from '../model/footprint.js';
import { type FailOn, verdictOf } from '../policy/exit-code.js';
import { appendAll } from '../util/append.js';
import { boundResult, HUMAN_BOUNDS } from './bound.js';
import {
  countLevels,
  docPathOf,
  footprintSentence,
  formatBytes,
  formatCounts,
  formatKnownBytes,
  formatSpan,
  orderSubjects,
  plural,
  sortErrors,
  sortFindings,
  subjectDepths,
  subjectIdOf,
} from './common.js';
import { escapeStrings } from './escape.js';
import { codeFrame, NO_PAINT, type Paint } from './frame.js';
import { hoistTextLines } from './hoist.js';

/** Options of the text reporter; everything that varies with the terminal is passed in, never read. */
export interface TextOptions {
  /** ANSI colours (the CLI decides from TTY/NO_COLOR). Default false. */
  color?: boolean;
  /** Source text per `Span.file`, to print code frames. */
  sources?: ReadonlyMap<string, string>;
  /** Threshold for the verdict line. Default `error`. */
  failOn?: FailOn;
  /** Also print suppressed findings in full (default: only counted). */
  showSuppressed?: boolean;
  /** Omit the per-subject summary and verdict (used for JUnit failure bodies). */
  findingsOnly?: boolean;
}

const ESC = '\u001b[';
const style = (on: boolean, code: string) => (text: string) => (on ? `${ESC}${code}m${text}${ESC}0m` : text);

interface Palette extends Paint {
  level(level: Level, text: string): string;
  bold(text: string): string;
  dim(text: string): string;
}

function palette(color: boolean): Palette {
  const red = style(color, '1;31');
  const yellow = style(color, '1;33');
  const cyan = style(color, '1;36');
  const blue = style(color, '1;34');
  return {
    level: (level, text) => (level === 'error' ? red : level === 'warning' ? yellow : cyan)(text),
    bold: style(color, '1'),
    dim: style(color, '2'),
    gutter: blue,
    marker: red,
  };
}

/** Width of the gutter: digits of the largest line number the frame may print (Ruff's layout). */
function gutterWidth(finding: Finding): number {
  let line = Math.max(finding.location?.line ?? 1, finding.location?.endLine ?? 1);
  for (const step of finding.evidence) if (framed(step)) line = Math.max(line, step.location!.line + 1);
  return String(line).length;
}

/** Evidence that gets a code frame of its own: the policy rule a finding breaks (its related location). */
function framed(step: Finding['evidence'][number]): boolean {
  return step.role === 'policy' && step.location !== undefined;
}

/** Renders one finding as compiler-style lines (no trailing newline). */
export function renderFinding(raw: Finding, result: CheckResult, options: TextOptions = {}): string {
  const finding = escapeStrings(raw);
  const p = options.color ? palette(true) : { ...palette(false), ...NO_PAINT };
  const width = gutterWidth(finding);
  const pad = ' '.repeat(width);
  const waived = finding.suppression
    ? ` (${finding.suppression.kind === 'waiver' ? 'waived' : 'baseline'})`
    : '';
  const lines = [
    `${p.level(finding.level, `${finding.rule} ${finding.level}${waived}:`)} ${p.bold(finding.message)}`,
  ];
  if (finding.location) {
    lines.push(`${pad}${p.gutter('-->')} ${formatSpan(finding.location)}`);
    const source = options.sources?.get(finding.location.file);
    if (source !== undefined) {
      appendAll(lines, codeFrame(source, finding.location, width, p));
    }
  } else {
    const where = [
      finding.node && `node \`${finding.node}\``,
      finding.repo && `repository \`${finding.repo}\``,
    ]
      .filter(Boolean)
      .join(', ');
    if (where) lines.push(`${pad}${p.gutter('-->')} ${where}`);
  }
  const note = (label: string, text: string) => `${pad} ${p.gutter('=')} ${p.bold(`${label}:`)} ${text}`;
  for (const step of finding.evidence) {
    const at = step.location ? ` (${formatSpan(step.location)})` : '';
    lines.push(note('evidence', `${step.role}: ${step.text}${at}`));
    const source = framed(step) ? options.sources?.get(step.location!.file) : undefined;
    if (source !== undefined) lines.push(...codeFrame(source, step.location!, width, p));
  }
  if (finding.suppression) {
    lines.push(
      note(finding.suppression.kind === 'waiver' ? 'waived' : 'baseline', finding.suppression.justification),
    );
  }
  if (finding.help) lines.push(note('help', finding.help));
  lines.push(note('docs', docPathOf(result, finding.rule)));
  return lines.join('\n');
}

/** Renders one tool error (no trailing newline). */
export function renderToolError(
  raw: ToolErrorInfo,
  color = false,
  level: 'error' | 'warning' = 'error',
): string {
  const error = escapeStrings(raw);
  const p = palette(color);
  const lines = [`${p.level(level, `${level}[${error.kind}]:`)} ${p.bold(error.message)}`];
  if (error.file) {
    const where = error.line === undefined ? error.file : `${error.file}:${error.line}:${error.column ?? 1}`;
    lines.push(` ${p.gutter('-->')} ${where}`);
  }
  return lines.join('\n');
}

function summaryLines(result: CheckResult, p: Palette): string[] {
  const bySubject = new Map<string, Finding[]>();
  for (const finding of result.findings) {
    const id = subjectIdOf(finding);
    const key = id !== undefined && result.subjects.some((s) => s.id === id) ? id : '';
    const list = bySubject.get(key);
    if (list) list.push(finding);
    else bySubject.set(key, [finding]);
  }
  const depths = subjectDepths(result.subjects);
  const fp = familyFootprint(result.subjects);
  const layers = new Map(fp?.layers.map((l) => [l.id, l]));
  const rows = orderSubjects(result.subjects).map((subject) => {
    const counts = countLevels(bySubject.get(subject.id) ?? []);
    const layer = layers.get(subject.id);
    return [
      // a node found in an image is identified by its path; its red-pak alias goes beside it
      `${'  '.repeat(depths.get(subject.id) ?? 0)}${subject.id}${subject.alias && subject.alias !== subject.id ? ` (${subject.alias})` : ''}`,
      subject.kind,
      plural(subject.packages.length, 'package'),
      layer
        ? formatKnownBytes(layer.ownBytes, layer.ownUnknown, layer.ownPackages)
        : subject.installedSize === undefined
          ? '-'
          : formatBytes(subject.installedSize),
      layer ? `view ${formatKnownBytes(layer.viewBytes, layer.viewUnknown, layer.viewPackages)}` : '',
      // no rule was evaluated (its rpm database could not be read): not a clean subject
      subject.checked.length === 0 && counts.error + counts.warning + counts.note === 0
        ? 'not checked'
        : describeCounts(counts),
    ];
  });
  const family = bySubject.get('');
  if (family) {
    rows.push([
      result.command === 'repo-check' ? '(repositories)' : '(family)',
      '',
      '',
      '',
      '',
      describeCounts(countLevels(family)),
    ]);
  }
  const widths = [0, 1, 2, 3, 4].map((i) => rows.reduce((w, row) => Math.max(w, (row[i] ?? '').length), 0));
  const header = `${result.command} of \`${result.target}\` for ${result.arch} (redproof ${result.tool.version}, libsolv ${result.tool.libsolv})`;
  const pad = (row: string[], i: number, end: boolean) =>
    widths[i] ? `${end ? (row[i] ?? '').padEnd(widths[i]) : (row[i] ?? '').padStart(widths[i])}  ` : '';
  return [
    p.bold(header),
    ...rows.map((row) =>
      `  ${pad(row, 0, true)}${pad(row, 1, true)}${pad(row, 2, false)}${pad(row, 3, false)}${pad(row, 4, false)}${row[5] ?? ''}`.trimEnd(),
    ),
    ...(fp ? [`  footprint: ${footprintSentence(fp)}`] : []),
  ];
}

function describeCounts(counts: ReturnType<typeof countLevels>): string {
  const parts = [
    counts.error && plural(counts.error, 'error'),
    counts.warning && plural(counts.warning, 'warning'),
    counts.note && plural(counts.note, 'note'),
    counts.suppressed && `${counts.suppressed} suppressed`,
  ].filter(Boolean);
  return parts.length === 0 ? 'ok' : parts.join(', ');
}

/** The final line: `PASS`, `FAIL` or `ERROR` with counts. */
export function verdictLine(result: CheckResult, failOn: FailOn, color = false): string {
  const p = palette(color);
  const counts = countLevels(result.findings);
  const verdict = verdictOf(result, failOn);
  const packages = result.subjects.reduce((sum, subject) => sum + subject.packages.length, 0);
  const detail = `${formatCounts(counts)}, ${counts.suppressed} suppressed; ${plural(result.subjects.length, 'subject')}, ${plural(packages, 'package')} checked; fail-on ${failOn}`;
  if (verdict === 'error') {
    return `${p.level('error', 'ERROR:')} ${plural(result.errors.length, 'tool error')}, results are incomplete (${detail})`;
  }
  if (verdict === 'fail') {
    return `${p.level('error', 'FAIL:')} ${detail}`;
  }
  // `--fail-on never` passes whatever was found: say so, a bare "PASS: 22 errors" reads as a contradiction.
  const open = counts.error + counts.warning + counts.note;
  if (failOn === 'never' && open > 0) {
    return `${p.bold('PASS:')} ${plural(open, 'finding')} found (${detail}); --fail-on never: they do not fail the run`;
  }
  return `${p.bold('PASS:')} ${detail}`;
}

/** Text report: findings (sorted), tool errors, a summary per subject and a verdict line. */
export function textReporter(raw: CheckResult, options: TextOptions = {}): string {
  const result = escapeStrings(boundResult(raw, HUMAN_BOUNDS));
  const color = options.color ?? false;
  const p = palette(color);
  const blocks: string[] = [];
  // Warnings first: one of them may explain many findings (a wrong arch).
  for (const warning of sortErrors(result.warnings ?? [])) {
    blocks.push(renderToolError(warning, color, 'warning'));
  }
  for (const finding of sortFindings(result.findings)) {
    if (finding.suppression && !options.showSuppressed) continue;
    blocks.push(renderFinding(finding, result, options));
  }
  for (const error of sortErrors(result.errors)) {
    blocks.push(renderToolError(error, color));
  }
  if (!options.findingsOnly) {
    blocks.push(summaryLines(result, p).join('\n'));
    if (result.hoist) blocks.push(hoistTextLines(result.hoist).join('\n'));
    blocks.push(verdictLine(result, options.failOn ?? 'error', color));
  }
  return blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`;
}
