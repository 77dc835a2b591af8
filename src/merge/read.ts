import { InputError } from '../load/errors.js';
import type { CheckResult, Finding, Subject } from '../model/finding.js';
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
    rules: doc.rules as CheckResult['rules'],
    // the footprint is derived from the subjects (src/model/footprint.ts) whenever a report needs it
    stats: withoutFootprint(doc.stats as CheckResult['stats'] & { footprint?: unknown }),
    ...(Array.isArray(doc.repositories) && { repositories: doc.repositories as CheckResult['repositories'] }),
  });
}

function withoutFootprint(stats: CheckResult['stats'] & { footprint?: unknown }): CheckResult['stats'] {
  const { footprint: _derived, ...counters } = stats;
  return counters as CheckResult['stats'];
}
