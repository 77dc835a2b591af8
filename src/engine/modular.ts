/**
 * dnf's modular filtering: which repository packages dnf hides because of `modules.yaml` (repomd type
 * `modules`), so a lock over a modular repository (CentOS Stream / RHEL AppStream) picks what dnf picks.
 * Pure: takes the modules.yaml texts (already decompressed) and the candidate packages.
 *
 * API: `modularExcludes(docs, packages, options?) → { hidden, active, notes }`, where `docs` are the
 * texts or their `parseModulesYaml` (parse once, use for every layer; `modulesToBytes`/`modulesFromBytes`
 * keep a parse in a cache).
 *
 * What libdnf does (libdnf e4e9077, libdnf/dnf-sack.cpp `dnf_sack_filter_modules_v2` →
 * `ModulePackageContainer::resolveActiveModulePackages` / `Impl::moduleSolve` →
 * `setModuleExcludes` with `collectNevraForInclusionExclusion`):
 * - Candidate streams: those enabled, else the default stream of `modulemd-defaults` (`data.stream`).
 *   A module solvable is named `name:stream:context` (`ModulePackage.cpp` `setSovable`) and the solve
 *   activates every module of an installed *name* (`goal2name_query`): so all versions of the chosen
 *   context are active. Here the context is the one of the stream's highest version (libsolv's best)
 *   among those whose `requires` are met: `platform` is taken as met (no platform module is known
 *   offline) and other module requires must name an active stream, or one enabled by them.
 * - Hidden: (1) packages whose strict NEVRA (epoch always written) is an artifact of a non-active
 *   module; (2) packages whose name is the name of a binary artifact of an active module (names in
 *   `demodularized.rpms` excepted), and those providing such a name (`options.whatProvides`); (3)
 *   source packages named as source artifacts of active modules. An artifact of an active module is
 *   never hidden (the include set). Only ids in `packages` are hidden.
 * - libdnf keeps @System, @commandline and `module_hotfixes` repositories out of the filter: pass only
 *   the packages of the other repositories.
 * So with no default or enabled stream (CentOS Stream 9 ships defaults without streams), every modular
 * artifact is hidden and the non-modular package of the same name is what dnf installs.
 * Not modelled: module obsoletes (`modulemd-obsoletes`, off by default), persisted states in
 * /etc/dnf/modules.d, module profiles (`@module:stream/profile` installs).
 */
import { InputError } from '../load/errors.js';
import { parseAllDocumentsGuarded, toJsGuarded } from '../load/yaml-guard.js';
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';

export interface ModularPackage {
  id: number;
  name: string;
  /** `[epoch:]version-release`. */
  evr: string;
  arch: string;
  /** For messages only. */
  nevra?: string;
}

export interface ModularOptions {
  /** `name:stream` to enable (as `dnf module enable`), or `name` for its default stream. */
  enable?: string[];
  /** Module names to disable (as `dnf module disable`): no stream of them is active. */
  disable?: string[];
  /** Names of `docs`, for errors (default `modules.yaml #i`). */
  files?: string[];
  /**
   * Ids of the packages providing `name` (any version), e.g. `pool.whatProvides(name)`: libdnf also
   * hides those (`excludeProvidesQuery`). Without it only same-named packages are hidden.
   */
  whatProvides?: (name: string) => readonly number[];
}

export interface ActiveStream {
  module: string;
  stream: string;
  context: string;
  /** Versions of that context, highest first. */
  versions: string[];
  why: 'enabled' | 'default' | 'required';
}

export interface ModularResult {
  hidden: Set<number>;
  active: ActiveStream[];
  notes: string[];
}

/** One modulemd document, as far as modular filtering reads it. Plain data (cached as JSON). */
export interface Module {
  name: string;
  stream: string;
  version: string;
  context: string;
  arch: string;
  artifacts: string[];
  demodularized: string[];
  /** Alternatives of `dependencies[].requires`: module name → streams (`-s` excludes s). */
  requires: Record<string, string[]>[];
}

/** The modules.yaml documents of the repositories, parsed: modules and default streams. */
export interface ParsedModules {
  modules: Module[];
  /** module name → its default stream (modulemd-defaults). */
  defaults: Map<string, string>;
}

/** The texts of modules.yaml files, or their parse (`parseModulesYaml`) made once for many uses. */
export type ModulesInput = readonly string[] | ParsedModules;

