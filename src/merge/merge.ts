import { familyFootprint } from '../model/footprint.js';
import { type FailOn, exitCode as runExitCode, verdictOf } from '../policy/exit-code.js';
import { countLevels, footprintCell, formatCounts } from '../reporters/common.js';
import { hoistCell } from '../reporters/hoist.js';
import type { MergedInput } from '../reporters/html/index.js';
import { toResultDocument } from '../reporters/json.js';
import { junitReporter } from '../reporters/junit.js';
import { markdownReporter } from '../reporters/markdown.js';
import { sarifReporter } from '../reporters/sarif.js';

export type { MergedInput } from '../reporters/html/index.js';

/** Options of the merged writers. */
export interface MergeOptions {
  failOn?: FailOn;
  ruleDocs?: ReadonlyMap<string, string>;
}

/** A label per input: the file name without `.json`, made unique by its position when two collide. */
export function inputLabels(files: readonly string[]): string[] {
  const base = files.map((f) => (f.split('/').pop() ?? f).replace(/\.json$/i, '') || f);
  return base.map((b, i) => (base.indexOf(b) === base.lastIndexOf(b) ? b : `${b}#${i + 1}`));
}

/** `category/`: GitHub keeps the latest upload per category, so every input needs its own. */
export function automationId(input: MergedInput): string {
  const part = (t: string) => t.replace(/[^A-Za-z0-9._-]+/g, '-');
  return `redproof/${part(input.result.command)}/${part(input.label)}/`;
}

/** One SARIF log with one run per input, each with its own `automationDetails.id`. */
export function mergedSarif(inputs: readonly MergedInput[], options: MergeOptions = {}): string {
  const runs = inputs.flatMap(
    (input) =>
      (
        JSON.parse(
          sarifReporter(input.result, {
            automationId: automationId(input),
            ...(options.ruleDocs && { ruleDocs: options.ruleDocs }),
          }),
        ) as { runs: unknown[] }
      ).runs,
  );
  const first = JSON.parse(sarifReporter(inputs[0]!.result)) as { $schema: string; version: string };
  return `${JSON.stringify({ $schema: first.$schema, version: first.version, runs }, null, 2)}\n`;
}

function xmlAttr(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** One JUnit document holding every suite of every input, suites named `<input>: <suite>`. */
export function mergedJunit(inputs: readonly MergedInput[], options: MergeOptions = {}): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const input of inputs) {
    const xml = junitReporter(input.result, { ...(options.failOn && { failOn: options.failOn }) });
    const body = /<testsuites\b[^>]*>([\s\S]*)<\/testsuites>/.exec(xml)?.[1] ?? '';
    const prefix = xmlAttr(input.label);
    suites.push(body.replace(/<testsuite name="/g, `<testsuite name="${prefix}: `).trimEnd());
    for (const m of body.matchAll(/<testsuite\b[^>]*?\btests="(\d+)" failures="(\d+)" errors="(\d+)"/g)) {
      tests += Number(m[1]);
      failures += Number(m[2]);
      errors += Number(m[3]);
    }
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="redproof merge of ${inputs.length} runs" tests="${tests}" failures="${failures}" errors="${errors}">`,
    ...suites.map((s) => s.replace(/^\n/, '')),
    '</testsuites>',
    '',
  ].join('\n');
}

/** Counts over all inputs, each finding once. */
export function mergedSummary(inputs: readonly MergedInput[], failOn: FailOn) {
  const findings = inputs.flatMap((i) => i.result.findings);
  const counts = countLevels(findings);
  return {
    runs: inputs.length,
    errors: counts.error,
    warnings: counts.warning,
    notes: counts.note,
    suppressed: counts.suppressed,
    toolErrors: inputs.reduce((n, i) => n + i.result.errors.length, 0),
    failingRuns: inputs.filter((i) => verdictOf(i.result, failOn) !== 'pass').length,
  };
}

/**
 * Markdown: a table across the inputs, then each input's own summary one heading level down. The
 * footprint and hoist columns are each run's own: different families' bytes are never summed.
 */
export function mergedMarkdown(inputs: readonly MergedInput[], options: MergeOptions = {}): string {
  const failOn = options.failOn ?? 'error';
  const s = mergedSummary(inputs, failOn);
  const cell = (t: string) => t.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
  const lines = [
    `## redproof merge of ${inputs.length} runs: ${s.failingRuns === 0 ? '✅ pass' : `❌ ${s.failingRuns} failing`}`,
    '',
    `${formatCounts({ error: s.errors, warning: s.warnings, note: s.notes, suppressed: s.suppressed })}; ${s.suppressed} suppressed; ${s.toolErrors} tool errors; fail-on \`${failOn}\``,
    '',
    '| Input | Command | Target | Arch | Verdict | Errors | Warnings | Notes | Suppressed | Tool errors | Footprint | Hoisting |',
    '|---|---|---|---|---|---:|---:|---:|---:|---:|---|---|',
    ...inputs.map((i) => {
      const c = countLevels(i.result.findings);
      return `| ${cell(i.label)} | ${i.result.command} | ${cell(i.result.target)} | ${cell(i.result.arch)} | ${verdictOf(i.result, failOn)} | ${c.error} | ${c.warning} | ${c.note} | ${c.suppressed} | ${i.result.errors.length} | ${footprintCell(familyFootprint(i.result.subjects))} | ${hoistCell(i.result.hoist)} |`;
    }),
    '',
  ];
  for (const i of inputs) {
    const md = markdownReporter(i.result, { failOn });
    // one level down, so the inputs nest under the merged heading; the input names its first heading
    const nested = md.replace(/^(#{2,5}) /gm, '#$1 ').replace(/^### /, `### ${cell(i.label)}: `);
    lines.push(nested.trimEnd(), '');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * JSON: the summary across inputs and each input's result-v1 document (schema/merge-v1.schema.json),
 * which keeps the run's own `hoist`: the summary counts findings, and sums no bytes.
 */
export function mergedJson(inputs: readonly MergedInput[], options: MergeOptions = {}): string {
  const failOn = options.failOn ?? 'error';
  const doc = {
    mergeVersion: 1,
    failOn,
    verdict: mergedVerdict(inputs, failOn),
    summary: mergedSummary(inputs, failOn),
    runs: inputs.map((i) => ({ input: i.label, result: toResultDocument(i.result, { failOn }) })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** error if any run could not do its job, fail if any has failing findings, else pass. */
export function mergedVerdict(inputs: readonly MergedInput[], failOn: FailOn): 'pass' | 'fail' | 'error' {
  const codes = inputs.map((i) => runExitCode(i.result, failOn));
  return codes.includes(3) ? 'error' : codes.includes(1) ? 'fail' : 'pass';
}

/** The merged exit code: 3 when any input had a tool error, 1 on failing findings, else 0. */
export function mergedExitCode(inputs: readonly MergedInput[], failOn: FailOn): 0 | 1 | 3 {
  const v = mergedVerdict(inputs, failOn);
  return v === 'error' ? 3 : v === 'fail' ? 1 : 0;
}
