/**
 * Checks of a manifest that a JSON Schema cannot express: unique aliases and repo ids, known parents,
 * no parent cycle, the reserved alias `host`, a non-empty family, known arches and well-formed entries.
 * Runs on the raw data even when the schema failed, skipping values of the wrong shape, so one pass
 * reports every problem.
 * @internal
 */
import type { Span } from '../model/index.js';
import { clip } from '../util/clip.js';
import { InputError } from './errors.js';
import { entryNameProblem, parseNevra, RPM_ARCHES, TARGET_ARCHES } from './manifest-nevra.js';
import { ALIAS_PATTERN, ARCH_PATTERN, ENTRY_PATTERN } from './manifest-schema.js';
import {
  type DataPath,
  formatPath,
  nodeAt,
  spanOfNode,
  spanOfRoot,
  toErrorPosition,
  type YamlSource,
} from './manifest-yaml.js';

type Rec = Record<string, unknown>;

const aliasRe = new RegExp(ALIAS_PATTERN);
const archRe = new RegExp(ARCH_PATTERN);
const entryRe = new RegExp(ENTRY_PATTERN);

function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every semantic problem of `data`, in no particular order. */
export function checkManifestData(source: YamlSource, data: unknown): InputError[] {
  if (!isRec(data)) return [];
  const errors: InputError[] = [];
  const spanAt = (path: DataPath): Span => {
    const node = nodeAt(source, path).value;
    return node ? spanOfNode(source, node) : spanOfRoot(source);
  };
  const fail = (kind: string, path: DataPath, reason: string, expected?: string): void => {
    errors.push(
      new InputError(kind, `${formatPath(path)}: ${reason}`, {
        ...toErrorPosition(spanAt(path)),
        ...(expected !== undefined && { expected }),
      }),
    );
  };
  const where = (path: DataPath): string => {
    const s = spanAt(path);
    return `${s.line}:${s.column}`;
  };

  // arch
  const arch = data.arch;
  if (typeof arch === 'string' && archRe.test(arch) && !TARGET_ARCHES.has(arch)) {
    if (RPM_ARCHES.has(arch)) {
      fail(
        'unknown-arch',
        ['arch'],
        `\`${clip(arch)}\` is not a target arch`,
        'the arch of the image, e.g. x86_64 or aarch64',
      );
    } else {
      fail(
        'unknown-arch',
        ['arch'],
        `unknown arch \`${clip(arch)}\``,
        'an rpm arch such as x86_64, aarch64, armv7hl, ppc64le, s390x or riscv64',
      );
    }
  }

  // repos: unique ids
  if (Array.isArray(data.repos)) {
    const firstRepo = new Map<string, number>();
    data.repos.forEach((repo, i) => {
      if (!isRec(repo) || typeof repo.id !== 'string') return;
      const first = firstRepo.get(repo.id);
      if (first === undefined) firstRepo.set(repo.id, i);
      else
        fail(
          'duplicate-repo-id',
          ['repos', i, 'id'],
          `duplicate repository id \`${clip(repo.id)}\` (first at ${where(['repos', first, 'id'])})`,
          'a unique id per repository',
        );
    });
  }

  // host entries
  if (isRec(data.host)) checkEntries(data.host.packages, ['host', 'packages'], fail);

  // module streams: one stream per module and level, never enabled and disabled at once
  checkModules(data.modules, [], fail);
  if (isRec(data.host)) checkModules(data.host.modules, ['host'], fail);
  if (Array.isArray(data.nodes))
    data.nodes.forEach((n, i) => {
      if (isRec(n)) checkModules(n.modules, ['nodes', i], fail);
    });

  // nodes
  const nodes = Array.isArray(data.nodes) ? data.nodes : undefined;
  const firstAlias = new Map<string, number>();
  const parentOf = new Map<number, number>();
  const aliasOf = new Map<number, string>();
  nodes?.forEach((node, i) => {
    if (!isRec(node)) return;
    checkEntries(node.packages, ['nodes', i, 'packages'], fail);
    const alias = node.alias;
    if (typeof alias !== 'string' || !aliasRe.test(alias)) return;
    if (alias === 'host') {
      fail(
        'reserved-alias',
        ['nodes', i, 'alias'],
        'alias `host` is reserved for the image rpm database',
        'another alias; write `parent: host` to put a node on the host',
      );
      return;
    }
    aliasOf.set(i, alias);
    const first = firstAlias.get(alias);
    if (first === undefined) firstAlias.set(alias, i);
    else
      fail(
        'duplicate-alias',
        ['nodes', i, 'alias'],
        `duplicate alias \`${clip(alias)}\` (first at ${where(['nodes', first, 'alias'])})`,
        'a unique alias per node',
      );
  });
  nodes?.forEach((node, i) => {
    if (!isRec(node) || typeof node.parent !== 'string' || !aliasRe.test(node.parent)) return;
    const parent = node.parent;
    if (parent === 'host') return;
    const p = firstAlias.get(parent);
    if (p === undefined) {
      const known = [...firstAlias.keys()];
      const close = closest(parent, known);
      fail(
        'unknown-parent',
        ['nodes', i, 'parent'],
        `unknown parent \`${clip(parent)}\`${close ? ` (did you mean \`${clip(close)}\`?)` : ''}`,
        `\`host\` or the alias of a node of this manifest${known.length ? ` (${listSome(known)})` : ''}`,
      );
    } else if (firstAlias.get(String(node.alias)) === i) {
      // Only a node's first declaration takes part in the tree; duplicates are reported above.
      parentOf.set(i, p);
    }
  });
  for (const cycle of findCycles(parentOf)) {
    const start = Math.min(...cycle);
    const names = cycle.slice(0, 20).map((i) => `\`${clip(aliasOf.get(i) ?? '?')}\``);
    const from = cycle.indexOf(start);
    const ordered = [...names.slice(from), ...names.slice(0, from)];
    fail(
      'parent-cycle',
      ['nodes', start, 'parent'],
      `parent cycle ${[...ordered, ordered[0]].join(' → ')}`,
      'a tree of nodes whose root has `parent: host`',
    );
  }

  // an empty family
  const noNodes = data.nodes === undefined || (Array.isArray(data.nodes) && data.nodes.length === 0);
  const host = data.host;
  const noHost =
    host === undefined ||
    (isRec(host) &&
      (host.packages === undefined || (Array.isArray(host.packages) && host.packages.length === 0)) &&
      (host.install === undefined || (Array.isArray(host.install) && host.install.length === 0)) &&
      host.kickstart === undefined);
  // Only said of a family that has a name: otherwise the schema errors already say enough.
  if (noNodes && noHost && typeof data.family === 'string' && data.family !== '') {
    errors.push(
      new InputError(
        'empty-family',
        `family \`${clip(data.family)}\` is empty: it has no nodes and no host packages`,
        {
          ...toErrorPosition(spanAt(['family'])),
          expected: 'at least one entry under `nodes` or `host.packages`',
        },
      ),
    );
  }
  return errors;
}

