import type { CheckResult } from '../model/finding.js';
import { type GithubOptions, githubReporter } from './github.js';
import { type GitlabOptions, gitlabReporter } from './gitlab.js';
import { type JsonOptions, jsonReporter } from './json.js';
import { type JunitOptions, junitReporter } from './junit.js';
import { type MarkdownOptions, markdownReporter } from './markdown.js';
import { type SarifOptions, sarifReporter } from './sarif.js';
import { type TextOptions, textReporter } from './text.js';

/** Union of every reporter's options; each reporter reads only its own keys. */
export type ReporterOptions = TextOptions &
  JsonOptions &
  SarifOptions &
  JunitOptions &
  MarkdownOptions &
  GithubOptions &
  GitlabOptions;

/** A reporter turns a result into the full file or stdout text; it never writes anything itself. */
export type Reporter = (result: CheckResult, options?: ReporterOptions) => string;

/** Reporters by the name used in `--format NAME`. */
export const REPORTERS: Readonly<
  Record<'text' | 'json' | 'sarif' | 'junit' | 'markdown' | 'github' | 'gitlab', Reporter>
> = {
  text: textReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  junit: junitReporter,
  markdown: markdownReporter,
  github: githubReporter,
  gitlab: gitlabReporter,
};

/** Name of a registered reporter. */
export type ReporterName = keyof typeof REPORTERS;

/** The reporter registered under `name`, or `undefined`. */
export function getReporter(name: string): Reporter | undefined {
  return Object.hasOwn(REPORTERS, name) ? REPORTERS[name as ReporterName] : undefined;
}

export { type DocReader, explainRule, loadRuleDoc, loadRuleDocs, splitFrontMatter } from './explain.js';
export { escapeData, escapeProperty, type GithubOptions, githubReporter } from './github.js';
export { type CodeQualityIssue, type GitlabOptions, gitlabReporter } from './gitlab.js';
export { type JsonOptions, jsonReporter, RESULT_SCHEMA_VERSION, toResultDocument } from './json.js';
export { type JunitOptions, junitReporter } from './junit.js';
export { type MarkdownOptions, markdownReporter } from './markdown.js';
export { type ImageRoot, spanFiles } from './paths.js';
export { parseRuleDoc, type RuleDoc } from './rule-doc.js';
export { GITHUB_MAX_RESULTS, type SarifOptions, sarifReporter } from './sarif.js';
export { renderFinding, renderToolError, type TextOptions, textReporter, verdictLine } from './text.js';
