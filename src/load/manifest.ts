/**
 * The family manifest (`redproof: 1`): a YAML file naming the repositories, the host layer and the node
 * tree of one red-pak family. `parseManifest` is pure; docs/manifest.md is the format reference.
 */
import { isScalar } from 'yaml';
import type { Span } from '../model/index.js';
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';
import { combineInputErrors, InputError } from './errors.js';
import { checkManifestData } from './manifest-check.js';
import { parseNevra } from './manifest-nevra.js';
import { SUPPORTED_VERSIONS } from './manifest-schema.js';
import { validateManifestData } from './manifest-validate.js';
import {
  type DataPath,
  nodeAt,
  parseYaml,
  spanOfNode,
  spanOfRoot,
  toErrorPosition,
  type YamlSource,
} from './manifest-yaml.js';
import { toJsGuarded } from './yaml-guard.js';

export type { Nevra } from './manifest-nevra.js';
export { formatNevra, parseNevra, RPM_ARCHES, TARGET_ARCHES } from './manifest-nevra.js';

/** One package entry of a node or of the host, as written, classified as NEVRA or plain name. */
export interface Entry {
  /** The entry exactly as written (for messages). */
  text: string;
  span: Span;
  kind: 'nevra' | 'name';
  /** For a plain name, the whole text. */
  name: string;
  /** Only for a NEVRA that spells an epoch. */
  epoch?: number;
  version?: string;
  release?: string;
  arch?: string;
}

/** A repository of the manifest. */
export interface ManifestRepo {
  id: string;
  /** As written: relative to the manifest's directory unless absolute. */
  path: string;
  /** Span of the `id` value. */
  span: Span;
}

/** An install request or exclude glob, as written. */
export interface Request {
  text: string;
  span: Span;
}

/** Resolution options (`weak-deps`, `best`), each undefined when not written at that level. */
export interface ResolveOptions {
  weakDeps?: boolean;
  best?: boolean;
}

/**
 * Module streams of one level (`modules:` family-wide, under `host` or under a node), as written: what
 * `dnf module enable` (`name:stream` or `name`) and `dnf module disable` (`name`) take.
 */
export interface ManifestModules {
  enable: Request[];
  disable: Request[];
}

/** `hoist:` of the manifest (family-wide): whether `lock` hoists, and the package patterns never hoisted. */
export interface FamilyHoist {
  enabled?: boolean;
  never: Request[];
}

/** `hoist:` of the host or of a node: isolation (`receive: false`) and its own packages never hoisted. */
export interface LayerHoist {
  receive?: boolean;
  never: Request[];
}

/** The host layer: the image's own rpm database. */
export interface ManifestHost {
  packages: Entry[];
  /** Install requests (`install:`), resolved by `redproof lock`. */
  install: Request[];
  exclude: Request[];
  /** `kickstart:` as written (relative to the manifest), with the span of its value. */
  kickstart?: Request;
  options: ResolveOptions;
  modules?: ManifestModules;
  hoist?: LayerHoist;
  /** Span of the `host` key. */
  span: Span;
}

/** A node of the family. */
export interface ManifestNode {
  alias: string;
  /** `host` or another node's alias. */
  parent: string;
  packages: Entry[];
  install: Request[];
  exclude: Request[];
  options: ResolveOptions;
  modules?: ManifestModules;
  hoist?: LayerHoist;
  /** Span of the `alias` value. */
  span: Span;
}

/** A valid manifest, format version 1. */
export interface Manifest {
  file: string;
  family: string;
  arch: string;
  repos: ManifestRepo[];
  host?: ManifestHost;
  /** In the order written. */
  nodes: ManifestNode[];
  /** Family-wide excludes and options. */
  exclude: Request[];
  options: ResolveOptions;
  /** Family-wide module streams. */
  modules?: ManifestModules;
  hoist?: FamilyHoist;
}

/** True when the manifest asks for resolution: install requests or a kickstart anywhere. */
export function hasRequests(manifest: Manifest): boolean {
  return (
    (manifest.host?.install.length ?? 0) > 0 ||
    manifest.host?.kickstart !== undefined ||
    manifest.nodes.some((n) => n.install.length > 0)
  );
}

/** The parent name of a node that sits directly on the host. */
export const HOST = 'host';

type Rec = Record<string, unknown>;

/**
 * Parses and validates a manifest. Pure: `file` is only used in spans and messages.
 * Throws an InputError; when there are several problems it is an InputErrors whose `errors` lists
 * every problem sorted by position (syntax errors alone if the YAML itself is broken).
 */
