/**
 * The YAML side of manifest loading: parsing with positions, finding the node behind a data path, and
 * turning offsets into Spans. Pure: works on the text only.
 * @internal
 */
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node } from 'yaml';
import type { Span } from '../model/index.js';
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';
import { InputError } from './errors.js';
import { parseDocumentGuarded } from './yaml-guard.js';

/** A parsed YAML file and what is needed to point into it. */
export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** A path into the data: map keys and sequence indexes, as in ajv's instancePath. */
export type DataPath = readonly (string | number)[];

/**
 * Parses one YAML document. Every scalar is read as a string (the failsafe schema), so `alias: 2024`
 * and `- 389` keep their text as written; callers convert the few numeric fields. Duplicate keys, tabs
 * used as indentation and other syntax problems come back as errors with positions.
 */
export function parseYaml(text: string, file: string): { source: YamlSource; errors: InputError[] } {
  const lines = new LineCounter();
  const doc = parseDocumentGuarded(text, {
    lineCounter: lines,
    schema: 'failsafe',
    prettyErrors: false,
    uniqueKeys: true,
  });
  const source: YamlSource = { file, doc, lines };
  // A mangled file can hold tens of thousands of syntax errors; past the first ones each only costs
  // time (an error object per error), and nobody reads them.
  const errors = doc.errors.slice(0, MAX_YAML_ERRORS).map(
    (e) =>
      new InputError('yaml-syntax', `${yamlMessage(e.code, e.message)}`, {
        ...toErrorPosition(spanOfRange(source, e.pos[0], Math.max(e.pos[0], e.pos[1]))),
      }),
  );
  if (doc.errors.length > MAX_YAML_ERRORS) {
    errors.push(
      new InputError('yaml-syntax', `${doc.errors.length - MAX_YAML_ERRORS} more YAML errors not listed`, {
        file,
      }),
    );
  }
  return { source, errors };
}

/** Syntax errors reported per file. */
const MAX_YAML_ERRORS = 100;

function yamlMessage(code: string, message: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'duplicate key (each key may appear once in a mapping)';
    case 'TAB_AS_INDENT':
      return 'tab used for indentation (YAML indents with spaces only)';
    case 'MULTIPLE_DOCS':
      return 'more than one YAML document (a manifest is a single document)';
    default:
      return `invalid YAML: ${clip(message.replace(/\.$/, ''), CLIP_TEXT_LENGTH)}`;
  }
}

/** Span from `start` to `end` offsets (end exclusive, so endColumn is the column after the last character). */
export function spanOfRange(source: YamlSource, start: number, end: number): Span {
  const a = source.lines.linePos(start);
  const b = source.lines.linePos(end);
  // linePos returns line 0 when the text has no newline at all.
  return {
    file: source.file,
    line: Math.max(1, a.line),
    column: a.col,
    endLine: Math.max(1, b.line),
    endColumn: b.col,
  };
}

/** Span of a node's own text (for a scalar: the value with its quotes; for a collection: all of it). */
export function spanOfNode(source: YamlSource, node: Node): Span {
  const range = node.range;
  if (!range) return { file: source.file, line: 1, column: 1 };
  return spanOfRange(source, range[0], range[1]);
}

/** Span of a whole document's contents, or 1:1 for an empty document. */
export function spanOfRoot(source: YamlSource): Span {
  const contents = source.doc.contents;
  return contents ? spanOfNode(source, contents) : { file: source.file, line: 1, column: 1 };
}

/** The InputError position options for a span. */
export function toErrorPosition(span: Span): {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
} {
  return {
    file: span.file,
    line: span.line,
    column: span.column,
    ...(span.endLine !== undefined && { endLine: span.endLine }),
    ...(span.endColumn !== undefined && { endColumn: span.endColumn }),
  };
}

function resolve(source: YamlSource, node: unknown): Node | undefined {
  if (isAlias(node)) return node.resolve(source.doc);
  return node as Node | undefined;
}

/**
 * The value node at `path` and, when the last step is a map key, the key node; undefined parts when the
 * path leaves the document. YAML aliases are followed, so a path through `*x` lands on the anchor.
 */
export function nodeAt(source: YamlSource, path: DataPath): { value?: Node; key?: Node } {
  let current = resolve(source, source.doc.contents ?? undefined);
  let key: Node | undefined;
  for (const step of path) {
    key = undefined;
    if (isMap(current)) {
      const pair = current.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return {};
      key = pair.key as Node;
      current = resolve(source, pair.value ?? undefined);
      // `key:` with nothing after it: point at the key.
      if (current === undefined) return { key, value: key };
    } else if (isSeq(current)) {
      current = resolve(source, current.items[Number(step)]);
    } else {
      return {};
    }
    if (current === undefined) return {};
  }
  return key === undefined ? (current ? { value: current } : {}) : { value: current ?? key, key };
}

/** True when the node at `path` is a plain (unquoted) scalar. */
export function isPlainScalarAt(source: YamlSource, path: DataPath): boolean {
  const { value } = nodeAt(source, path);
  return isScalar(value) && value.type === 'PLAIN';
}

/** `nodes[1].alias` style text for a data path; empty for the root. */
export function formatPath(path: DataPath): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(step)) out += out ? `.${clip(step)}` : clip(step);
    else out += `[${clip(JSON.stringify(step))}]`;
  }
  return out;
}
