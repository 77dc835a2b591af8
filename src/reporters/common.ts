import type { CheckResult, Finding, Level, RuleMeta, Span, ToolErrorInfo } from '../model/finding.js';
import type { Footprint } from '../model/footprint.js';
import { compareText } from '../model/subjects.js';
import { findRule, levelRank, ruleDocPath } from '../rules/catalog.js';

// The subject order lives with the model (the footprint needs it too); reporters keep importing it from here.
export { compareText, orderSubjects, sortSubjects, subjectDepths } from '../model/subjects.js';

/** Total order on findings: location (file, line, column; unlocated last), rule, node, package, then identity. */
export function compareFindings(a: Finding, b: Finding): number {
  const aLoc = a.location;
  const bLoc = b.location;
  if (aLoc && !bLoc) return -1;
  if (!aLoc && bLoc) return 1;
  if (aLoc && bLoc) {
    const byLoc = compareText(aLoc.file, bLoc.file) || aLoc.line - bLoc.line || aLoc.column - bLoc.column;
    if (byLoc !== 0) return byLoc;
  }
  return (
    compareText(a.rule, b.rule) ||
    compareText(a.node, b.node) ||
    compareText(a.package, b.package) ||
    compareText(a.dependency, b.dependency) ||
    compareText(a.other, b.other) ||
    compareText(a.fingerprint, b.fingerprint) ||
    compareText(a.message, b.message)
  );
}

/** A sorted copy; the input order never shows in any output. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/** Counts of unsuppressed findings per level, plus the suppressed ones. */
export interface LevelCounts {
  error: number;
  warning: number;
  note: number;
  suppressed: number;
}

/** Counts findings per level; suppressed findings are counted apart, never per level. */
export function countLevels(findings: readonly Finding[]): LevelCounts {
  const counts: LevelCounts = { error: 0, warning: 0, note: 0, suppressed: 0 };
  for (const finding of findings) {
    if (finding.suppression) counts.suppressed++;
    else counts[finding.level]++;
  }
  return counts;
}

/** `1 error`, `2 warnings`, ... */
export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `2 errors, 1 warning, 0 notes`. */
export function formatCounts(counts: LevelCounts): string {
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${plural(counts.note, 'note')}`;
}

/** Id of the subject a finding is reported at: its node, else its repository (repo-check). */
export function subjectIdOf(finding: Finding): string | undefined {
  return finding.node ?? finding.repo;
}

/** Metadata of a rule: the catalog first, then the run's own `rules`, then a stub from the finding. */
export function ruleMetaOf(result: CheckResult, id: string, fallback?: Finding): RuleMeta {
  const spec = findRule(id);
  if (spec && spec.id === id) {
    return { id: spec.id, slug: spec.slug, level: spec.level, summary: spec.summary, tags: [...spec.tags] };
  }
  const own = result.rules.find((rule) => rule.id === id);
  if (own) return own;
  return {
    id,
    slug: fallback?.slug ?? id.toLowerCase(),
    level: fallback?.level ?? 'error',
    summary: id,
    tags: [],
  };
}

/** Doc page path of a rule id (catalog or result metadata). */
export function docPathOf(result: CheckResult, id: string): string {
  return ruleDocPath(ruleMetaOf(result, id));
}

/** Human size in binary units with one decimal, e.g. `1.5 MiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Bytes of which some packages' sizes are unknown: a lower bound, marked `≥`; `unknown` when none is known. */
export function formatKnownBytes(bytes: number, unknown: number, packages?: number): string {
  if (unknown > 0 && unknown === packages) return 'unknown';
  return unknown > 0 ? `≥ ${formatBytes(bytes)}` : formatBytes(bytes);
}

/** `2.25×`: the sharing ratio as printed. */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(2)}×`;
}

/**
 * The footprint in one sentence (text summary, Markdown, HTML): the family against standalone containers,
 * and what of it is unknown.
 */
export function footprintSentence(fp: Footprint): string {
  const unknown = fp.unknownSizePackages;
  const family = `${formatKnownBytes(fp.familyBytes, unknown)} installed, each layer once`;
  const tail =
    unknown > 0
      ? `; ${plural(unknown, 'package')} of unknown installed size not counted (≥: a lower bound)`
      : '';
  if (fp.containers === 0) return `${family}; no node, so no standalone container to compare with${tail}`;
  const standaloneUnknown = fp.layers.reduce((n, l) => n + (l.kind === 'node' ? l.viewUnknown : 0), 0);
  const ratio =
    fp.sharingRatio === undefined
      ? 'no known byte to compare'
      : `sharing ratio ${formatRatio(fp.sharingRatio)}, ${formatBytes(Math.abs(fp.savedBytes))} ${fp.savedBytes < 0 ? 'more' : 'saved'}`;
  return `${family}; ${formatKnownBytes(fp.standaloneBytes, standaloneUnknown)} as ${plural(fp.containers, 'standalone container')}, each node carrying its whole view; ${ratio}${tail}`;
}

/** `33.4 MiB, standalone 68.0 MiB (2.03×)`: the footprint in a table cell (merged runs); `-` without one. */
export function footprintCell(fp: Footprint | undefined): string {
  if (!fp) return '-';
  const standaloneUnknown = fp.layers.reduce((n, l) => n + (l.kind === 'node' ? l.viewUnknown : 0), 0);
  const family = formatKnownBytes(fp.familyBytes, fp.unknownSizePackages);
  if (fp.containers === 0) return family;
  const ratio = fp.sharingRatio === undefined ? '' : ` (${formatRatio(fp.sharingRatio)})`;
  return `${family}, standalone ${formatKnownBytes(fp.standaloneBytes, standaloneUnknown)}${ratio}`;
}

/** `file:line:col`. */
export function formatSpan(span: Span): string {
  return `${span.file}:${span.line}:${span.column}`;
}

/** Levels from most to least severe. */
export const LEVELS: readonly Level[] = ['error', 'warning', 'note'];

/** Sort key that puts unsuppressed errors first and suppressed findings last (SARIF truncation). */
export function severityRank(finding: Finding): number {
  return finding.suppression ? 0 : levelRank(finding.level);
}

/** Stats that are measurements of the run (durations) rather than of the input; dropped from outputs. */
export function isTimingStat(key: string): boolean {
  return /(duration|elapsed|time|millis|seconds|Ms)$/i.test(key) || /^(duration|elapsed|time)/i.test(key);
}

/** Stats without timings, keys sorted. */
export function stableStats(stats: CheckResult['stats']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(stats).sort(compareText)) {
    const value = stats[key];
    if (!isTimingStat(key) && typeof value === 'number') out[key] = value;
  }
  return out;
}

/** Tool errors sorted by file, line, column, kind and message. */
export function sortErrors(errors: readonly ToolErrorInfo[]): ToolErrorInfo[] {
  return [...errors].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compareText(a.kind, b.kind) ||
      compareText(a.message, b.message),
  );
}
