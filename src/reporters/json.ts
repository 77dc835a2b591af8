import type {
  CheckResult,
  EvidenceStep,
  Finding,
  PackageRef,
  RepositoryInfo,
  Span,
  Subject,
  ToolErrorInfo,
} from '../model/finding.js';
import { type Footprint, familyFootprint, type LayerFootprint } from '../model/footprint.js';
import { type FailOn, isFailing, verdictOf } from '../policy/exit-code.js';
import { boundResult } from './bound.js';
import {
  compareText,
  countLevels,
  orderSubjects,
  ruleMetaOf,
  sortErrors,
  sortFindings,
  stableStats,
  subjectIdOf,
} from './common.js';
import { hoistDocument } from './hoist.js';

/** Options of the JSON reporter. */
export interface JsonOptions {
  /** Threshold used for `verdict` and `summary.failing`. Default `error`. */
  failOn?: FailOn;
  /** Indentation; default 2. 0 gives one line. */
  indent?: number;
}

/** Version of `schema/result-v1.schema.json`; bumped only on incompatible changes. */
export const RESULT_SCHEMA_VERSION = 1;

function span(s: Span): Span {
  const out: Span = { file: s.file, line: s.line, column: s.column };
  if (s.endLine !== undefined) out.endLine = s.endLine;
  if (s.endColumn !== undefined) out.endColumn = s.endColumn;
  return out;
}

function step(e: EvidenceStep): EvidenceStep {
  const out: EvidenceStep = { role: e.role, text: e.text };
  if (e.package !== undefined) out.package = e.package;
  if (e.node !== undefined) out.node = e.node;
  if (e.repo !== undefined) out.repo = e.repo;
  if (e.location !== undefined) out.location = span(e.location);
  return out;
}

/** A finding with a fixed key order and no undefined values. */
function finding(f: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = { rule: f.rule, slug: f.slug, level: f.level };
  if (f.node !== undefined) out.node = f.node;
  if (f.package !== undefined) out.package = f.package;
  if (f.repo !== undefined) out.repo = f.repo;
  if (f.dependency !== undefined) out.dependency = f.dependency;
  if (f.other !== undefined) out.other = f.other;
  if (f.otherNode !== undefined) out.otherNode = f.otherNode;
  if (f.nodes !== undefined) out.nodes = [...f.nodes].sort(compareText);
  if (f.entry !== undefined) out.entry = f.entry;
  if (f.updatedNode !== undefined) out.updatedNode = f.updatedNode;
  if (f.before !== undefined) out.before = f.before;
  if (f.after !== undefined) out.after = f.after;
  out.message = f.message;
  if (f.help !== undefined) out.help = f.help;
  if (f.location !== undefined) out.location = span(f.location);
  out.evidence = f.evidence.map(step);
  out.fingerprint = f.fingerprint;
  if (f.suppression !== undefined) {
    out.suppression = { kind: f.suppression.kind, justification: f.suppression.justification };
  }
  return out;
}

function subject(s: Subject, findings: readonly Finding[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: s.id, kind: s.kind };
  if (s.alias !== undefined) out.alias = s.alias;
  if (s.parent !== undefined) out.parent = s.parent;
  if (s.location !== undefined) out.location = span(s.location);
  out.packages = [...s.packages]
    .sort((a, b) => compareText(a.nevra, b.nevra) || compareText(a.repo, b.repo))
    .map(packageRef);
  if (s.installedSize !== undefined) out.installedSize = s.installedSize;
  out.checked = [...new Set(s.checked)].sort(compareText);
  const counts = countLevels(findings.filter((f) => subjectIdOf(f) === s.id));
  out.findings = {
    errors: counts.error,
    warnings: counts.warning,
    notes: counts.note,
    suppressed: counts.suppressed,
  };
  return out;
}

/** The package facts in a fixed key order (absent facts are left out, never null). */
const PACKAGE_KEYS = [
  'reason',
  'license',
  'sourceRpm',
  'vendor',
  'buildTime',
  'installSize',
  'downloadSize',
  'checksum',
  'location',
] as const satisfies readonly (keyof PackageRef)[];

function packageRef(p: PackageRef): Record<string, unknown> {
  const out: Record<string, unknown> = { nevra: p.nevra, repo: p.repo };
  for (const key of PACKAGE_KEYS) if (p[key] !== undefined) out[key] = p[key];
  return out;
}

function repository(r: RepositoryInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { id: r.id, kind: r.kind };
  if (r.path !== undefined) out.path = r.path;
  if (r.revision !== undefined) out.revision = r.revision;
  if (r.repomdChecksum !== undefined) out.repomdChecksum = r.repomdChecksum;
  out.packages = r.packages;
  return out;
}

function layerFootprint(l: LayerFootprint): Record<string, unknown> {
  return {
    id: l.id,
    kind: l.kind,
    ...(l.parent !== undefined && { parent: l.parent }),
    ownBytes: l.ownBytes,
    ownPackages: l.ownPackages,
    ownUnknown: l.ownUnknown,
    viewBytes: l.viewBytes,
    viewPackages: l.viewPackages,
    viewUnknown: l.viewUnknown,
  };
}