function parsedOf(input: ModulesInput, files: readonly string[] | undefined): ParsedModules {
  return 'modules' in input ? input : parseModulesYaml(input, files);
}

/** Reads modulemd v2 and modulemd-defaults v1 documents; other document kinds are skipped. */
export function parseModulesYaml(docs: readonly string[], files: readonly string[] = []): ParsedModules {
  const modules: Module[] = [];
  const defaults = new Map<string, string>();
  docs.forEach((text, i) => {
    const file = files[i] ?? `modules.yaml #${i + 1}`;
    for (const doc of parseAllDocumentsGuarded(text, { schema: 'failsafe', uniqueKeys: false })) {
      const err = doc.errors[0];
      if (err) {
        throw new InputError('modules-yaml', clip(err.message.split('\n')[0]!, CLIP_TEXT_LENGTH), {
          file,
          ...(err.linePos && { line: err.linePos[0].line, column: err.linePos[0].col }),
          expected: 'modulemd YAML documents as in repomd type `modules`',
        });
      }
      let d: Record<string, unknown> | null;
      try {
        d = toJsGuarded(doc, { maxAliasCount: 100 }) as Record<string, unknown> | null;
      } catch (cause) {
        throw new InputError('modules-yaml', clip((cause as Error).message, CLIP_TEXT_LENGTH), {
          file,
          expected: 'modulemd YAML documents as in repomd type `modules`',
          cause,
        });
      }
      if (!d || typeof d !== 'object') continue;
      const data = (d.data ?? {}) as Record<string, unknown>;
      if (d.document === 'modulemd-defaults') {
        if (typeof data.module === 'string' && typeof data.stream === 'string') {
          defaults.set(data.module, data.stream);
        }
      } else if (d.document === 'modulemd') {
        if (d.version !== '2') {
          throw new InputError(
            'modules-version',
            `modulemd version ${clip(String(d.version))} is not supported`,
            {
              file,
              expected: 'modulemd version 2 (what repositories ship)',
            },
          );
        }
        modules.push(readModule(data, file));
      }
    }
  });
  return { modules, defaults };
}

function readModule(data: Record<string, unknown>, file: string): Module {
  const str = (x: unknown) => (typeof x === 'string' ? x : '');
  const name = str(data.name);
  const stream = str(data.stream);
  if (!name || !stream) {
    throw new InputError('modules-module', 'a modulemd document has no data.name or data.stream', {
      file,
      expected: 'data: {name, stream, version, context, arch, artifacts: {rpms: [...]}}',
    });
  }
  const list = (x: unknown) => (Array.isArray(x) ? x.filter((y): y is string => typeof y === 'string') : []);
  const deps = Array.isArray(data.dependencies) ? (data.dependencies as Record<string, unknown>[]) : [];
  const requires = deps.map((dep) => {
    const r = (dep?.requires ?? {}) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, list(v)]));
  });
  return {
    name,
    stream,
    version: str(data.version) || '0',
    context: str(data.context),
    arch: str(data.arch),
    artifacts: list((data.artifacts as Record<string, unknown> | undefined)?.rpms),
    demodularized: list((data.demodularized as Record<string, unknown> | undefined)?.rpms),
    requires,
  };
}

