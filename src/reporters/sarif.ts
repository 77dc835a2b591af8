import type { CheckResult, Finding, RuleMeta, Span } from '../model/finding.js';
import { RULES, type RuleSpec, ruleDocPath } from '../rules/catalog.js';
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';
import { boundResult } from './bound.js';
import { compareFindings, compareText, ruleMetaOf, severityRank, sortErrors } from './common.js';
import { splitLines } from './frame.js';
import { checkoutPath, type ImageRoot, primarySpan } from './paths.js';

/** Options of the SARIF reporter. */
export interface SarifOptions {
  /** Markdown of each rule's doc page by rule id (the CLI loads `rules/*.md`); becomes `help.markdown`. */
  ruleDocs?: ReadonlyMap<string, string>;
  /**
   * Base URI of the doc pages; `helpUri` = base + `rules/RPxxx-slug.md`. Default: the pages shipped in the
   * npm package of this version, `https://unpkg.com/redproof@<version>/`.
   */
  docsBaseUri?: string;
  /** Absolute `file:` URI of the checkout root (ending in `/`) for `originalUriBaseIds`; omitted by default so output stays machine-independent. */
  srcRootUri?: string;
  /** Results per run; GitHub rejects more than 25,000. Lowest severities are dropped first. */
  maxResults?: number;
  /** `runAutomationDetails.id` (GitHub category). Default `redproof/<command>/<target>/`. */
  automationId?: string;
  /**
   * File the run was about (the family manifest, relative to the checkout): a file-level location for
   * findings that have no span and whose subject has none either, since GitHub needs a file to show an alert.
   */
  targetFile?: string;
  /** Source text per `Span.file`: adds `region.snippet` and a `contextRegion` (one line around) to locations. */
  sources?: ReadonlyMap<string, string>;
  /**
   * `audit`: where the image lies. Its files are then located from the checkout root (`%SRCROOT%`) when the
   * image lies inside it; otherwise against `IMAGEROOT`, declared with the image's absolute URI.
   */
  imageRoot?: ImageRoot;
  /** File declaring each subject that has no location of its own, by subject id (repo-check: `repomd.xml`). */
  declarations?: ReadonlyMap<string, string>;
}

/** GitHub code scanning's limit of results per run. */
export const GITHUB_MAX_RESULTS = 25_000;

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const FINGERPRINT_KEY = 'redproof/v1';
const SRCROOT = '%SRCROOT%';
const IMAGEROOT = 'IMAGEROOT';

type Json = Record<string, unknown>;

