/**
 * redproof as a library: the same checks and reporters as the CLI, in-process, with types.
 *
 *   import { familyCheck, createNodeHost, getReporter } from 'redproof';
 *   const result = await familyCheck(createNodeHost(), { manifestText, manifestFile, manifestAbsDir });
 *   process.stdout.write(getReporter('sarif')!(result));
 */
export { type AuditOptions, audit } from './engine/audit.js';
export { type FamilyCheckOptions, familyCheck } from './engine/family-check.js';
export { type RepoCheckOptions, repoCheck } from './engine/repo-check.js';
export { TOOL_VERSION } from './engine/version.js';
export type { Host } from './host/host.js';
export { createNodeHost } from './host/node-host.js';
export { InputError, InputErrors, UsageError } from './load/errors.js';
export { type Manifest, parseManifest } from './load/manifest.js';
export { deriveRepoId, type RepoSpec, type SolvCache } from './load/repository.js';
export { mergedExitCode, mergedJson, mergedJunit, mergedMarkdown, mergedSarif } from './merge/merge.js';
export { readResultDocument } from './merge/read.js';
export type * from './model/finding.js';
export { type Footprint, familyFootprint, type LayerFootprint } from './model/footprint.js';
export type * from './model/hoist.js';
export {
  applyBaseline,
  applyWaivers,
  exitCode,
  type FailOn,
  fingerprint,
  parseWaivers,
} from './policy/index.js';
export {
  type HtmlOptions,
  htmlMergedReporter,
  htmlReporter,
  type LockChanges,
  type LockDiff,
  type MergedInput,
} from './reporters/html/index.js';
export {
  type CodeQualityIssue,
  getReporter,
  githubReporter,
  gitlabReporter,
  type ImageRoot,
  jsonReporter,
  junitReporter,
  markdownReporter,
  REPORTERS,
  type Reporter,
  type ReporterName,
  type ReporterOptions,
  sarifReporter,
  textReporter,
} from './reporters/index.js';
export type { SbomOptions } from './reporters/sbom/common.js';
export { cyclonedxReporter } from './reporters/sbom/cyclonedx.js';
export { spdxReporter } from './reporters/sbom/spdx.js';
export { findRule, RULES, type RuleSpec } from './rules/catalog.js';
export { Engine, EngineError, loadEngine, Pool, Repo } from './solver/index.js';