/** Packages dnf hides for these modules.yaml texts, and the streams it keeps active. */
export function modularExcludes(
  docs: ModulesInput,
  packages: readonly ModularPackage[],
  options: ModularOptions = {},
): ModularResult {
  const { modules, defaults } = parsedOf(docs, options.files);
  const notes: string[] = [];
  const byStream = new Map<string, Module[]>();
  for (const m of modules) {
    const k = `${m.name}:${m.stream}`;
    byStream.set(k, [...(byStream.get(k) ?? []), m]);
  }
  const disabled = new Set(options.disable ?? []);
  const wanted = new Map<string, { stream: string; why: ActiveStream['why'] }>();
  for (const spec of options.enable ?? []) {
    const [name, given] = spec.split(':');
    const stream = given ?? defaults.get(name!);
    const streams = [...byStream.keys()]
      .filter((k) => k.startsWith(`${name}:`))
      .map((k) => k.slice(name!.length + 1));
    if (!stream || !byStream.has(`${name}:${stream}`)) {
      throw new InputError('module-stream', `no module stream \`${clip(spec)}\` in the repositories`, {
        expected: streams.length
          ? `one of ${streams.map((s) => `\`${clip(`${name}:${s}`)}\``).join(', ')}`
          : `a module of the repositories' modules.yaml, not \`${clip(name ?? '')}\``,
      });
    }
    wanted.set(name!, { stream, why: 'enabled' });
  }
  for (const [name, stream] of defaults) {
    if (wanted.has(name) || disabled.has(name)) continue;
    if (byStream.has(`${name}:${stream}`)) wanted.set(name, { stream, why: 'default' });
    else notes.push(`default stream ${name}:${stream} has no module in the repositories`);
  }
  for (const name of disabled) wanted.delete(name);

  const active = activate(wanted, byStream, disabled, notes);
  const activeModules = modules.filter((m) =>
    active.some((a) => a.module === m.name && a.stream === m.stream && a.context === m.context),
  );
  const include = new Set<string>();
  const exclude = new Set<string>();
  const names = new Set<string>();
  const srcNames = new Set<string>();
  for (const m of modules) {
    const on = activeModules.includes(m);
    for (const a of m.artifacts) {
      const n = parseNevra(a);
      if (!n) {
        notes.push(`artifact \`${a}\` of ${m.name}:${m.stream} is not a NEVRA; ignored`);
        continue;
      }
      (on ? include : exclude).add(n.key);
      if (!on || m.demodularized.includes(n.name)) continue;
      (n.arch === 'src' || n.arch === 'nosrc' ? srcNames : names).add(n.name);
    }
  }
  const providers = new Set<number>();
  if (options.whatProvides)
    for (const n of names) for (const id of options.whatProvides(n)) providers.add(id);
  const hidden = new Set<number>();
  for (const p of packages) {
    const key = nevraKey(p.name, p.evr, p.arch);
    if (include.has(key)) continue;
    const source = p.arch === 'src' || p.arch === 'nosrc';
    if (exclude.has(key) || names.has(p.name) || providers.has(p.id) || (source && srcNames.has(p.name))) {
      hidden.add(p.id);
    }
  }
  return { hidden, active, notes };
}

/**
 * The module streams whose artifacts `ids` are (strict NEVRA match): `name:stream` per package id. A
 * package that is an artifact of several streams of one module is left out (which one dnf enabled
 * cannot be told from the package).
 */
export function artifactStreams(
  docs: ModulesInput,
  packages: readonly ModularPackage[],
  files: readonly string[] = [],
): Map<number, string> {
  const { modules } = parsedOf(docs, files);
  const byKey = new Map<string, Set<string>>();
  for (const m of modules) {
    for (const a of m.artifacts) {
      const n = parseNevra(a);
      if (!n) continue;
      const set = byKey.get(n.key) ?? new Set<string>();
      set.add(`${m.name}:${m.stream}`);
      byKey.set(n.key, set);
    }
  }
  const out = new Map<number, string>();
  for (const p of packages) {
    const streams = byKey.get(nevraKey(p.name, p.evr, p.arch));
    if (streams?.size === 1) out.set(p.id, [...streams][0]!);
  }
  return out;
}

/** The module streams of modules.yaml and the default stream of each module that has one. */
export function moduleStreams(
  docs: ModulesInput,
  files: readonly string[] = [],
): { streams: Map<string, string[]>; defaults: Map<string, string> } {
  const { modules, defaults } = parsedOf(docs, files);
  const streams = new Map<string, string[]>();
  for (const m of modules) {
    const list = streams.get(m.name) ?? [];
    if (!list.includes(m.stream)) list.push(m.stream);
    streams.set(m.name, list);
  }
  for (const list of streams.values()) list.sort();
  return { streams, defaults };
}

function activate(
  wanted: Map<string, { stream: string; why: ActiveStream['why'] }>,
  byStream: Map<string, Module[]>,
  disabled: Set<string>,
  notes: string[],
): ActiveStream[] {
  const chosen = new Map<string, ActiveStream>();
  const queue = [...wanted.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 0; i < queue.length; i++) {
    const [name, { stream, why }] = queue[i]!;
    if (chosen.has(name)) continue;
    const candidates = [...(byStream.get(`${name}:${stream}`) ?? [])].sort((a, b) =>
      cmpVersion(b.version, a.version),
    );
    const ok = candidates.find((m) => requiresMet(m, wanted, chosen, byStream, disabled));
    if (!ok) {
      notes.push(`module ${name}:${stream} has no context whose requires can be met; not active`);
      continue;
    }
    const versions = candidates.filter((m) => m.context === ok.context).map((m) => m.version);
    chosen.set(name, { module: name, stream, context: ok.context, versions, why });
    for (const alt of ok.requires.slice(0, 1)) {
      for (const [dep, streams] of Object.entries(alt)) {
        if (dep === 'platform' || wanted.has(dep) || chosen.has(dep)) continue;
        const s = streams.find((x) => !x.startsWith('-') && byStream.has(`${dep}:${x}`));
        if (s) {
          wanted.set(dep, { stream: s, why: 'required' });
          queue.push([dep, { stream: s, why: 'required' }]);
        }
      }
    }
  }
  return [...chosen.values()].sort((a, b) => (a.module < b.module ? -1 : a.module > b.module ? 1 : 0));
}

