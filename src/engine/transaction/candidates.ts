/**
 * Which repository packages dnf lets a layer pick: all of them minus what its modular filtering hides
 * (`modules.yaml`, src/engine/modular.ts) for the layer's module streams. One mechanism for every
 * command that turns a name or a request into a package: `lock` (install requests and `packages:`
 * names), `update-check` (the state's names, `--install`, `--upgrade`) and `check` (name entries), so
 * `nodejs` over CentOS Stream 9 is `nodejs-1:16.20.2` everywhere, as dnf installs it.
 *
 * The module streams of a layer (`layerStreams`), lowest precedence first:
 * 1. the streams whose artifacts the layer's own packages are, listed by NEVRA: dnf enabled them when it
 *    installed them (`Base.resolve` → `set_modules_enabled_by_pkgset`);
 * 2. the family's `modules:`; 3. for the host, the kickstart's `module` lines; 4. the layer's `modules:`.
 * A later level overrides what an earlier one set for the same module. A node's module state is its own
 * (red-pak installs into the node with `installroot = redpath`, so dnf keeps the node's module state
 * there: FORMATS.md §4.1): a node does not inherit its parent's streams.
 */
import { createHash } from 'node:crypto';
import type { Host } from '../../host/host.js';
import { combineInputErrors, InputError } from '../../load/errors.js';
import { type Entry, HOST, type Manifest, type ManifestModules } from '../../load/manifest.js';
import { decodeMetadata, readRepoMetadataBytes, type VerifiedMetadata } from '../../load/repo-metadata.js';
import type { RepoSpec, SolvCache } from '../../load/repository.js';
import type { Span } from '../../model/finding.js';
import { globMatch } from '../../policy/glob.js';
import type { PackageSummary, Pool } from '../../solver/index.js';
import {
  artifactStreams,
  modularExcludes,
  moduleStreams,
  modulesFromBytes,
  modulesToBytes,
  type ParsedModules,
  parseModulesYaml,
} from '../modular.js';
import type { EntryResolver } from '../resolve-entries.js';

/** The module streams of one layer, as `dnf module enable` / `dnf module disable` take them. */
export interface ModuleStreams {
  /** `name:stream`, or `name` for its default stream. */
  enable?: readonly string[];
  /** Module names. */
  disable?: readonly string[];
}

/** One level of module settings, as written (with a span when it comes from a file). */
export interface StreamLevel {
  enable?: readonly { text: string; span?: Span }[];
  disable?: readonly { text: string; span?: Span }[];
}

/** The modules.yaml of the repositories, with the file each came from (for errors). */
export interface ModularSource {
  files: string[];
  /** The texts; absent when `parsed` came from the cache. */
  docs?: string[];
  /** Their parse: from the cache, or made once on first use. */
  parsed?: ParsedModules;
}

/** Where a parse of modules.yaml is kept between runs (the `.solv` cache) and under which version. */
export interface ModularCache {
  cache?: SolvCache;
  cacheVersion?: string;
}

/**
 * The modules.yaml of every rpm-md directory repository; undefined when none has one. Each file is
 * verified against repomd.xml on every run; with a cache, the parse of these exact bytes is kept
 * (AppStream's modules.yaml is ≈ 0.1 s of YAML), so a warm run neither decompresses nor parses it.
 */
export async function readModularSource(
  host: Host,
  specs: readonly RepoSpec[],
  options: ModularCache = {},
): Promise<ModularSource | undefined> {
  const got: VerifiedMetadata[] = [];
  for (const s of specs) {
    const st = await host.stat(s.absPath).catch(() => undefined);
    if (st?.type !== 'dir') continue;
    const m = await readRepoMetadataBytes(host, s.absPath, ['modules'], s.path);
    if (m) got.push(m);
  }
  if (!got.length) return undefined;
  const files = got.map((g) => g.file);
  const { cache } = options;
  const key =
    cache &&
    createHash('sha256')
      .update(`${options.cacheVersion ?? ''}\0modules\0${got.map((g) => g.sha256).join(',')}`)
      .digest('hex');
  if (cache && key) {
    const hit = await cache.get(key).catch(() => undefined);
    const parsed = hit && modulesFromBytes(hit);
    if (parsed) return { files, parsed };
  }
  const source: ModularSource = { files, docs: got.map((g) => decodeMetadata(host, g)) };
  if (cache && key) {
    // parsed now to be kept; a malformed file is not cached, and its error is raised where it is used
    try {
      source.parsed = parseModulesYaml(source.docs!, files);
    } catch {
      return source;
    }
    await cache.put(key, modulesToBytes(source.parsed)).catch(() => {});
  }
  return source;
}

