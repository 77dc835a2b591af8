import type { Builder } from 'junit-report-builder';
import * as junitModule from 'junit-report-builder';
import type { CheckResult, Finding, ToolErrorInfo } from '../model/finding.js';
import { type FailOn, isFailing } from '../policy/exit-code.js';
import { boundResult } from './bound.js';
import { compareText, orderSubjects, ruleMetaOf, sortErrors, sortFindings, subjectIdOf } from './common.js';
import { renderFinding, renderToolError } from './text.js';

/** Options of the JUnit reporter. */
export interface JunitOptions {
  /**
   * Findings at or above this level fail their testcase; lower ones go to `<system-out>` of a passing one.
   * Default `warning` (STYLE: error and warning → failure, note → system-out); the CLI passes `--fail-on`.
   */
  failOn?: FailOn;
  /** Source text per file, for code frames in failure bodies. */
  sources?: ReadonlyMap<string, string>;
}

// The package is CommonJS with an ESM-style `export default` in its typings: under NodeNext TypeScript sees
// the namespace while Node hands over `module.exports` (the builder) as `default`. Accept both shapes.
const junitRoot = (junitModule as unknown as { default: Builder & { default?: Builder } }).default;
const junitBuilder: Builder = junitRoot.default ?? junitRoot;

/** Longest `failure@message`; the full list is always in the element text (old GitLab ignores the attribute). */
const MAX_MESSAGE = 1000;

type Suite = ReturnType<Builder['testSuite']>;

/** Dots split Jenkins' package.class display and spaces read badly in every UI, so both become `_`. */
function classPart(text: string): string {
  return text.replace(/[.\s]+/g, '_');
}

function failureMessage(findings: readonly Finding[]): string {
  const text =
    findings.length === 1
      ? (findings[0]?.message ?? '')
      : `${findings.length} findings: ${findings.map((f) => f.message).join('; ')}`;
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

function addRuleCase(
  suite: Suite,
  classname: string,
  ruleId: string,
  findings: readonly Finding[],
  result: CheckResult,
  options: JunitOptions,
): void {
  const failOn = options.failOn ?? 'warning';
  const meta = ruleMetaOf(result, ruleId, findings[0]);
  const testCase = suite.testCase().className(classname).name(meta.slug);
  const failing = findings.filter((f) => isFailing(f, failOn));
  const reported = findings.filter((f) => !f.suppression && !isFailing(f, failOn));
  const suppressed = findings.filter((f) => f.suppression);
  const render = (f: Finding) => renderFinding(f, result, { sources: options.sources });
  if (failing.length > 0) {
    testCase.failure(failureMessage(failing), ruleId).stacktrace(failing.map(render).join('\n\n'));
  } else if (reported.length === 0 && suppressed.length > 0) {
    testCase.skipped();
  }
  const out = [
    ...reported.map(render),
    ...suppressed.map((f) => `${f.suppression?.kind === 'waiver' ? 'waived' : 'baseline'}: ${render(f)}`),
  ];
  if (out.length > 0) testCase.standardOutput(out.join('\n\n'));
}

function addToolErrorCases(
  suite: Suite,
  classname: string,
  errors: readonly ToolErrorInfo[],
  warnings: readonly ToolErrorInfo[] = [],
): void {
  if (errors.length === 0 || warnings.length > 0) {
    const run = suite.testCase().className(classname).name('tool-run');
    if (warnings.length > 0) {
      run.standardOutput(
        sortErrors(warnings)
          .map((w) => renderToolError(w, false, 'warning'))
          .join('\n\n'),
      );
    }
    if (errors.length === 0) return;
  }
  const byKind = new Map<string, ToolErrorInfo[]>();
  for (const error of sortErrors(errors)) {
    byKind.set(error.kind, [...(byKind.get(error.kind) ?? []), error]);
  }
  for (const kind of [...byKind.keys()].sort(compareText)) {
    const list = byKind.get(kind) ?? [];
    const message =
      list.length === 1
        ? (list[0]?.message ?? kind)
        : `${list.length} errors: ${list.map((e) => e.message).join('; ')}`;
    suite
      .testCase()
      .className(classname)
      .name(`tool-error-${kind}`)
      .error(message.slice(0, MAX_MESSAGE), kind, list.map((e) => renderToolError(e)).join('\n\n'));
  }
}

/**
 * JUnit XML (Jenkins/Ant flavour, validated against Jenkins' junit-4.xsd): one testsuite per subject with
 * one testcase per rule checked on it (classname `<target>.<subject>`, name = rule slug, so names are
 * unique per classname as GitLab requires), plus one `family`/`repositories` suite for family-level rules
 * and tool errors. No timestamps, hostnames or durations.
 */
export function junitReporter(raw: CheckResult, options: JunitOptions = {}): string {
  const result = boundResult(raw);
  const builder = junitBuilder.newBuilder().name(`redproof ${result.command} ${result.target}`);
  const target = classPart(result.target);
  const findings = sortFindings(result.findings);
  const subjectIds = new Set(result.subjects.map((s) => s.id));
  const bySubjectRule = new Map<string, Finding[]>();
  const familyFindings: Finding[] = [];
  for (const finding of findings) {
    const id = subjectIdOf(finding);
    if (id !== undefined && subjectIds.has(id)) {
      const key = `${id}\u0000${finding.rule}`;
      bySubjectRule.set(key, [...(bySubjectRule.get(key) ?? []), finding]);
    } else {
      familyFindings.push(finding);
    }
  }
  const checkedSomewhere = new Set<string>();
  for (const subject of orderSubjects(result.subjects)) {
    const suite = builder.testSuite().name(subject.id);
    suite.property('kind', subject.kind);
    if (subject.parent !== undefined) suite.property('parent', subject.parent);
    suite.property('packages', String(subject.packages.length));
    const classname = `${target}.${classPart(subject.id)}`;
    const rules = new Set(subject.checked);
    for (const finding of findings) {
      if (subjectIdOf(finding) === subject.id) rules.add(finding.rule);
    }
    for (const ruleId of [...rules].sort(compareText)) {
      checkedSomewhere.add(ruleId);
      addRuleCase(
        suite,
        classname,
        ruleId,
        bySubjectRule.get(`${subject.id}\u0000${ruleId}`) ?? [],
        result,
        options,
      );
    }
  }
  const familyName = result.command === 'repo-check' ? 'repositories' : 'family';
  const family = builder.testSuite().name(familyName);
  const familyClass = `${target}.${familyName}`;
  const familyRules = new Set(result.rules.map((r) => r.id).filter((id) => !checkedSomewhere.has(id)));
  for (const finding of familyFindings) familyRules.add(finding.rule);
  for (const ruleId of [...familyRules].sort(compareText)) {
    addRuleCase(
      family,
      familyClass,
      ruleId,
      familyFindings.filter((f) => f.rule === ruleId),
      result,
      options,
    );
  }
  addToolErrorCases(family, familyClass, result.errors, result.warnings);
  // junit-report-builder always writes `skipped` on <testsuites>, an attribute that Jenkins' junit-4.xsd
  // (and the Ant schema) do not define there; per-suite `skipped` counts stay.
  return `${builder.build().replace(/^(<testsuites\b[^>]*?) skipped="\d+"/m, '$1')}\n`;
}