function checkEntries(
  list: unknown,
  path: DataPath,
  fail: (kind: string, path: DataPath, reason: string, expected?: string) => void,
): void {
  if (!Array.isArray(list)) return;
  list.forEach((entry, i) => {
    if (typeof entry !== 'string' || !entryRe.test(entry) || parseNevra(entry)) return;
    const problem = entryNameProblem(entry);
    if (problem) fail('invalid-package-entry', [...path, i], problem.reason, problem.expected);
  });
}

/** Each cycle of the parent graph once, as node indexes in parent order. */
function findCycles(parentOf: ReadonlyMap<number, number>): number[][] {
  const state = new Map<number, 'active' | 'done'>();
  const cycles: number[][] = [];
  for (const startNode of [...parentOf.keys()].sort((a, b) => a - b)) {
    const path: number[] = [];
    let current: number | undefined = startNode;
    while (current !== undefined && !state.has(current)) {
      state.set(current, 'active');
      path.push(current);
      current = parentOf.get(current);
    }
    if (current !== undefined && state.get(current) === 'active')
      cycles.push(path.slice(path.indexOf(current)));
    for (const i of path) state.set(i, 'done');
  }
  return cycles;
}

function listSome(items: readonly string[]): string {
  const shown = items.slice(0, 6).map((a) => `\`${clip(a)}\``);
  return items.length > 6 ? `${shown.join(', ')}, ...` : shown.join(', ');
}

/** The known alias within edit distance 2 of `word`, if exactly one is the nearest. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** dnf enables one stream of a module (`Cannot enable multiple streams`), and a module is enabled or disabled. */
function checkModules(
  modules: unknown,
  path: DataPath,
  fail: (kind: string, path: DataPath, reason: string, expected?: string) => void,
): void {
  if (!isRec(modules)) return;
  const seen = new Map<string, string>();
  const list = (key: 'enable' | 'disable') =>
    Array.isArray(modules[key]) ? (modules[key] as unknown[]) : [];
  list('enable').forEach((spec, i) => {
    if (typeof spec !== 'string') return;
    const name = spec.split(':')[0]!;
    const had = seen.get(name);
    if (had !== undefined)
      fail(
        'module-stream-twice',
        [...path, 'modules', 'enable', i],
        `module \`${name}\` is already enabled at this level (\`${had}\`)`,
        'one stream per module, as `dnf module enable` takes it',
      );
    else seen.set(name, spec);
  });
  list('disable').forEach((name, i) => {
    if (typeof name !== 'string') return;
    const had = seen.get(name);
    if (had !== undefined)
      fail(
        'module-enabled-and-disabled',
        [...path, 'modules', 'disable', i],
        `module \`${name}\` is both enabled (\`${had}\`) and disabled at this level`,
        'either `enable` or `disable` for a module',
      );
    else seen.set(name, `-${name}`);
  });
}
