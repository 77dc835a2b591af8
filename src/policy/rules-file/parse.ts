/**
 * Reading a policy file (`redproof-policy: 1`): YAML with positions, the JSON Schema, then the checks a
 * schema cannot make (SPDX syntax, size units, red-pak config keys). Every problem is collected with its
 * file:line:column and thrown at once as InputError(s) (exit 3).
 */
import type { ErrorObject } from 'ajv';
import parseSpdx from 'spdx-expression-parse';
import { isScalar, LineCounter } from 'yaml';
import { combineInputErrors, InputError } from '../../load/errors.js';
import {
  type DataPath,
  formatPath,
  nodeAt,
  spanOfNode,
  spanOfRange,
  spanOfRoot,
  toErrorPosition,
  type YamlSource,
} from '../../load/manifest-yaml.js';
import { parseDocumentGuarded, toJsGuarded } from '../../load/yaml-guard.js';
import { CLIP_TEXT_LENGTH, clip } from '../../util/clip.js';
import { CONFIG_KEYS } from './config-keys.js';
import type { Policy, PolicyRule } from './model.js';
import { POLICY_V1_SCHEMA, SIZE_PATTERN } from './schema.js';
import { policyValidator } from './validator.js';

type Rec = Record<string, unknown>;

const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

const UNITS: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 };

/** Bytes of `123`, `1.5 GiB`, `200MiB`; undefined when the text is not a size. */
export function parseSize(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isInteger(text) && text >= 0 ? text : undefined;
  const m = new RegExp(SIZE_PATTERN).exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number.parseFloat(text) * (UNITS[m[2] ?? 'B'] ?? 1));
}