export function parseManifest(text: string, file: string): Manifest {
  // Editors do not count a byte-order mark as a column; neither do we.
  const { source, errors: syntaxErrors } = parseYaml(text.startsWith('\uFEFF') ? text.slice(1) : text, file);
  if (syntaxErrors.length > 0) throw combineInputErrors(syntaxErrors);
  if (source.doc.contents === null) {
    throw new InputError('empty-manifest', 'the manifest is empty', {
      file,
      line: 1,
      column: 1,
      expected: 'a mapping with `redproof: 1`, `family`, `arch` and `repos`',
    });
  }
  const data = toData(source);
  const versionError = checkVersion(source, data);
  if (versionError) throw versionError;
  coerceBooleans(source, data);
  const errors = [...validateManifestData(source, data), ...checkManifestData(source, data)];
  if (errors.length > 0) throw combineInputErrors(errors);
  return build(source, data as Rec);
}

/**
 * Turns a plain-scalar `redproof` into a number in `data`, and fails on a version this build does not
 * read. A future version may change any key, so that error comes alone.
 */
function checkVersion(source: YamlSource, data: unknown): InputError | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const rec = data as Rec;
  const node = nodeAt(source, ['redproof']).value;
  if (typeof rec.redproof !== 'string' || !isScalar(node) || node.type !== 'PLAIN') return undefined;
  if (!/^[0-9]+$/.test(rec.redproof)) return undefined;
  const version = Number(rec.redproof);
  rec.redproof = version;
  if (SUPPORTED_VERSIONS.includes(version)) return undefined;
  return new InputError('unsupported-version', `redproof: unsupported manifest format version ${version}`, {
    ...toErrorPosition(spanOfNode(source, node)),
    expected: `${SUPPORTED_VERSIONS.length === 1 ? 'version' : 'one of versions'} ${SUPPORTED_VERSIONS.join(', ')} (this redproof reads no other)`,
  });
}

const BOOLEAN_KEYS = ['weak-deps', 'best', 'enabled', 'receive'];

/** The YAML is read as strings: a plain `true`/`false` of an option becomes a boolean in `data`. */
function coerceBooleans(source: YamlSource, data: unknown): void {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return;
  const fix = (rec: unknown, path: DataPath) => {
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) return;
    const r = rec as Rec;
    for (const key of BOOLEAN_KEYS) {
      const node = nodeAt(source, [...path, key]).value;
      if (!isScalar(node) || node.type !== 'PLAIN') continue;
      if (r[key] === 'true') r[key] = true;
      else if (r[key] === 'false') r[key] = false;
    }
  };
  const rec = data as Rec;
  fix(rec, []);
  fix(rec.host, ['host']);
  fix(rec.hoist, ['hoist']);
  if (typeof rec.host === 'object' && rec.host !== null) fix((rec.host as Rec).hoist, ['host', 'hoist']);
  if (Array.isArray(rec.nodes))
    rec.nodes.forEach((n, i) => {
      fix(n, ['nodes', i]);
      if (typeof n === 'object' && n !== null) fix((n as Rec).hoist, ['nodes', i, 'hoist']);
    });
}

