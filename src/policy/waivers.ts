import type { ErrorObject } from 'ajv';
import { type Document, isNode, LineCounter } from 'yaml';
import { schemaValidator } from '../load/schema-validators.js';
import { parseDocumentGuarded, toJsGuarded } from '../load/yaml-guard.js';
import type { CheckResult, Finding, RuleMeta, Span, ToolErrorInfo } from '../model/finding.js';
import { findRule, ruleHelp, ruleMessage, toRuleMeta } from '../rules/catalog.js';
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';
import { fingerprint, packageName } from './fingerprint.js';
import { globMatch } from './glob.js';
import { aliasesOf } from './node-alias.js';

/** One accepted finding pattern from a waivers file. */
export interface Waiver {
  rule: string;
  /** Glob on the node id; absent = every node. */
  node?: string;
  /** Glob on NEVRA or name; absent = every package. */
  package?: string;
  /** Exact finding fingerprint; absent = any. */
  fingerprint?: string;
  reason: string;
  owner?: string;
  /** Last day (inclusive) the waiver applies, `YYYY-MM-DD`. */
  expires?: string;
  /** Where the entry is written (its `- rule:` item), for findings about the waiver itself. */
  location?: Span;
}

/** Result of reading a waivers file: never throws on bad input, the errors carry file:line:col. */
export interface ParsedWaivers {
  waivers: Waiver[];
  errors: ToolErrorInfo[];
}

/** The file as the schema admits it. */
interface WaiversFileV1 {
  version: 1;
  waivers: Omit<Waiver, 'location'>[];
}

/** Parses and validates a waivers YAML file against `schema/waivers-v1.schema.json`. */
export function parseWaivers(text: string, file: string): ParsedWaivers {
  const lineCounter = new LineCounter();
  const doc = parseDocumentGuarded(text, { lineCounter, prettyErrors: false });
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const errors: ToolErrorInfo[] = doc.errors.map((error) => ({
    kind: 'waivers',
    message: `reading waivers: ${clip(error.message.split('\n')[0] ?? error.code, CLIP_TEXT_LENGTH)}`,
    file,
    ...at(error.pos[0]),
  }));
  if (errors.length > 0) {
    return { waivers: [], errors };
  }
  let data: unknown;
  try {
    // An alias bomb (aliases of aliases) expands exponentially: refuse past a few aliases per node.
    data = toJsGuarded(doc, { maxAliasCount: 100 });
  } catch (err) {
    return {
      waivers: [],
      errors: [
        {
          kind: 'waivers',
          message: `reading waivers: ${clip((err as Error).message, CLIP_TEXT_LENGTH)}`,
          file,
          line: 1,
          column: 1,
        },
      ],
    };
  }
  const validateWaivers = schemaValidator<WaiversFileV1>('waivers-v1');
  if (!validateWaivers(data)) {
    for (const error of validateWaivers.errors ?? []) {
      errors.push({
        kind: 'waivers',
        message: `reading waivers: ${describe(error)}`,
        file,
        ...at(offsetOf(doc, error)),
      });
    }
    return { waivers: [], errors };
  }
  const waivers: Waiver[] = [];
  data.waivers.forEach((entry, index) => {
    const offset = rangeStart(doc, ['waivers', index]);
    const waiver: Waiver = { ...entry, location: { file, ...at(offset) } };
    if (!findRule(entry.rule)) {
      errors.push({
        kind: 'waivers',
        message: `reading waivers: unknown rule \`${clip(entry.rule)}\``,
        file,
        ...at(rangeStart(doc, ['waivers', index, 'rule'])),
      });
      return;
    }
    waivers.push(waiver);
  });
  return { waivers, errors };
}

function describe(error: ErrorObject): string {
  // keys are the file's: a key of 50 MB must not be echoed whole
  const where =
    error.instancePath === '' ? 'file' : `\`${clip(error.instancePath.slice(1).replace(/\//g, '.'))}\``;
  if (error.keyword === 'additionalProperties') {
    return `${where}: unknown key \`${clip(String(error.params.additionalProperty))}\``;
  }
  if (error.keyword === 'required') {
    return `${where}: missing key \`${clip(String(error.params.missingProperty))}\``;
  }
  return `${where} ${error.message ?? 'is invalid'}`;
}

function offsetOf(doc: Document, error: ErrorObject): number {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')));
  if (error.keyword === 'additionalProperties') {
    path.push(String(error.params.additionalProperty));
  }
  return rangeStart(doc, path);
}

/** Start offset of the deepest existing node on `path` (the document start when none exists). */
function rangeStart(doc: Document, path: (string | number)[]): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) {
      return node.range[0];
    }
  }
  return 0;
}

/**
 * True when the waiver's rule, node, package and fingerprint patterns all match the finding. `alias`
 * is the alias of the finding's node when it is known by another id (its image path in `audit`): a
 * waiver's `node` matches either.
 */