/** Parses and validates a policy file; throws InputError (one, or InputErrors with all of them). */
export function parsePolicy(text: string, file: string): Policy {
  const lines = new LineCounter();
  const doc = parseDocumentGuarded(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source: YamlSource = { file, doc, lines };
  const errors: InputError[] = doc.errors.map(
    (e) =>
      new InputError(
        'yaml-syntax',
        e.code === 'DUPLICATE_KEY'
          ? 'duplicate key'
          : `invalid YAML: ${clip(e.message.split('\n')[0] ?? '', CLIP_TEXT_LENGTH)}`,
        toErrorPosition(spanOfRange(source, e.pos[0], Math.max(e.pos[0], e.pos[1]))),
      ),
  );
  if (errors.length > 0) throw combineInputErrors(errors);
  let data: unknown;
  try {
    data = toJsGuarded(doc, { maxAliasCount: 100 });
  } catch (cause) {
    throw new InputError('yaml-syntax', `invalid YAML: ${clip((cause as Error).message, CLIP_TEXT_LENGTH)}`, {
      ...toErrorPosition(spanOfRoot(source)),
    });
  }
  const validate = policyValidator();
  if (!validate(data)) {
    const seen = new Set<string>();
    for (const e of validate.errors ?? []) {
      // One complaint per value (a wrong type also breaks minLength, pattern...).
      const perValue = e.keyword !== 'required' && e.keyword !== 'additionalProperties';
      if (perValue && seen.has(e.instancePath)) continue;
      if (perValue) seen.add(e.instancePath);
      errors.push(schemaError(source, e));
    }
  }
  // The checks beyond the schema run on every rule that is a mapping, so one run lists every problem.
  const list = isRec(data) && Array.isArray(data.rules) ? data.rules : [];
  const rules = list.flatMap((r, i) => (isRec(r) ? [toRule(source, r, i, errors)] : []));
  if (errors.length > 0) throw combineInputErrors(errors);
  return { file, rules };
}

function spanAt(source: YamlSource, path: DataPath) {
  const node = nodeAt(source, path).value;
  return node ? spanOfNode(source, node) : spanOfRoot(source);
}

function keySpan(source: YamlSource, path: DataPath) {
  const at = nodeAt(source, path);
  const node = at.key ?? at.value;
  return node ? spanOfNode(source, node) : spanOfRoot(source);
}

const CHECK_KEYS = [
  'allow-packages',
  'deny-packages',
  'allow-licenses',
  'deny-licenses',
  'max-installed-size',
  'require-packages',
  'deny-setuid',
  'require-signed',
  'signed-by',
  'deny-config',
];

function toRule(source: YamlSource, r: Rec, i: number, errors: InputError[]): PolicyRule {
  const at = (path: DataPath) => toErrorPosition(spanAt(source, ['rules', i, ...path]));
  const where = `rules[${i}]`;
  const keys: Record<string, ReturnType<typeof keySpan>> = {};
  for (const k of Object.keys(r)) keys[k] = keySpan(source, ['rules', i, k]);
  const rule: PolicyRule = {
    name: typeof r.name === 'string' ? r.name : where,
    nodes: isStrings(r.nodes) ? r.nodes : [],
    level: (r.level as PolicyRule['level'] | undefined) ?? 'error',
    location: spanAt(source, ['rules', i]),
    keys,
  };
  if (typeof r.description === 'string') rule.description = r.description;
  if (!CHECK_KEYS.some((k) => k in r)) {
    errors.push(
      new InputError('policy-empty-rule', `${where}: the rule checks nothing`, {
        ...at([]),
        expected: `one of ${CHECK_KEYS.map((k) => `\`${k}\``).join(', ')}`,
      }),
    );
  }
  if (isStrings(r['allow-packages'])) rule.allowPackages = r['allow-packages'];
  if (isStrings(r['deny-packages'])) rule.denyPackages = r['deny-packages'];
  if (isStrings(r['require-packages'])) rule.requirePackages = r['require-packages'];
  for (const [k, field] of [
    ['allow-licenses', 'allowLicenses'],
    ['deny-licenses', 'denyLicenses'],
  ] as const) {
    const v = r[k];
    if (typeof v === 'string' || isStrings(v)) rule[field] = licenseList(v, [i, k], source, errors);
  }
  const size = r['max-installed-size'];
  if (typeof size === 'string' || typeof size === 'number') {
    const bytes = parseSize(size);
    // A string that breaks the pattern is already reported by the schema.
    if (bytes === undefined && typeof size === 'number') {
      errors.push(
        new InputError('invalid-value', `${where}.max-installed-size: \`${String(size)}\` is not a size`, {
          ...at(['max-installed-size']),
          expected: 'bytes, or a number with B, KiB, MiB, GiB or TiB',
        }),
      );
    } else if (bytes !== undefined) rule.maxInstalledSize = { bytes, text: String(size) };
  }
  if (r['deny-setuid'] === true) rule.denySetuid = true;
  if (r['require-signed'] === true) rule.requireSigned = true;
  if (isStrings(r['signed-by'])) {
    // A pattern the schema rejects is already reported; a fingerprint stands for its key id.
    const ids = r['signed-by'].map(keyIdOf).filter((k): k is string => k !== undefined);
    if (ids.length === r['signed-by'].length) {
      rule.signedBy = ids;
      rule.requireSigned = true;
    }
  }
  const dc = r['deny-config'];
  if (isRec(dc)) {
    rule.denyConfig = [];
    for (const [key, raw] of Object.entries(dc)) {
      keys[`deny-config.${key}`] = keySpan(source, ['rules', i, 'deny-config', key]);
      if (!CONFIG_KEYS.includes(key)) {
        errors.push(
          new InputError('unknown-key', `${where}.deny-config: unknown red-pak config key \`${clip(key)}\``, {
            ...toErrorPosition(keys[`deny-config.${key}`]!),
            expected: 'a key of the `config:` section of etc/redpak.yaml (docs/policy.md)',
          }),
        );
        continue;
      }
      // The text as written (`umask: 027` stays `027`), so values compare with red-pak's own strings.
      const node = nodeAt(source, ['rules', i, 'deny-config', key]).value;
      const texts = Array.isArray(raw)
        ? raw.map((v, j) => scalarText(source, ['rules', i, 'deny-config', key, j], v))
        : [isScalar(node) && node.source !== undefined ? String(node.source) : String(raw)];
      rule.denyConfig.push({ key, values: texts });
    }
  }
  return rule;
}

function scalarText(source: YamlSource, path: DataPath, value: unknown): string {
  const node = nodeAt(source, path).value;
  return isScalar(node) && node.source !== undefined ? String(node.source) : String(value);
}

