import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Document as YamlDocument,
  type Node as YamlNode,
} from 'yaml';
import type { Span } from '../../model/index.js';
import { CLIP_TEXT_LENGTH, clip } from '../../util/clip.js';
import { parseDocumentGuarded } from '../yaml-guard.js';

/**
 * A libcyaml-like schema. Every scalar is kept as its source string (libcyaml sees libyaml's
 * scalar text, never a YAML 1.1/1.2 typed value); the kinds only validate it the way libcyaml does.
 */
export type Schema =
  | { kind: 'string' }
  /** CYAML_INT: `strtoll(value, &end, 0)` must consume at least one character. */
  | { kind: 'int' }
  /** CYAML_UINT: as int, but negative values are invalid. */
  | { kind: 'uint' }
  /** CYAML_BOOL: `false`/`no`/`disable`/`0` (any case) are false, anything else is true. */
  | { kind: 'bool' }
  /** CYAML_ENUM: one of `values`; non-strict enums also take an integer (libcyaml falls back to int). */
  | { kind: 'enum'; values: readonly string[]; caseSensitive?: boolean; strict?: boolean }
  | { kind: 'map'; fields: Readonly<Record<string, Field>> }
  | { kind: 'seq'; item: Schema };

export interface Field {
  schema: Schema;
  required?: boolean;
  /** Accepted and dropped (legacy keys such as `config.maxage`). */
  ignored?: boolean;
  /** Accepted with a warning (legacy keys such as `relocations`). */
  legacy?: string;
}

/** A loaded value: strings for scalars (enums canonicalized), objects and arrays otherwise. */
export type Loaded = string | LoadedMap | Loaded[];
export interface LoadedMap {
  [key: string]: Loaded;
}

/** One problem in a file, with its position. */
/** Kind of schema issue, stable across wording changes (used in fingerprints). */
export type SchemaIssueCode =
  | 'syntax'
  | 'empty'
  | 'unknown-key'
  | 'duplicate-key'
  | 'missing-key'
  | 'bad-key'
  | 'wrong-type'
  | 'bad-value'
  | 'legacy-key';

export interface SchemaIssue {
  code: SchemaIssueCode;
  /** Dotted path of the offending value, e.g. `config.share_net` or `exports[2].mode`. */
  path: string;
  message: string;
  /** What red-pak expects there. */
  expected: string;
  location: Span;
}

export interface LoadResult {
  value?: LoadedMap;
  errors: SchemaIssue[];
  warnings: SchemaIssue[];
  /** Span of every loaded key/value by dotted path (`headers.alias`, `config.capabilities[0]`). */
  locations: Map<string, Span>;
}

const FALSE_STRINGS = ['false', 'no', 'disable', '0'];

/** `strtoll(s, &end, 0)` consumed at least one digit: leading blanks, sign, 0x/0 prefixes. */
function parsesAsInteger(s: string, allowNegative: boolean): boolean {
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s);
  if (m === null) return false;
  return allowNegative || m[1] !== '-' || /^0[xX]?0*$/.test(m[2] ?? '');
}

/** libcyaml's bool reading. */
export function cyamlBool(s: string): boolean {
  return !FALSE_STRINGS.includes(s.toLowerCase());
}

/** Load `text` against `top` like `cyaml_load_data` with CYAML_FLAG_CASE_INSENSITIVE keys. */
export function loadWithSchema(text: string, file: string, top: Field): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocumentGuarded(text, {
    schema: 'failsafe',
    lineCounter,
    uniqueKeys: false,
    prettyErrors: false,
  });
  const errors: SchemaIssue[] = [];
  const warnings: SchemaIssue[] = [];
  const locations = new Map<string, Span>();
  const spanAt = (offset: number, end?: number): Span => {
    const a = lineCounter.linePos(offset);
    const s: Span = { file, line: a.line, column: a.col };
    if (end !== undefined && end > offset) {
      const b = lineCounter.linePos(end);
      s.endLine = b.line;
      s.endColumn = b.col;
    }
    return s;
  };
  for (const e of doc.errors) {
    errors.push({
      code: 'syntax',
      path: '',
      message: `YAML syntax error: ${clip(e.message.split('\n')[0] ?? e.code, CLIP_TEXT_LENGTH)}`,
      expected: 'well-formed YAML (libyaml)',
      location: spanAt(e.pos[0], e.pos[1]),
    });
  }
  if (errors.length > 0) return { errors, warnings, locations };
  const ctx: Ctx = { doc, errors, warnings, locations, spanAt };
  if (doc.contents === null) {
    errors.push({
      code: 'empty',
      path: '',
      message: 'file is empty',
      expected: 'a mapping at the top level',
      location: spanAt(0),
    });
    return { errors, warnings, locations };
  }
  const value = loadNode(ctx, doc.contents as YamlNode, top.schema, '');
  const result: LoadResult = { errors, warnings, locations };
  if (errors.length === 0 && value !== undefined && typeof value === 'object' && !Array.isArray(value)) {
    result.value = value;
  }
  return result;
}

interface Ctx {
  doc: YamlDocument;
  errors: SchemaIssue[];
  warnings: SchemaIssue[];
  locations: Map<string, Span>;
  spanAt: (offset: number, end?: number) => Span;
}

function spanOf(ctx: Ctx, node: YamlNode | null | undefined): Span {
  const r = node?.range;
  return r ? ctx.spanAt(r[0], r[1]) : ctx.spanAt(0);
}

