/** Reads a lockfile back: YAML with positions, numbers and booleans restored, checked against lock-v1. */
import { InputError } from '../../load/errors.js';
import {
  type DataPath,
  nodeAt,
  parseYaml,
  spanOfNode,
  spanOfRoot,
  toErrorPosition,
  type YamlSource,
} from '../../load/manifest-yaml.js';
import { schemaValidator } from '../../load/schema-validators.js';
import { toJsGuarded } from '../../load/yaml-guard.js';
import type { Span } from '../../model/finding.js';
import { clip } from '../../util/clip.js';
import type { Lockfile } from './lockfile.js';

export interface ParsedLock {
  lock: Lockfile;
  /** Where a value of the lock is written. */
  spanAt(path: DataPath): Span;
}

type Rec = Record<string, unknown>;

export function parseLock(text: string, file: string): ParsedLock {
  const { source, errors } = parseYaml(text, file);
  if (errors.length) throw errors[0]!;
  let data: unknown;
  try {
    data = toJsGuarded(source.doc, { maxAliasCount: 100 });
  } catch (cause) {
    // an alias bomb, or a structure too deep for the yaml library
    throw new InputError('yaml-syntax', `invalid YAML: ${clip((cause as Error).message)}`, {
      ...toErrorPosition(spanOfRoot(source)),
      expected: 'a lockfile written by `redproof lock` (schema/lock-v1.schema.json)',
      cause,
    });
  }
  restoreTypes(data);
  const validate = schemaValidator<Lockfile>('lock-v1');
  if (!validate(data)) {
    const e = validate.errors?.[0];
    const path = (e?.instancePath ?? '')
      .split('/')
      .slice(1)
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    throw new InputError(
      'lock-schema',
      `not a redproof lockfile: ${clip(e?.instancePath || '/')} ${e?.message}`,
      {
        ...toErrorPosition(spanAtPath(source, path)),
        expected: 'a lockfile written by `redproof lock` (schema/lock-v1.schema.json)',
      },
    );
  }
  return { lock: data, spanAt: (path) => spanAtPath(source, path) };
}

function spanAtPath(source: YamlSource, path: DataPath): Span {
  const node = nodeAt(source, path).value;
  return node ? spanOfNode(source, node) : spanOfRoot(source);
}

const NUMBERS = ['size', 'installedSize', 'buildTime'];
const BOOLEANS = ['weak-deps', 'best', 'hoist'];

function restoreTypes(data: unknown): void {
  if (typeof data !== 'object' || data === null) return;
  const r = data as Rec;
  if (r['redproof-lock'] === '1') r['redproof-lock'] = 1;
  const opts = (o: unknown) => {
    if (typeof o !== 'object' || o === null) return;
    for (const k of BOOLEANS) {
      const v = (o as Rec)[k];
      if (v === 'true' || v === 'false') (o as Rec)[k] = v === 'true';
    }
  };
  opts(r.options);
  if (!Array.isArray(r.nodes)) return;
  for (const n of r.nodes as Rec[]) {
    if (typeof n !== 'object' || n === null) continue;
    opts(n.options);
    if (!Array.isArray(n.packages)) continue;
    for (const p of n.packages as Rec[]) {
      if (typeof p !== 'object' || p === null) continue;
      for (const k of NUMBERS)
        if (typeof p[k] === 'string' && /^\d+$/.test(p[k] as string)) p[k] = Number(p[k]);
    }
  }
}
