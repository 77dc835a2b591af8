/**
 * Schema validation of manifest data with ajv, with every ajv error turned into an InputError that
 * points at the YAML text behind it.
 * @internal
 */
import type { ErrorObject } from 'ajv';
import { isSeq } from 'yaml';
import { clip } from '../util/clip.js';
import { InputError } from './errors.js';
import {
  ALIAS_PATTERN,
  ARCH_PATTERN,
  ENTRY_PATTERN,
  MODULE_NAME_PATTERN,
  MODULE_STREAM_PATTERN,
  REPO_ID_PATTERN,
  REQUEST_PATTERN,
  SINGLE_LINE_PATTERN,
} from './manifest-schema.js';
import {
  type DataPath,
  formatPath,
  nodeAt,
  spanOfNode,
  spanOfRoot,
  toErrorPosition,
  type YamlSource,
} from './manifest-yaml.js';
import { schemaValidator } from './schema-validators.js';

/** How each schema pattern reads in a message. */
const PATTERN_TEXT: Record<string, string> = {
  [ALIAS_PATTERN]: '[A-Za-z0-9+\\-_@:]+',
  [REPO_ID_PATTERN]: '[A-Za-z0-9._:-]+',
  [ENTRY_PATTERN]:
    'a package name or NEVRA (letters, digits and `._+~^:-`, starting with a letter, digit, `_` or `+`)',
  [ARCH_PATTERN]: '[A-Za-z0-9_]+',
  [SINGLE_LINE_PATTERN]: 'a single line without leading or trailing blanks',
  [REQUEST_PATTERN]: 'an install spec without blanks (name, name.arch, NEVRA, provide, glob or @group)',
  [MODULE_STREAM_PATTERN]:
    '`name:stream` or `name` (a module of modules.yaml, as `dnf module enable` takes it)',
  [MODULE_NAME_PATTERN]: 'a module name (as `dnf module disable` takes it; no stream)',
};

/** Validates `data` (the YAML as plain data) and returns one InputError per schema violation. */
export function validateManifestData(source: YamlSource, data: unknown): InputError[] {
  const validate = schemaValidator('family-v1');
  if (validate(data)) return [];
  // One complaint per value: `family: ""` breaks both minLength and pattern, say only the first.
  const seen = new Set<string>();
  const errors: InputError[] = [];
  for (const e of validate.errors ?? []) {
    const perValue = e.keyword !== 'required' && e.keyword !== 'additionalProperties';
    if (perValue && seen.has(e.instancePath)) continue;
    if (perValue) seen.add(e.instancePath);
    errors.push(toInputError(source, e));
  }
  return errors;
}

function parsePointer(pointer: string, source: YamlSource): DataPath {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  for (const raw of pointer.slice(1).split('/')) {
    const step = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    // Sequence indexes become numbers so the printed path reads `nodes[1]`.
    path.push(isSeq(nodeAt(source, path).value) && /^\d+$/.test(step) ? Number(step) : step);
  }
  return path;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a sequence';
  if (value === null || value === undefined || value === '') return 'an empty value';
  if (typeof value === 'object') return 'a mapping';
  return clip(`${JSON.stringify(value)}`);
}

function yamlType(type: unknown): string {
  switch (type) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a sequence';
    case 'string':
      return 'a string';
    case 'integer':
      return 'an integer';
    default:
      return String(type);
  }
}

function toInputError(source: YamlSource, e: ErrorObject): InputError {
  const path = parsePointer(e.instancePath, source);
  const where = formatPath(path);
  const prefix = where ? `${where}: ` : '';
  const at = nodeAt(source, path);
  const valueSpan = at.value ? spanOfNode(source, at.value) : spanOfRoot(source);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': {
      const missing = String(params.missingProperty);
      return new InputError(
        'missing-key',
        `${prefix}missing required key \`${missing}\``,
        toErrorPosition(valueSpan),
      );
    }
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const keyNode = nodeAt(source, [...path, extra]).key;
      const span = keyNode ? spanOfNode(source, keyNode) : valueSpan;
      const props = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return new InputError(
        'unknown-key',
        `${formatPath([...path, extra])}: unknown key \`${clip(extra)}\``,
        {
          ...toErrorPosition(span),
          expected: `one of ${props.map((p) => `\`${p}\``).join(', ')}`,
        },
      );
    }
    case 'type':
      return new InputError(
        'wrong-type',
        `${prefix}must be ${yamlType(params.type)}, not ${describe(e.data)}`,
        {
          ...toErrorPosition(valueSpan),
        },
      );
    case 'const': {
      const allowed = JSON.stringify(params.allowedValue);
      // `redproof: '1'` is a string: say that the quotes are the problem.
      const quoted = typeof e.data === 'string' && e.data === String(params.allowedValue);
      return new InputError('invalid-value', `${prefix}must be ${allowed}, not ${describe(e.data)}`, {
        ...toErrorPosition(valueSpan),
        ...(quoted && { expected: `\`${allowed}\` without quotes` }),
      });
    }
    case 'pattern': {
      const pattern = String(params.pattern);
      return new InputError(
        'invalid-value',
        `${prefix}must match ${PATTERN_TEXT[pattern] ?? pattern} (${clip(JSON.stringify(e.data) ?? '')})`,
        toErrorPosition(valueSpan),
      );
    }
    case 'minLength':
      return new InputError('invalid-value', `${prefix}must not be empty`, toErrorPosition(valueSpan));
    case 'minItems': {
      const limit = Number(params.limit);
      const text = limit === 1 ? 'must list at least one item' : `must list at least ${limit} items`;
      return new InputError('invalid-value', `${prefix}${text}`, toErrorPosition(valueSpan));
    }
    default:
      return new InputError(
        'invalid-value',
        `${prefix}${e.message ?? 'is invalid'}`,
        toErrorPosition(valueSpan),
      );
  }
}