/** Percent-encodes a relative path for `artifactLocation.uri`, keeping `/`. */
export function pathToUri(path: string): string {
  const normalized = path.replace(/\\/g, '/').replace(/^\.\//, '');
  const encoded = normalized
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return normalized.startsWith('/') ? `file://${encoded}` : encoded;
}

// GitHub code scanning ignores `originalUriBaseIds` (github/codeql-action#2215) and reads every relative
// `uri` from the checkout root: an image file is therefore written as its path from the checkout when the
// image lies inside it. An image outside the checkout cannot show on GitHub at all; its files are given
// against IMAGEROOT, which other SARIF consumers resolve.
function imageOutside(imageRoot: ImageRoot | undefined): imageRoot is ImageRoot {
  return imageRoot?.path.startsWith('/') === true;
}

function artifactLocation(file: string, imageRoot?: ImageRoot): Json {
  if (imageRoot?.files.has(file) && imageOutside(imageRoot) && !file.startsWith('/')) {
    return { uri: pathToUri(file), uriBaseId: IMAGEROOT };
  }
  const uri = pathToUri(checkoutPath(file, imageRoot));
  return uri.startsWith('file://') ? { uri } : { uri, uriBaseId: SRCROOT };
}

/** `file:` URI of an absolute directory, ending in `/` as a base URI must. */
function directoryUri(path: string): string {
  const uri = pathToUri(path);
  return uri.endsWith('/') ? uri : `${uri}/`;
}

function region(span: Span): Json {
  const out: Json = { startLine: span.line, startColumn: span.column };
  const endLine = span.endLine ?? span.line;
  out.endLine = endLine;
  if (span.endColumn !== undefined) {
    out.endColumn = Math.max(span.endColumn, endLine === span.line ? span.column + 1 : 1);
  }
  return out;
}

/** Most lines a region snippet quotes (a multi-line YAML scalar can span thousands). */
const SNIPPET_LINES = 20;

function physicalLocation(span: Span, options: SarifOptions): Json {
  const sources = options.sources;
  const out: Json = {
    artifactLocation: artifactLocation(span.file, options.imageRoot),
    region: region(span),
  };
  const source = sources?.get(span.file);
  if (source === undefined) return out;
  const lines = splitLines(source);
  // a snippet is bounded as every output is: at most SNIPPET_LINES lines, each cut past CLIP_TEXT_LENGTH
  const last = Math.min(span.endLine ?? span.line, lines.length, span.line + SNIPPET_LINES - 1);
  if (span.line < 1 || span.line > lines.length) return out;
  const text = (from: number, to: number) =>
    `${lines
      .slice(from - 1, to)
      .map((l) => clip(l, CLIP_TEXT_LENGTH))
      .join('\n')}\n`;
  (out.region as Json).snippet = { text: text(span.line, last) };
  const from = Math.max(1, span.line - 1);
  const to = Math.min(lines.length, last + 1);
  out.contextRegion = { startLine: from, endLine: to, snippet: { text: text(from, to) } };
  return out;
}

function fullDescription(rule: RuleMeta, spec: RuleSpec | undefined): string {
  const status = spec ? ` Status: ${spec.status}, since ${spec.since}.` : '';
  return `${rule.summary}.${status} Default level: ${rule.level}.`;
}

function descriptor(rule: RuleMeta, spec: RuleSpec | undefined, options: SarifOptions, base: string): Json {
  const doc = ruleDocPath(rule);
  const markdown = options.ruleDocs?.get(rule.id);
  const helpText = spec ? `${spec.help.replace(/\{(\w+)\}/g, '<$1>')}. See ${doc}.` : `See ${doc}.`;
  const out: Json = {
    id: rule.id,
    name: rule.slug,
    shortDescription: { text: rule.summary },
    fullDescription: { text: fullDescription(rule, spec) },
    help: markdown === undefined ? { text: helpText } : { text: helpText, markdown },
    helpUri: `${base}${doc}`,
    defaultConfiguration: { level: rule.level },
    properties: {
      tags: [...rule.tags].slice(0, 20),
      precision: 'very-high',
      'problem.severity': rule.level === 'note' ? 'recommendation' : rule.level,
      ...(spec ? { status: spec.status, since: spec.since } : {}),
    },
  };
  return out;
}

function logicalLocations(finding: Finding): Json[] {
  const out: Json[] = [];
  const scope = finding.node ?? finding.repo;
  if (scope !== undefined) {
    out.push({ name: scope, kind: 'namespace', fullyQualifiedName: scope });
  }
  if (finding.package !== undefined) {
    out.push({
      name: finding.package,
      kind: 'module',
      fullyQualifiedName: scope === undefined ? finding.package : `${scope}::${finding.package}`,
    });
  }
  return out;
}

function relatedLocations(finding: Finding, options: SarifOptions): Json[] {
  const out: Json[] = [];
  for (const step of finding.evidence) {
    if (!step.location && step.package === undefined) continue;
    const location: Json = { id: out.length + 1, message: { text: `${step.role}: ${step.text}` } };
    if (step.location) location.physicalLocation = physicalLocation(step.location, options);
    if (step.package !== undefined) {
      const scope = step.node ?? step.repo;
      location.logicalLocations = [
        {
          name: step.package,
          kind: 'module',
          fullyQualifiedName: scope === undefined ? step.package : `${scope}::${step.package}`,
        },
      ];
    }
    out.push(location);
  }
  return out;
}

function properties(finding: Finding): Json {
  const out: Json = {};
  if (finding.node !== undefined) out.node = finding.node;
  if (finding.package !== undefined) out.package = finding.package;
  if (finding.repo !== undefined) out.repo = finding.repo;
  if (finding.dependency !== undefined) out.dependency = finding.dependency;
  if (finding.other !== undefined) out.other = finding.other;
  if (finding.otherNode !== undefined) out.otherNode = finding.otherNode;
  if (finding.nodes !== undefined) out.nodes = [...finding.nodes].sort(compareText);
  if (finding.entry !== undefined) out.entry = finding.entry;
  if (finding.help !== undefined) out.help = finding.help;
  out.evidence = finding.evidence.map((step) => `${step.role}: ${step.text}`);
  return out;
}

function sarifResult(finding: Finding, ruleIndex: number, result: CheckResult, options: SarifOptions): Json {
  const out: Json = {
    ruleId: finding.rule,
    ruleIndex,
    level: finding.level,
    message: { text: finding.help ? `${finding.message}. Fix: ${finding.help}` : finding.message },
  };
  const primary = primarySpan(finding, result, options.declarations);
  const locations: Json[] = [];
  if (primary) {
    const location: Json = { physicalLocation: physicalLocation(primary, options) };
    const logical = logicalLocations(finding);
    if (logical.length > 0) location.logicalLocations = logical;
    locations.push(location);
  } else {
    const logical = logicalLocations(finding);
    const location: Json = {};
    if (options.targetFile !== undefined) {
      location.physicalLocation = {
        artifactLocation: artifactLocation(options.targetFile, options.imageRoot),
      };
    }
    if (logical.length > 0) location.logicalLocations = logical;
    if (Object.keys(location).length > 0) locations.push(location);
  }
  if (locations.length > 0) out.locations = locations;
  const related = relatedLocations(finding, options);
  if (related.length > 0) out.relatedLocations = related;
  out.partialFingerprints = { [FINGERPRINT_KEY]: finding.fingerprint };
  if (finding.suppression) {
    out.suppressions = [
      {
        kind: 'external',
        status: 'accepted',
        justification: `${finding.suppression.kind}: ${finding.suppression.justification}`,
      },
    ];
  }
  out.properties = properties(finding);
  return out;
}

/**
 * SARIF 2.1.0 log with one run for GitHub code scanning: every catalog rule as a descriptor, results sorted
 * and truncated by severity to `maxResults` (truncation recorded in `run.properties`), tool errors as
 * `invocations[0].toolExecutionNotifications`. Pure: doc pages come in through `options.ruleDocs`.
 */
export function sarifReporter(raw: CheckResult, options: SarifOptions = {}): string {
  const result = boundResult(raw);
  const base = options.docsBaseUri ?? `https://unpkg.com/redproof@${result.tool.version}/`;
  const metas: { meta: RuleMeta; spec: RuleSpec | undefined }[] = RULES.map((spec) => ({
    meta: ruleMetaOf(result, spec.id),
    spec,
  }));
  const extra = [...new Set([...result.rules.map((r) => r.id), ...result.findings.map((f) => f.rule)])]
    .filter((id) => !RULES.some((spec) => spec.id === id))
    .sort(compareText);
  for (const id of extra) {
    metas.push({
      meta: ruleMetaOf(
        result,
        id,
        result.findings.find((f) => f.rule === id),
      ),
      spec: undefined,
    });
  }
  const indexOf = new Map(metas.map((m, i) => [m.meta.id, i]));

  const max = options.maxResults ?? GITHUB_MAX_RESULTS;
  const ranked = [...result.findings].sort(
    (a, b) => severityRank(b) - severityRank(a) || compareFindings(a, b),
  );
  const kept = ranked.slice(0, max).sort(compareFindings);
  const dropped = ranked.slice(max);

  const runProperties: Json = {
    command: result.command,
    target: result.target,
    arch: result.arch,
    libsolv: result.tool.libsolv,
  };
  if (dropped.length > 0) {
    const droppedByLevel = { error: 0, warning: 0, note: 0, suppressed: 0 };
    for (const f of dropped) {
      if (f.suppression) droppedByLevel.suppressed++;
      else droppedByLevel[f.level]++;
    }
    runProperties.truncated = true;
    runProperties.totalResults = ranked.length;
    runProperties.emittedResults = kept.length;
    runProperties.droppedResults = droppedByLevel;
  }

  const errors = sortErrors(result.errors);
  const warnings = sortErrors(result.warnings ?? []);
  const invocation: Json = { executionSuccessful: errors.length === 0 };
  if (errors.length + warnings.length > 0) {
    const notifications = [
      ...errors.map((e) => ({ e, level: 'error' })),
      ...warnings.map((e) => ({ e, level: 'warning' })),
    ];
    invocation.toolExecutionNotifications = notifications.map(({ e: error, level }) => {
      const note: Json = { level, message: { text: error.message }, descriptor: { id: error.kind } };
      if (error.file !== undefined) {
        const location: Json = { artifactLocation: artifactLocation(error.file, options.imageRoot) };
        if (error.line !== undefined)
          location.region = { startLine: error.line, startColumn: error.column ?? 1 };
        note.locations = [{ physicalLocation: location }];
      }
      return note;
    });
  }

  const run: Json = {
    tool: {
      driver: {
        name: 'redproof',
        fullName: `redproof ${result.tool.version} (libsolv ${result.tool.libsolv})`,
        version: result.tool.version,
        semanticVersion: result.tool.version,
        informationUri: `${base}README.md`,
        rules: metas.map(({ meta, spec }) => descriptor(meta, spec, options, base)),
      },
    },
    automationDetails: { id: options.automationId ?? `redproof/${result.command}/${result.target}/` },
    originalUriBaseIds: {
      [SRCROOT]: options.srcRootUri
        ? { uri: options.srcRootUri }
        : { description: { text: 'The checkout root: every artifact path is relative to it.' } },
      ...(imageOutside(options.imageRoot) && {
        [IMAGEROOT]: {
          uri: directoryUri(options.imageRoot.path),
          description: { text: 'The audited image root (outside the checkout).' },
        },
      }),
    },
    invocations: [invocation],
    columnKind: 'utf16CodeUnits',
    results: kept.map((finding) => sarifResult(finding, indexOf.get(finding.rule) ?? 0, result, options)),
    properties: runProperties,
  };
  const log = { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
  return `${JSON.stringify(log, null, 2)}\n`;
}