/**
 * Levels merged, lowest precedence first: a later level overrides what an earlier one set for the same
 * module (enabled with a stream, or disabled). Sorted, so equal settings give equal results.
 */
export function mergeStreams(levels: readonly (StreamLevel | ManifestModules | undefined)[]): ModuleStreams {
  const state = new Map<string, string | null>();
  for (const l of levels) {
    if (!l) continue;
    for (const e of l.enable ?? []) state.set(e.text.split(':')[0]!, e.text);
    for (const d of l.disable ?? []) state.set(d.text, null);
  }
  const enable: string[] = [];
  const disable: string[] = [];
  for (const [name, spec] of state) {
    if (spec === null) disable.push(name);
    else enable.push(spec);
  }
  return { enable: enable.sort(), disable: disable.sort() };
}

const NONE: ReadonlySet<number> = new Set();

/**
 * The packages hidden from a layer. Compute every set a run needs before any node transaction
 * restricts the pool (`hidden` asks the provider index, which a restricted view would narrow).
 */
export class CandidateView {
  readonly #pool: Pool;
  readonly #packages: readonly PackageSummary[];
  readonly #source: ModularSource | undefined;
  readonly #cache = new Map<string, ReadonlySet<number>>();
  #artifacts: Map<number, string> | undefined;
  #streams: ReturnType<typeof moduleStreams> | undefined;

  /** `packages`: the repository packages of the pool (not installed copies). */
  constructor(pool: Pool, packages: readonly PackageSummary[], source: ModularSource | undefined) {
    this.#pool = pool;
    this.#packages = packages;
    this.#source = source;
  }

  /** The parse of modules.yaml, made once for every layer and stream set. */
  #parsed(source: ModularSource): ParsedModules {
    source.parsed ??= parseModulesYaml(source.docs ?? [], source.files);
    return source.parsed;
  }

  /** True when a repository has modules.yaml. */
  get modular(): boolean {
    return this.#source !== undefined;
  }

  /**
   * The ids dnf hides with these streams (default streams only when none are given). Throws the
   * InputError of modularExcludes for a stream the repositories do not have (`check` says where).
   */
  hidden(streams: ModuleStreams = {}): ReadonlySet<number> {
    const enable = [...(streams.enable ?? [])].sort();
    const disable = [...(streams.disable ?? [])].sort();
    if (!this.#source) {
      if (enable.length) modularExcludes([], [], { enable }); // throws: no module stream in the repositories
      return NONE;
    }
    const key = `${enable.join(',')}\0${disable.join(',')}`;
    const had = this.#cache.get(key);
    if (had) return had;
    const got = modularExcludes(this.#parsed(this.#source), this.#packages, {
      files: this.#source.files,
      enable,
      disable,
      whatProvides: (n) => this.#pool.whatProvides(n),
    }).hidden;
    this.#cache.set(key, got);
    return got;
  }

  /** The streams whose artifacts these packages are (`enable` entries, sorted, each module once). */
  installedStreams(ids: readonly number[]): StreamLevel {
    if (!this.#source || !ids.length) return {};
    this.#artifacts ??= artifactStreams(this.#parsed(this.#source), this.#packages);
    const enable = new Map<string, string>();
    for (const id of ids) {
      const s = this.#artifacts.get(id);
      if (s) enable.set(s.split(':')[0]!, s);
    }
    return { enable: [...enable.values()].sort().map((text) => ({ text })) };
  }

  /** An InputError for every written module or stream the repositories' modules.yaml does not have. */
  check(levels: readonly (StreamLevel | ManifestModules | undefined)[]): InputError[] {
    const errors: InputError[] = [];
    const { streams, defaults } = this.#moduleStreams();
    const at = (span: Span | undefined) =>
      span && {
        file: span.file,
        line: span.line,
        column: span.column,
        endLine: span.endLine,
        endColumn: span.endColumn,
      };
    const known = (name: string) => {
      const list = streams.get(name);
      if (list) return `one of ${list.map((s) => `\`${name}:${s}\``).join(', ')}`;
      const names = [...streams.keys()].sort();
      return names.length
        ? `a module of the repositories' modules.yaml (${names.length} modules, e.g. ${names
            .slice(0, 5)
            .map((n) => `\`${n}\``)
            .join(', ')})`
        : 'a repository with modules.yaml (none of the repositories has module metadata)';
    };
    for (const l of levels) {
      for (const e of l?.enable ?? []) {
        const [name, stream] = e.text.split(':') as [string, string | undefined];
        const list = streams.get(name);
        if (list && stream !== undefined && list.includes(stream)) continue;
        if (list && stream === undefined && defaults.has(name)) continue;
        const reason = !list
          ? `no module \`${name}\` in the repositories`
          : stream === undefined
            ? `module \`${name}\` has no default stream: name the stream to enable`
            : `no stream \`${stream}\` of module \`${name}\` in the repositories`;
        errors.push(new InputError('module-stream', reason, { ...at(e.span), expected: known(name) }));
      }
      for (const d of l?.disable ?? []) {
        if (streams.has(d.text)) continue;
        errors.push(
          new InputError('module-stream', `no module \`${d.text}\` in the repositories`, {
            ...at(d.span),
            expected: known(d.text),
          }),
        );
      }
    }
    return errors;
  }

  #moduleStreams(): ReturnType<typeof moduleStreams> {
    this.#streams ??= this.#source
      ? moduleStreams(this.#parsed(this.#source))
      : { streams: new Map(), defaults: new Map() };
    return this.#streams;
  }
}