export function waiverMatches(waiver: Waiver, finding: Finding, alias?: string): boolean {
  if (waiver.rule !== finding.rule) {
    return false;
  }
  if (waiver.fingerprint !== undefined && waiver.fingerprint !== finding.fingerprint) {
    return false;
  }
  if (
    waiver.node !== undefined &&
    !globMatch(waiver.node, finding.node ?? finding.repo ?? '') &&
    !(alias !== undefined && globMatch(waiver.node, alias))
  ) {
    return false;
  }
  if (waiver.package !== undefined) {
    const pkg = finding.package ?? finding.entry ?? '';
    if (!globMatch(waiver.package, pkg) && !globMatch(waiver.package, packageName(pkg))) {
      return false;
    }
  }
  return true;
}

/** True when `today` (YYYY-MM-DD) is after the waiver's last valid day. */
export function isExpired(waiver: Waiver, today: string): boolean {
  return waiver.expires !== undefined && today > waiver.expires;
}

function scopeOf(waiver: Waiver): string {
  return `${waiver.node ?? '**'} ${waiver.package ?? '*'}`;
}

function justification(waiver: Waiver): string {
  const extras = [
    waiver.owner && `owner: ${waiver.owner}`,
    waiver.expires && `until ${waiver.expires}`,
  ].filter(Boolean);
  return extras.length > 0 ? `${waiver.reason} (${extras.join(', ')})` : waiver.reason;
}

function policyFinding(code: 'RP090' | 'RP091', messageId: string, waiver: Waiver, matched: number): Finding {
  const rule = findRule(code)!;
  const data = { rule: waiver.rule, scope: scopeOf(waiver), expires: waiver.expires ?? '' };
  const finding: Finding = {
    rule: rule.id,
    slug: rule.slug,
    level: rule.level,
    message: ruleMessage(code, messageId, data),
    help: ruleHelp(code, data),
    evidence: [
      { role: 'waiver', text: `reason: ${clip(waiver.reason, CLIP_TEXT_LENGTH)}` },
      ...(waiver.owner ? [{ role: 'owner', text: clip(waiver.owner) }] : []),
      ...(code === 'RP090'
        ? [{ role: 'matches', text: `${matched} finding(s) of this run are no longer waived` }]
        : []),
    ],
    fingerprint: fingerprint({
      rule: code,
      node: waiver.node,
      package: waiver.package,
      dependency: waiver.rule,
    }),
  };
  if (waiver.location) {
    finding.location = waiver.location;
  }
  return finding;
}

/**
 * Marks findings matched by an unexpired waiver as suppressed (kind `waiver`); they then never fail the run.
 * An expired waiver suppresses nothing and yields an RP090 warning at its line; an unexpired waiver that
 * matches nothing yields an RP091 note. Findings already suppressed (e.g. by a baseline) are left alone.
 * `today` is `YYYY-MM-DD`, passed in so the function stays pure. Returns a new result.
 */
export function applyWaivers(result: CheckResult, waivers: readonly Waiver[], today: string): CheckResult {
  const used = new Array<number>(waivers.length).fill(0);
  const aliases = aliasesOf(result);
  const findings = result.findings.map((finding) => {
    if (finding.suppression) {
      return finding;
    }
    let applied: Waiver | undefined;
    const alias = finding.node === undefined ? undefined : aliases.get(finding.node);
    waivers.forEach((waiver, index) => {
      if (!waiverMatches(waiver, finding, alias)) {
        return;
      }
      used[index] = (used[index] ?? 0) + 1;
      if (!applied && !isExpired(waiver, today)) {
        applied = waiver;
      }
    });
    return applied
      ? { ...finding, suppression: { kind: 'waiver' as const, justification: justification(applied) } }
      : finding;
  });
  const policy: Finding[] = [];
  waivers.forEach((waiver, index) => {
    const matched = used[index] ?? 0;
    if (isExpired(waiver, today)) {
      policy.push(policyFinding('RP090', 'expired', waiver, matched));
    } else if (matched === 0) {
      policy.push(policyFinding('RP091', 'unused', waiver, matched));
    }
  });
  const rules: RuleMeta[] = [...result.rules];
  for (const code of ['RP090', 'RP091']) {
    if (!rules.some((rule) => rule.id === code)) {
      rules.push(toRuleMeta(findRule(code)!));
    }
  }
  const waived = findings.filter((f) => f.suppression?.kind === 'waiver').length;
  return {
    ...result,
    findings: [...findings, ...policy],
    rules,
    stats: {
      ...result.stats,
      waived,
      waiversExpired: policy.filter((f) => f.rule === 'RP090').length,
      waiversUnused: policy.filter((f) => f.rule === 'RP091').length,
    },
  };
}