/** An allow/deny license list: a YAML list of SPDX ids, or one expression of ids joined by OR. */
function licenseList(
  v: string | string[],
  path: [number, string],
  source: YamlSource,
  errors: InputError[],
): string[] {
  const out: string[] = [];
  const items = typeof v === 'string' ? [v] : v;
  items.forEach((item, j) => {
    const p: DataPath = typeof v === 'string' ? ['rules', ...path] : ['rules', ...path, j];
    const fail = (why: string) =>
      errors.push(
        new InputError('invalid-license', `${formatPath(p)}: \`${clip(item)}\` ${why}`, {
          ...toErrorPosition(spanAt(source, p)),
          expected: 'SPDX license ids (https://spdx.org/licenses), e.g. `MIT`, `GPL-2.0-or-later`',
        }),
      );
    let tree: ReturnType<typeof parseSpdx>;
    try {
      tree = parseSpdx(item);
    } catch {
      fail('is not an SPDX license expression');
      return;
    }
    const leaves: string[] = [];
    const walk = (n: ReturnType<typeof parseSpdx>): boolean => {
      if ('license' in n) {
        leaves.push(`${n.license}${n.plus ? '+' : ''}${n.exception ? ` WITH ${n.exception}` : ''}`);
        return true;
      }
      return n.conjunction === 'or' && walk(n.left) && walk(n.right);
    };
    if (!walk(tree)) fail('uses AND: a list of licenses is joined with OR only');
    else out.push(...leaves);
  });
  return out;
}

const TYPE_TEXT: Record<string, string> = {
  array: 'a list',
  object: 'a mapping',
  string: 'a string',
  integer: 'a whole number',
  boolean: '`true` or `false`',
};

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null || value === undefined) return 'an empty value';
  if (typeof value === 'object') return 'a mapping';
  return clip(JSON.stringify(value));
}

function schemaError(source: YamlSource, e: ErrorObject): InputError {
  const path: (string | number)[] = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const where = formatPath(path);
  const prefix = where ? `${where}: ` : '';
  const pos = toErrorPosition(spanAt(source, path));
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return new InputError(
        'missing-key',
        `${prefix}missing required key \`${clip(String(params.missingProperty))}\``,
        pos,
      );
    case 'additionalProperties': {
      const extra = String(params.additionalProperty);
      const props = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return new InputError(
        'unknown-key',
        `${formatPath([...path, extra])}: unknown key \`${clip(extra)}\``,
        {
          ...toErrorPosition(keySpan(source, [...path, extra])),
          expected: `one of ${props.map((p) => `\`${p}\``).join(', ')}`,
        },
      );
    }
    case 'type':
      return new InputError(
        'wrong-type',
        `${prefix}must be ${String(params.type)
          .split(',')
          .map((t) => TYPE_TEXT[t] ?? t)
          .join(' or ')}, not ${describe(e.data)}`,
        pos,
      );
    case 'const':
      return new InputError(
        'invalid-value',
        `${prefix}must be ${JSON.stringify(params.allowedValue)}, not ${describe(e.data)}`,
        pos,
      );
    case 'enum':
      return new InputError(
        'invalid-value',
        `${prefix}must be one of ${(params.allowedValues as unknown[]).join(', ')}, not ${describe(e.data)}`,
        pos,
      );
    case 'pattern':
      // Two keys carry a pattern: max-installed-size and the items of signed-by.
      if (path.includes('signed-by')) {
        return new InputError(
          'invalid-value',
          `${prefix}\`${clip(String(e.data))}\` is not an OpenPGP key id`,
          {
            ...pos,
            expected: 'a long key id (16 hex digits) or a fingerprint (40 or 64 hex digits)',
          },
        );
      }
      return new InputError('invalid-value', `${prefix}\`${clip(String(e.data))}\` is not a size`, {
        ...pos,
        expected: 'bytes, or a number with B, KiB, MiB, GiB or TiB',
      });
    case 'minLength':
    case 'minItems':
    case 'minProperties':
      return new InputError('invalid-value', `${prefix}must not be empty`, pos);
    default:
      return new InputError('invalid-value', `${prefix}${e.message ?? 'is invalid'}`, pos);
  }
}

export { POLICY_V1_SCHEMA };

/**
 * The long key id a `signed-by` entry names: 16 hex digits as written (`0x` allowed), the low 64 bits
 * of a v4 fingerprint (40 digits) or the high 64 bits of a v6 one (64 digits).
 */
export function keyIdOf(text: string): string | undefined {
  const h = text.replace(/\s+/g, '').replace(/^0x/i, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(h)) return undefined;
  if (h.length === 16) return h;
  if (h.length === 40) return h.slice(24);
  if (h.length === 64) return h.slice(0, 16);
  return undefined;
}