function build(source: YamlSource, data: Rec): Manifest {
  const spanAt = (path: DataPath): Span => {
    const node = nodeAt(source, path).value;
    return node ? spanOfNode(source, node) : spanOfRoot(source);
  };
  const entries = (list: unknown, path: DataPath): Entry[] =>
    ((list as string[] | undefined) ?? []).map((text, i) => toEntry(text, spanAt([...path, i])));
  const requests = (list: unknown, path: DataPath): Request[] =>
    ((list as string[] | undefined) ?? []).map((text, i) => ({ text, span: spanAt([...path, i]) }));
  const options = (rec: Rec): ResolveOptions => ({
    ...(typeof rec['weak-deps'] === 'boolean' && { weakDeps: rec['weak-deps'] }),
    ...(typeof rec.best === 'boolean' && { best: rec.best }),
  });
  const modules = (rec: Rec, path: DataPath): { modules?: ManifestModules } => {
    const m = rec.modules as Rec | undefined;
    if (m === undefined) return {};
    return {
      modules: {
        enable: requests(m.enable, [...path, 'modules', 'enable']),
        disable: requests(m.disable, [...path, 'modules', 'disable']),
      },
    };
  };
  const layerHoist = (rec: Rec, path: DataPath): { hoist?: LayerHoist } => {
    const h = rec.hoist as Rec | undefined;
    if (h === undefined) return {};
    return {
      hoist: {
        ...(typeof h.receive === 'boolean' && { receive: h.receive }),
        never: requests(h.never, [...path, 'hoist', 'never']),
      },
    };
  };

  const repos = (data.repos as Rec[]).map((r, i) => ({
    id: String(r.id),
    path: String(r.path),
    span: spanAt(['repos', i, 'id']),
  }));
  const nodes = ((data.nodes as Rec[] | undefined) ?? []).map((n, i) => ({
    alias: String(n.alias),
    parent: typeof n.parent === 'string' ? n.parent : HOST,
    packages: entries(n.packages, ['nodes', i, 'packages']),
    install: requests(n.install, ['nodes', i, 'install']),
    exclude: requests(n.exclude, ['nodes', i, 'exclude']),
    options: options(n),
    ...modules(n, ['nodes', i]),
    ...layerHoist(n, ['nodes', i]),
    span: spanAt(['nodes', i, 'alias']),
  }));
  const manifest: Manifest = {
    file: source.file,
    family: String(data.family),
    arch: String(data.arch),
    repos,
    nodes,
    exclude: requests(data.exclude, ['exclude']),
    options: options(data),
    ...modules(data, []),
  };
  if (data.hoist !== undefined) {
    const h = data.hoist as Rec;
    manifest.hoist = {
      ...(typeof h.enabled === 'boolean' && { enabled: h.enabled }),
      never: requests(h.never, ['hoist', 'never']),
    };
  }
  if (data.host !== undefined) {
    const hostKey = nodeAt(source, ['host']).key;
    const h = data.host as Rec;
    manifest.host = {
      packages: entries(h.packages, ['host', 'packages']),
      install: requests(h.install, ['host', 'install']),
      exclude: requests(h.exclude, ['host', 'exclude']),
      ...(typeof h.kickstart === 'string' && {
        kickstart: { text: h.kickstart, span: spanAt(['host', 'kickstart']) },
      }),
      options: options(h),
      ...modules(h, ['host']),
      ...layerHoist(h, ['host']),
      span: hostKey ? spanOfNode(source, hostKey) : spanAt(['host']),
    };
  }
  return manifest;
}

/** Classifies one entry text (see docs/manifest.md for the NEVRA-versus-name rule). */
export function toEntry(text: string, span: Span): Entry {
  const nevra = parseNevra(text);
  if (!nevra) return { text, span, kind: 'name', name: text };
  return { text, span, kind: 'nevra', ...nevra };
}

/**
 * The nodes with every parent before its children. Deterministic: declaration order wherever that
 * already puts parents first, otherwise each node right after its (moved-up) parent chain.
 * Throws Error on a parent cycle or unknown parent (impossible for a parsed manifest).
 */
export function nodeOrder(manifest: Manifest): ManifestNode[] {
  const byAlias = new Map(manifest.nodes.map((n) => [n.alias, n]));
  const done = new Set<string>();
  const active = new Set<string>();
  const out: ManifestNode[] = [];
  const visit = (node: ManifestNode): void => {
    if (done.has(node.alias)) return;
    if (active.has(node.alias)) throw new Error(`parent cycle through node \`${node.alias}\``);
    active.add(node.alias);
    if (node.parent !== HOST) {
      const parent = byAlias.get(node.parent);
      if (!parent) throw new Error(`node \`${node.alias}\` has unknown parent \`${node.parent}\``);
      visit(parent);
    }
    active.delete(node.alias);
    done.add(node.alias);
    out.push(node);
  };
  for (const node of manifest.nodes) visit(node);
  return out;
}

/**
 * The ancestors of node `alias`, nearest first, always ending with `host`; `[]` for `host` itself.
 * Throws Error for an alias that is not in the manifest.
 */
export function ancestors(manifest: Manifest, alias: string): string[] {
  if (alias === HOST) return [];
  const byAlias = new Map(manifest.nodes.map((n) => [n.alias, n]));
  let node = byAlias.get(alias);
  if (!node) throw new Error(`no node \`${alias}\` in manifest ${manifest.file}`);
  const out: string[] = [];
  while (node.parent !== HOST) {
    if (out.includes(node.parent) || node.parent === alias)
      throw new Error(`parent cycle through node \`${alias}\``);
    out.push(node.parent);
    const next = byAlias.get(node.parent);
    if (!next) throw new Error(`node \`${node.alias}\` has unknown parent \`${node.parent}\``);
    node = next;
  }
  out.push(HOST);
  return out;
}

function toData(source: YamlSource): unknown {
  try {
    return toJsGuarded(source.doc, { maxAliasCount: 100 });
  } catch (cause) {
    // yaml refuses alias bombs ("Excessive alias count ...").
    throw new InputError('yaml-syntax', `invalid YAML: ${clip((cause as Error).message, CLIP_TEXT_LENGTH)}`, {
      ...toErrorPosition(spanOfRoot(source)),
      cause,
    });
  }
}
