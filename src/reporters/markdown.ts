import type { CheckResult, Finding, Subject } from '../model/finding.js';
import { type Footprint, familyFootprint } from '../model/footprint.js';
import { type FailOn, isFailing, verdictOf } from '../policy/exit-code.js';
import { appendAll } from '../util/append.js';
import { boundResult, HUMAN_BOUNDS } from './bound.js';
import {
  compareFindings,
  compareText,
  countLevels,
  docPathOf,
  formatBytes,
  formatCounts,
  formatKnownBytes,
  formatRatio,
  formatSpan,
  plural,
  ruleMetaOf,
  severityRank,
  sortErrors,
  sortFindings,
  sortSubjects,
  subjectIdOf,
} from './common.js';
import { escapeStrings } from './escape.js';
import { hoistMarkdownLines } from './hoist.js';

/** Options of the Markdown summary. */
export interface MarkdownOptions {
  /** Threshold for the verdict and the ❌ marks. Default `error`. */
  failOn?: FailOn;
  /** How many findings to list in full. Default 20. */
  maxFindings?: number;
  /** Prefix of rule doc links (e.g. a repository blob URL); default: the relative path `rules/...`. */
  docsBaseUri?: string;
}

const VERDICT_MARK = { pass: '✅ pass', fail: '❌ fail', error: '💥 tool error' } as const;

/**
 * Escapes text for a table cell or inline prose: pipes everywhere (GFM tables split on them even inside code
 * spans), angle brackets only outside code spans (inside them `&lt;` would show literally), no line breaks.
 */
function cell(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .split('`')
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/</g, '&lt;').replace(/>/g, '&gt;')))
    .join('`')
    .replace(/\|/g, '\\|');
}

function mark(findings: readonly Finding[], failOn: FailOn): string {
  if (findings.some((f) => isFailing(f, failOn))) return '❌';
  if (findings.some((f) => !f.suppression)) return '⚠️';
  return '✅';
}

function describe(findings: readonly Finding[]): string {
  const c = countLevels(findings);
  const parts = [
    c.error && plural(c.error, 'error'),
    c.warning && plural(c.warning, 'warning'),
    c.note && plural(c.note, 'note'),
    c.suppressed && `${c.suppressed} suppressed`,
  ].filter(Boolean);
  return parts.length === 0 ? 'clean' : parts.join(', ');
}