function describe(node: YamlNode): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a sequence';
  return 'a scalar';
}

function expectedOf(schema: Schema): string {
  switch (schema.kind) {
    case 'string':
      return 'a string';
    case 'int':
      return 'an integer';
    case 'uint':
      return 'an unsigned integer';
    case 'bool':
      return 'a boolean (`false`/`no`/`disable`/`0` mean false)';
    case 'enum':
      return `one of ${schema.values.map((v) => `\`${v}\``).join(', ')}${schema.caseSensitive ? ' (case-sensitive)' : ''}`;
    case 'map':
      return `a mapping with keys ${Object.keys(schema.fields)
        .filter((k) => !schema.fields[k]?.ignored)
        .map((k) => `\`${k}\``)
        .join(', ')}`;
    case 'seq':
      return 'a sequence';
  }
}

function loadNode(ctx: Ctx, raw: YamlNode, schema: Schema, path: string): Loaded | undefined {
  const node = isAlias(raw) ? (raw.resolve(ctx.doc) as YamlNode | undefined) : raw;
  if (node === undefined) {
    ctx.errors.push({
      code: 'syntax',
      path,
      message: 'unresolved alias',
      expected: expectedOf(schema),
      location: spanOf(ctx, raw),
    });
    return undefined;
  }
  ctx.locations.set(path, spanOf(ctx, node));
  const fail = (message: string, code: SchemaIssueCode = 'bad-value'): undefined => {
    ctx.errors.push({ code, path, message, expected: expectedOf(schema), location: spanOf(ctx, node) });
    return undefined;
  };
  if (schema.kind === 'map') {
    if (!isMap(node)) return fail(`\`${path || '(top)'}\` is ${describe(node)}`, 'wrong-type');
    const out: LoadedMap = {};
    const seen = new Map<string, string>();
    const lowerFields = new Map(
      Object.entries(schema.fields).map(([k, f]) => [k.toLowerCase(), [k, f] as const]),
    );
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const keyText = keyNode !== null && isScalar(keyNode) ? String(keyNode.value) : undefined;
      const keySpan = spanOf(ctx, keyNode ?? node);
      if (keyText === undefined) {
        ctx.errors.push({
          code: 'bad-key',
          path,
          message: 'mapping key is not a scalar',
          expected: expectedOf(schema),
          location: keySpan,
        });
        continue;
      }
      const entry = lowerFields.get(keyText.toLowerCase());
      const childPath = path === '' ? keyText : `${path}.${keyText}`;
      if (entry === undefined) {
        ctx.errors.push({
          code: 'unknown-key',
          path: childPath,
          message: `unknown key \`${clip(childPath)}\``,
          expected: expectedOf(schema),
          location: keySpan,
        });
        continue;
      }
      const [canonical, field] = entry;
      const canonicalPath = path === '' ? canonical : `${path}.${canonical}`;
      const first = seen.get(canonical);
      if (first !== undefined) {
        ctx.errors.push({
          code: 'duplicate-key',
          path: canonicalPath,
          message: `key \`${clip(canonicalPath)}\` appears twice (first as \`${clip(first)}\`)`,
          expected: 'each key once (keys are case-insensitive)',
          location: keySpan,
        });
        continue;
      }
      seen.set(canonical, keyText);
      ctx.locations.set(`${canonicalPath}#key`, keySpan);
      if (field.legacy !== undefined) {
        ctx.warnings.push({
          code: 'legacy-key',
          path: canonicalPath,
          message: field.legacy,
          expected: '',
          location: keySpan,
        });
      }
      if (field.ignored || field.legacy !== undefined) continue;
      const v = loadNode(ctx, pair.value as YamlNode, field.schema, canonicalPath);
      if (v !== undefined) out[canonical] = v;
    }
    for (const [k, f] of Object.entries(schema.fields)) {
      if (f.required && !seen.has(k)) {
        ctx.errors.push({
          code: 'missing-key',
          path: path === '' ? k : `${path}.${k}`,
          message: `mandatory key \`${clip(path === '' ? k : `${path}.${k}`)}\` is missing`,
          expected: `\`${k}\`: ${expectedOf(f.schema)}`,
          location: spanOf(ctx, node),
        });
      }
    }
    return out;
  }
  if (schema.kind === 'seq') {
    if (!isSeq(node)) return fail(`\`${path}\` is ${describe(node)}`, 'wrong-type');
    const out: Loaded[] = [];
    node.items.forEach((item, i) => {
      const v = loadNode(ctx, item as YamlNode, schema.item, `${path}[${i}]`);
      if (v !== undefined) out.push(v);
    });
    return out;
  }
  if (!isScalar(node)) return fail(`\`${path}\` is ${describe(node)}`, 'wrong-type');
  const text = String(node.value ?? '');
  switch (schema.kind) {
    case 'string':
      return text;
    case 'int':
    case 'uint':
      if (!parsesAsInteger(text, schema.kind === 'int'))
        return fail(`\`${path}\` is \`${clip(text)}\`, not ${expectedOf(schema)}`);
      return text;
    case 'bool':
      return text;
    case 'enum': {
      const match = schema.values.find((v) =>
        schema.caseSensitive ? v === text : v.toLowerCase() === text.toLowerCase(),
      );
      if (match !== undefined) return match;
      if (!schema.strict && parsesAsInteger(text, true)) return text;
      return fail(`\`${path}\` is \`${clip(text)}\`, not ${expectedOf(schema)}`);
    }
  }
}