/**
 * The hidden set of each layer of a manifest (the host as `host`): the layer's streams are those of its
 * own modular NEVRA entries, then the family's `modules:`, then `hostExtra` (kickstart `module` lines)
 * for the host, then the layer's `modules:`. Throws, at once, the InputErrors of written streams the
 * repositories do not have. The sets are computed on first use (a lock lists only NEVRAs and needs
 * none): ask for each before any node transaction restricts the pool. `resolver` reads NEVRA entries.
 */
export function manifestHidden(
  view: CandidateView,
  manifest: Manifest,
  resolver: EntryResolver,
  hostExtra?: StreamLevel,
): (layer: string) => ReadonlySet<number> {
  const layers = new Map<string, { packages: readonly Entry[]; written: (StreamLevel | undefined)[] }>([
    [HOST, { packages: manifest.host?.packages ?? [], written: [hostExtra, manifest.host?.modules] }],
    ...manifest.nodes.map(
      (n) =>
        [n.alias, { packages: n.packages, written: [n.modules] }] as [
          string,
          { packages: readonly Entry[]; written: (StreamLevel | undefined)[] },
        ],
    ),
  ]);
  const errors = view.check([manifest.modules, ...[...layers.values()].flatMap((l) => l.written)]);
  if (errors.length) throw combineInputErrors(errors);
  const done = new Map<string, ReadonlySet<number>>();
  return (id) => {
    const had = done.get(id);
    if (had) return had;
    const l = layers.get(id);
    if (!l || !view.modular) return NONE;
    const own = l.packages
      .filter((e) => e.kind === 'nevra')
      .map((e) => resolver.resolve(e)?.id)
      .filter((x): x is number => x !== undefined);
    const got = view.hidden(mergeStreams([view.installedStreams(own), manifest.modules, ...l.written]));
    done.set(id, got);
    return got;
  };
}

/**
 * The resolution options of a layer as the manifest sets them: the layer's own, else the family's,
 * else dnf's defaults as EL ships them (`install_weak_deps=True`, `best=True`).
 */
export function layerOptions(manifest: Manifest, layer: string): { weakDeps: boolean; best: boolean } {
  const own =
    layer === HOST ? manifest.host?.options : manifest.nodes.find((n) => n.alias === layer)?.options;
  return {
    weakDeps: own?.weakDeps ?? manifest.options.weakDeps ?? true,
    best: own?.best ?? manifest.options.best ?? true,
  };
}

/** The exclude globs of a layer (dnf's `excludepkgs`): the family's, then the layer's own. */
export function layerExcludes(manifest: Manifest, layer: string): string[] {
  const own =
    layer === HOST ? manifest.host?.exclude : manifest.nodes.find((n) => n.alias === layer)?.exclude;
  return [...manifest.exclude, ...(own ?? [])].map((r) => r.text);
}

/** The ids of the packages an exclude glob matches, by name or NEVRA (as dnf's excludepkgs does). */
export function excludedBy(globs: readonly string[], packages: readonly PackageSummary[]): Set<number> {
  const out = new Set<number>();
  if (!globs.length) return out;
  for (const p of packages)
    if (globs.some((g) => globMatch(g, p.name) || globMatch(g, p.nevra))) out.add(p.id);
  return out;
}
