import { InputError } from '../load/errors.js';
import type { CheckResult, Finding, Subject } from '../model/finding.js';
import type { HoistBlockerInfo, HoistReport } from '../model/hoist.js';
import { boundResult } from '../reporters/bound.js';
import { RESULT_SCHEMA_VERSION } from '../reporters/json.js';
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';

/** A validator of the result-v1 schema (the CLI compiles schema/result-v1.schema.json). */
export type ResultValidator = (data: unknown) => { ok: true } | { ok: false; problem: string };

/**
 * A `--json` report read back into a result: the findings, subjects and errors as the run wrote them.
 * A report of another schema version, or one that does not follow result-v1, is an input error (exit 3).
 */
export function readResultDocument(text: string, file: string, validate?: ResultValidator): CheckResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError('merge-json', `not JSON (${clip((err as Error).message)})`, {
      file,
      expected: 'a JSON report written by redproof --json',
    });
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof data !== 'object' || data === null || Array.isArray(data) || version === undefined) {
    throw new InputError('merge-schema', 'no `schemaVersion`: this is not a redproof JSON report', {
      file,
      expected: 'a JSON report written by redproof --json (schema/result-v1.schema.json)',
    });
  }
  if (version !== RESULT_SCHEMA_VERSION) {
    throw new InputError(
      'merge-schema-version',
      `unknown schemaVersion ${clip(JSON.stringify(version) ?? String(version))}: this redproof reads version ${RESULT_SCHEMA_VERSION}`,
      { file, expected: `schemaVersion ${RESULT_SCHEMA_VERSION} (schema/result-v1.schema.json)` },
    );
  }
  const checked = validate?.(data);
  if (checked && !checked.ok) {
    throw new InputError(
      'merge-schema',
      `does not follow schema/result-v1.schema.json: ${clip(checked.problem, CLIP_TEXT_LENGTH)}`,
      {
        file,
        expected: 'a JSON report written by redproof --json',
      },
    );
  }
  const doc = data as Record<string, unknown> & {
    subjects: (Subject & { findings?: unknown })[];
    findings: Finding[];
  };
  // a report is input like any other: whatever it holds, what merge writes stays bounded
  return boundResult({
    command: doc.command as CheckResult['command'],
    tool: doc.tool as CheckResult['tool'],
    target: doc.target as string,
    arch: doc.arch as string,
    subjects: doc.subjects.map(({ findings: _counts, ...s }) => s),
    findings: doc.findings,
    errors: doc.errors as CheckResult['errors'],
    // what the run's loaders could not use: a merged report shows it as the run's own report did
    ...(Array.isArray(doc.warnings) &&
      doc.warnings.length > 0 && { warnings: doc.warnings as CheckResult['warnings'] }),
    rules: doc.rules as CheckResult['rules'],
    // the footprint is derived from the subjects (src/model/footprint.ts) whenever a report needs it
    stats: withoutFootprint(doc.stats as CheckResult['stats'] & { footprint?: unknown }),
    ...(Array.isArray(doc.repositories) && { repositories: doc.repositories as CheckResult['repositories'] }),
    // each run keeps its own: hoists of different families (or arches) are never summed
    ...(isObject(doc.hoist) && { hoist: hoistOf(doc.hoist) }),
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The report's `hoist` object (result-v1 `#/$defs/hoist`, checked by the schema) as the model has it:
 * `savedBytes` of the whole is derived (`bytesBefore - bytesAfter`) and written again from those.
 */
function hoistOf(raw: Record<string, unknown>): HoistReport {
  const d = raw as unknown as HoistReport;
  return {
    mode: d.mode,
    bytesBefore: d.bytesBefore,
    bytesAfter: d.bytesAfter,
    hoists: d.hoists.map((x) => ({
      package: x.package,
      to: x.to,
      from: [...x.from],
      savedBytes: x.savedBytes,
      with: x.with.map((w) => ({ package: w.package, from: [...w.from] })),
    })),
    left: d.left.map((l) => ({
      package: l.package,
      nodes: [...l.nodes],
      ancestor: l.ancestor,
      savedBytes: l.savedBytes,
      blockers: l.blockers.map(blockerOf),
    })),
  };
}

function blockerOf(b: HoistBlockerInfo): HoistBlockerInfo {
  return {
    kind: b.kind,
    text: b.text,
    ...(b.package !== undefined && { package: b.package }),
    ...(b.node !== undefined && { node: b.node }),
    ...(b.dependency !== undefined && { dependency: b.dependency }),
    ...(b.pattern !== undefined && { pattern: b.pattern }),
  };
}

function withoutFootprint(stats: CheckResult['stats'] & { footprint?: unknown }): CheckResult['stats'] {
  const { footprint: _derived, ...counters } = stats;
  return counters as CheckResult['stats'];
}