function treeLines(
  result: CheckResult,
  bySubject: Map<string, Finding[]>,
  failOn: FailOn,
  fp: Footprint | undefined,
): string[] {
  const layers = new Map(fp?.layers.map((l) => [l.id, l]));
  const subjects = sortSubjects(result.subjects);
  const ids = new Set(subjects.map((s) => s.id));
  const children = new Map<string, Subject[]>();
  const roots: Subject[] = [];
  for (const subject of subjects) {
    if (subject.parent !== undefined && ids.has(subject.parent) && subject.parent !== subject.id) {
      children.set(subject.parent, [...(children.get(subject.parent) ?? []), subject]);
    } else {
      roots.push(subject);
    }
  }
  const lines: string[] = [];
  const seen = new Set<string>();
  const walk = (subject: Subject, depth: number) => {
    if (seen.has(subject.id)) return;
    seen.add(subject.id);
    const findings = bySubject.get(subject.id) ?? [];
    const layer = layers.get(subject.id);
    const size = layer
      ? `, own ${formatKnownBytes(layer.ownBytes, layer.ownUnknown, layer.ownPackages)}, view ${formatKnownBytes(layer.viewBytes, layer.viewUnknown, layer.viewPackages)}`
      : subject.installedSize === undefined
        ? ''
        : `, ${formatBytes(subject.installedSize)}`;
    lines.push(
      `${'  '.repeat(depth)}- ${mark(findings, failOn)} \`${cell(subject.id)}\` (${subject.kind}, ${plural(subject.packages.length, 'package')}${size}): ${subject.checked.length === 0 && findings.length === 0 ? 'not checked' : describe(findings)}`,
    );
    for (const child of children.get(subject.id) ?? []) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  return lines;
}

/** The family against standalone containers, as a small table. */
function footprintLines(fp: Footprint): string[] {
  const standaloneUnknown = fp.layers.reduce((n, l) => n + (l.kind === 'node' ? l.viewUnknown : 0), 0);
  const lines = [
    '### Footprint',
    '',
    '| | Installed |',
    '|---|---:|',
    `| Family: each layer's own packages once | ${formatKnownBytes(fp.familyBytes, fp.unknownSizePackages)} |`,
  ];
  if (fp.containers > 0) {
    lines.push(
      `| ${plural(fp.containers, 'node')} as standalone containers, each carrying its whole view | ${formatKnownBytes(fp.standaloneBytes, standaloneUnknown)} |`,
      `| ${fp.savedBytes < 0 ? 'More' : 'Saved'} by sharing | ${formatBytes(Math.abs(fp.savedBytes))}${fp.sharingRatio === undefined ? '' : ` (sharing ratio ${formatRatio(fp.sharingRatio)})`} |`,
    );
  }
  lines.push('');
  if (fp.unknownSizePackages > 0) {
    lines.push(
      `${plural(fp.unknownSizePackages, 'package')} of unknown installed size ${fp.unknownSizePackages === 1 ? 'is' : 'are'} not counted: sizes marked ≥ are lower bounds.`,
      '',
    );
  }
  return lines;
}

function findingItem(finding: Finding, index: number, result: CheckResult, base: string): string[] {
  const where = finding.location ? ` at \`${cell(formatSpan(finding.location))}\`` : '';
  const lines = [
    `${index}. **${finding.rule}** \`${finding.slug}\` (${finding.level})${finding.node ? ` in \`${cell(finding.node)}\`` : ''}${where}: ${cell(finding.message)}`,
  ];
  for (const step of finding.evidence.slice(0, 5)) lines.push(`   - ${cell(step.role)}: ${cell(step.text)}`);
  if (finding.evidence.length > 5) lines.push(`   - … ${finding.evidence.length - 5} more evidence steps`);
  if (finding.help) lines.push(`   - **Fix:** ${cell(finding.help)}`);
  lines.push(`   - Docs: [${finding.rule}](${base}${docPathOf(result, finding.rule)})`);
  return lines;
}

/** Markdown summary for `$GITHUB_STEP_SUMMARY` or a merge-request comment. */
export function markdownReporter(raw: CheckResult, options: MarkdownOptions = {}): string {
  const result = escapeStrings(boundResult(raw, HUMAN_BOUNDS));
  const failOn = options.failOn ?? 'error';
  const max = options.maxFindings ?? 20;
  const base = options.docsBaseUri ?? '';
  const findings = sortFindings(result.findings);
  const counts = countLevels(findings);
  const verdict = verdictOf(result, failOn);
  const bySubject = new Map<string, Finding[]>();
  const ids = new Set(result.subjects.map((s) => s.id));
  for (const finding of findings) {
    const id = subjectIdOf(finding);
    const key = id !== undefined && ids.has(id) ? id : '';
    const list = bySubject.get(key);
    if (list) list.push(finding);
    else bySubject.set(key, [finding]);
  }
  const unfailed =
    verdict === 'pass' && failOn === 'never' && findings.some((f) => !f.suppression)
      ? ' (findings reported; `--fail-on never`: they do not fail the run)'
      : '';
  const out: string[] = [
    `## redproof ${result.command} \`${cell(result.target)}\` (${cell(result.arch)}): ${VERDICT_MARK[verdict]}${unfailed}`,
    '',
    `${formatCounts(counts)}; ${counts.suppressed} suppressed; ${plural(result.errors.length, 'tool error')}; fail-on \`${failOn}\`; redproof ${result.tool.version}, libsolv ${result.tool.libsolv}`,
    '',
  ];
  if (result.errors.length > 0) {
    out.push('### Tool errors', '');
    for (const error of sortErrors(result.errors)) {
      const at = error.file
        ? ` (\`${cell(error.file)}${error.line === undefined ? '' : `:${error.line}`}\`)`
        : '';
      out.push(`- **${cell(error.kind)}**${at}: ${cell(error.message)}`);
    }
    out.push('');
  }
  const warnings = result.warnings ?? [];
  if (warnings.length > 0) {
    out.push('### Tool warnings', '');
    for (const w of sortErrors(warnings)) {
      out.push(`- **${cell(w.kind)}**${w.file ? ` (\`${cell(w.file)}\`)` : ''}: ${cell(w.message)}`);
    }
    out.push('');
  }
  out.push(`### ${result.command === 'repo-check' ? 'Repositories' : 'Family'}`, '');
  const fp = familyFootprint(result.subjects);
  appendAll(out, treeLines(result, bySubject, failOn, fp));
  const family = bySubject.get('');
  if (family) out.push(`- ${mark(family, failOn)} _family-wide_: ${describe(family)}`);
  out.push('');
  if (result.hoist) appendAll(out, hoistMarkdownLines(result.hoist, cell));
  if (fp) appendAll(out, footprintLines(fp));

  const rows = new Map<string, Finding[]>();
  for (const finding of findings) {
    // By level too: a rule's findings need not have its default level (audit's RP005 is an error).
    const key = `${subjectIdOf(finding) ?? ''}\u0000${finding.rule}\u0000${finding.level}`;
    rows.set(key, [...(rows.get(key) ?? []), finding]);
  }
  if (rows.size > 0) {
    out.push(
      '### Findings per node and rule',
      '',
      '| Node | Rule | Level | Open | Suppressed |',
      '|---|---|---|---:|---:|',
    );
    for (const key of [...rows.keys()].sort(compareText)) {
      const list = rows.get(key) ?? [];
      const [node = '', ruleId = '', level = ''] = key.split('\u0000');
      const meta = ruleMetaOf(result, ruleId, list[0]);
      const open = list.filter((f) => !f.suppression).length;
      out.push(
        `| ${node ? `\`${cell(node)}\`` : '_family_'} | ${meta.id} \`${meta.slug}\` | ${level} | ${open} | ${list.length - open} |`,
      );
    }
    out.push('');
  }
  const open = findings
    .filter((f) => !f.suppression)
    .sort((a, b) => severityRank(b) - severityRank(a) || compareFindings(a, b));
  if (open.length > 0) {
    out.push(`### ${open.length > max ? `First ${max} of ${open.length} findings` : 'Findings'}`, '');
    open.slice(0, max).forEach((finding, i) => {
      appendAll(out, findingItem(finding, i + 1, result, base));
    });
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