/** True when one `requires` alternative of `m` is met (platform always; others by a wanted stream). */
function requiresMet(
  m: Module,
  wanted: Map<string, { stream: string }>,
  chosen: Map<string, ActiveStream>,
  byStream: Map<string, Module[]>,
  disabled: Set<string>,
): boolean {
  if (m.requires.length === 0) return true;
  return m.requires.some((alt) =>
    Object.entries(alt).every(([dep, streams]) => {
      if (dep === 'platform') return true;
      if (disabled.has(dep)) return false;
      const have = chosen.get(dep)?.stream ?? wanted.get(dep)?.stream;
      const plus = streams.filter((s) => !s.startsWith('-'));
      const minus = streams.filter((s) => s.startsWith('-')).map((s) => s.slice(1));
      if (have !== undefined) return (plus.length === 0 || plus.includes(have)) && !minus.includes(have);
      return [...byStream.keys()].some((k) => {
        const [n, s] = k.split(':');
        return n === dep && (plus.length === 0 || plus.includes(s!)) && !minus.includes(s!);
      });
    }),
  );
}

function cmpVersion(a: string, b: string): number {
  const x = /^\d+$/.test(a) ? BigInt(a) : 0n;
  const y = /^\d+$/.test(b) ? BigInt(b) : 0n;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `name-[epoch:]version-release.arch` split; `key` always carries the epoch (HY_PKG_NEVRA_STRICT). */
export function parseNevra(s: string): { name: string; arch: string; key: string } | undefined {
  const m = /^(.+)-(?:(\d+):)?([^-:]+)-([^-:]+)\.([^.]+)$/.exec(s);
  if (!m) return undefined;
  const [, name, epoch, version, release, arch] = m;
  return { name: name!, arch: arch!, key: `${name}-${epoch ?? '0'}:${version}-${release}.${arch}` };
}

function nevraKey(name: string, evr: string, arch: string): string {
  return `${name}-${evr.includes(':') ? evr : `0:${evr}`}.${arch}`;
}

/** Bumped whenever `Module` or the parse changes: a cached parse of another format is parsed again. */
const MODULES_CACHE_FORMAT = 1;

/** A parse as cache bytes (JSON, deterministic: the order of the documents). */
export function modulesToBytes(p: ParsedModules): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({ format: MODULES_CACHE_FORMAT, modules: p.modules, defaults: [...p.defaults] }),
  );
}

/** The parse kept by `modulesToBytes`, or undefined when the bytes are not one (then parse again). */
export function modulesFromBytes(bytes: Uint8Array): ParsedModules | undefined {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  const o = v as { format?: unknown; modules?: unknown; defaults?: unknown };
  if (!o || o.format !== MODULES_CACHE_FORMAT || !Array.isArray(o.modules) || !Array.isArray(o.defaults))
    return undefined;
  const strs = (x: unknown) => Array.isArray(x) && x.every((y) => typeof y === 'string');
  const modules = o.modules as Module[];
  const ok = modules.every(
    (m) =>
      m &&
      typeof m.name === 'string' &&
      typeof m.stream === 'string' &&
      typeof m.version === 'string' &&
      typeof m.context === 'string' &&
      typeof m.arch === 'string' &&
      strs(m.artifacts) &&
      strs(m.demodularized) &&
      Array.isArray(m.requires) &&
      m.requires.every((r) => r && typeof r === 'object' && Object.values(r).every(strs)),
  );
  const pairs = o.defaults as unknown[];
  if (!ok || !pairs.every((d) => strs(d) && (d as string[]).length === 2)) return undefined;
  return { modules, defaults: new Map(pairs as [string, string][]) };
}