/** `stats.footprint` in a fixed key order. */
function footprint(f: Footprint): Record<string, unknown> {
  return {
    familyBytes: f.familyBytes,
    standaloneBytes: f.standaloneBytes,
    savedBytes: f.savedBytes,
    ...(f.sharingRatio !== undefined && { sharingRatio: f.sharingRatio }),
    containers: f.containers,
    packages: f.packages,
    unknownSizePackages: f.unknownSizePackages,
    layers: f.layers.map(layerFootprint),
  };
}

/** The engine counters without timings, and the family's footprint (check, audit, lock, update-check). */
function stats(result: CheckResult): Record<string, unknown> {
  const fp = familyFootprint(result.subjects);
  return { ...stableStats(result.stats), ...(fp && { footprint: footprint(fp) }) };
}

function toolError(e: ToolErrorInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: e.kind, message: e.message };
  if (e.file !== undefined) out.file = e.file;
  if (e.line !== undefined) out.line = e.line;
  if (e.column !== undefined) out.column = e.column;
  return out;
}

/** The result-v1 document as a plain object (what `jsonReporter` serialises). */
export function toResultDocument(raw: CheckResult, options: JsonOptions = {}): Record<string, unknown> {
  const result = boundResult(raw);
  const failOn = options.failOn ?? 'error';
  const findings = sortFindings(result.findings);
  const counts = countLevels(findings);
  const ruleIds = [...new Set([...result.rules.map((r) => r.id), ...findings.map((f) => f.rule)])].sort(
    compareText,
  );
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    command: result.command,
    tool: { name: result.tool.name, version: result.tool.version, libsolv: result.tool.libsolv },
    target: result.target,
    arch: result.arch,
    failOn,
    verdict: verdictOf(result, failOn),
    summary: {
      errors: counts.error,
      warnings: counts.warning,
      notes: counts.note,
      suppressed: counts.suppressed,
      failing: findings.filter((f) => isFailing(f, failOn)).length,
      toolErrors: result.errors.length,
      subjects: result.subjects.length,
      packages: result.subjects.reduce((sum, s) => sum + s.packages.length, 0),
    },
    stats: stats(result),
    rules: ruleIds.map((id) => {
      const meta = ruleMetaOf(
        result,
        id,
        findings.find((f) => f.rule === id),
      );
      return { id: meta.id, slug: meta.slug, level: meta.level, summary: meta.summary, tags: [...meta.tags] };
    }),
    repositories: [...(result.repositories ?? [])].sort((a, b) => compareText(a.id, b.id)).map(repository),
    subjects: orderSubjects(result.subjects).map((s) => subject(s, findings)),
    findings: findings.map(finding),
    errors: sortErrors(result.errors).map(toolError),
    ...((result.warnings?.length ?? 0) > 0 && { warnings: sortErrors(result.warnings!).map(toolError) }),
    ...(result.hoist && { hoist: hoistDocument(result.hoist) }),
  };
}

/** JSON report following `schema/result-v1.schema.json`; byte-identical for identical input. */
export function jsonReporter(result: CheckResult, options: JsonOptions = {}): string {
  return `${JSON.stringify(toResultDocument(result, options), null, options.indent ?? 2)}\n`;
}

/**
 * jsonReporter's text in pieces (their concatenation is the same bytes), for writing without holding
 * it whole: a 1,000-node family's report is about 90 MB, and that string plus its encoding for the
 * write was a third of the run's peak memory. Each top-level array is split per element; everything
 * else is JSON.stringify's own text, re-indented to its depth.
 */
export function* jsonReportChunks(result: CheckResult, options: JsonOptions = {}): Generator<string> {
  const doc = toResultDocument(result, options) as unknown as Record<string, unknown>;
  const gap = ' '.repeat(Math.min(10, Math.max(0, options.indent ?? 2)));
  if (!gap) {
    yield `${JSON.stringify(doc)}\n`;
    return;
  }
  const nested = (value: unknown, indent: string): string =>
    (JSON.stringify(value, null, gap) ?? 'null').replace(/\n/g, `\n${indent}`);
  // JSON.stringify leaves out keys whose value it cannot write
  const keys = Object.keys(doc).filter((k) => {
    const v = doc[k];
    return v !== undefined && typeof v !== 'function' && typeof v !== 'symbol';
  });
  if (!keys.length) {
    yield '{}\n';
    return;
  }
  let sep = `{\n${gap}`;
  for (const key of keys) {
    const value = doc[key];
    yield `${sep}${JSON.stringify(key)}: `;
    sep = `,\n${gap}`;
    if (!Array.isArray(value) || value.length === 0) {
      yield nested(value, gap);
      continue;
    }
    const inner = gap + gap;
    for (let i = 0; i < value.length; i++)
      yield `${i === 0 ? '[\n' : ',\n'}${inner}${nested(value[i], inner)}`;
    yield `\n${gap}]`;
  }
  yield '\n}\n';
}
