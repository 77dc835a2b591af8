import { HostError } from '../../host/host.js';
import { type ImageRoot, ImageRootError } from '../../host/image-root.js';
import { DEFAULT_LIMITS, formatSize } from '../../limits/limits.js';
import type { Finding, Span } from '../../model/index.js';
import { appendAll } from '../../util/append.js';
import { CLIP_TEXT_LENGTH, clip } from '../../util/clip.js';
import { InputError } from '../errors.js';
import { type LoadedMap, loadWithSchema, type SchemaIssue } from './cyaml.js';
import { redpakFinding } from './finding.js';
import { ALIAS_RE, CONFIG_SCHEMA, type NODE_STATES, STATUS_SCHEMA } from './schema.js';

export type NodeState = (typeof NODE_STATES)[number];

/** A non-fatal remark about an input file (legacy key, ignored setting, skipped symlink...). */
export interface LoadWarning {
  node: string;
  message: string;
  location?: Span;
}

/** `.rednode.yaml` content; scalars stay strings, as libcyaml reads them. */
export interface NodeStatus {
  file: string;
  realpath: string;
  info?: string;
  /** Milliseconds since the epoch, as written. */
  timestamp: string;
  state: NodeState;
  locations: ReadonlyMap<string, Span>;
}

export interface ExportEntry {
  mode: string;
  mount: string;
  /** Defaults to `mount` in red-pak when absent. */
  path?: string;
  info?: string;
  warn?: string;
}

export interface EnvironEntry {
  /** `Default` when absent. */
  mode: string;
  key: string;
  value?: string;
  info?: string;
  warn?: string;
}

export interface CapabilityEntry {
  cap: string;
  /** Integer as written (`0` drop, non-zero add). */
  add: string;
  info?: string;
  warn?: string;
}

/** `config:` section. Every scalar is the source string (`umask: 027` stays `"027"`); `$VARS` are not expanded. */
export interface NodeConfigTags {
  /** Scalar keys by their canonical (schema) name: `umask`, `share_net`, `die-with-parent`... */
  scalars: Record<string, string>;
  capabilities: CapabilityEntry[];
  cgroups: Record<string, Record<string, string>>;
}

/** One parsed `etc/redpak.yaml` or `etc/redpak-admin.yaml` (or legacy `redpack*.yaml`). */
export interface NodeConfig {
  /** Image-relative path of the file read. */
  file: string;
  kind: 'normal' | 'admin';
  /** Read from the pre-2.3.0 name `etc/redpack*.yaml`. */
  isLegacyName: boolean;
  headers: { alias: string; name?: string; info?: string };
  exports: ExportEntry[];
  environ: EnvironEntry[];
  config: NodeConfigTags;
  /** Spans by dotted path: `headers.alias`, `config.share_net`, `config.capabilities[1]`; `#key` suffix for the key. */
  locations: ReadonlyMap<string, Span>;
}

/** What was read from one node directory. */
export interface NodeFiles {
  status?: NodeStatus;
  config?: NodeConfig;
  adminConfig?: NodeConfig;
  findings: Finding[];
  warnings: LoadWarning[];
}

function rp010(node: string, file: string, issue: SchemaIssue): Finding {
  return redpakFinding('RP010', {
    node,
    subject: `${file}#${issue.path}#${issue.code}`,
    message: `\`${file}\` is invalid: ${clip(issue.message, CLIP_TEXT_LENGTH)}`,
    help: `Write ${clip(issue.expected, CLIP_TEXT_LENGTH)} there; red-pak refuses the whole file, so no command runs in \`${node}\` or below it`,
    location: issue.location,
  });
}

function str(m: LoadedMap, k: string): string | undefined {
  const v = m[k];
  return typeof v === 'string' ? v : undefined;
}

function maps(v: unknown): LoadedMap[] {
  return Array.isArray(v) ? v.filter((x): x is LoadedMap => typeof x === 'object' && !Array.isArray(x)) : [];
}

function assignOptional<T extends object>(target: T, m: LoadedMap, keys: readonly (keyof T & string)[]): T {
  for (const k of keys) {
    const v = str(m, k);
    if (v !== undefined) (target as Record<string, unknown>)[k] = v;
  }
  return target;
}

/** Parse `.rednode.yaml` text; invalid content gives RP010 findings and no status. */
export function parseStatusFile(
  text: string,
  file: string,
  node: string,
): { status?: NodeStatus; findings: Finding[] } {
  const r = loadWithSchema(text, file, STATUS_SCHEMA);
  const findings = r.errors.map((e) => rp010(node, file, e));
  if (r.value === undefined || findings.length > 0) return { findings };
  const v = r.value;
  const status: NodeStatus = {
    file,
    realpath: str(v, 'realpath') ?? '',
    timestamp: str(v, 'timestamp') ?? '',
    state: (str(v, 'state') ?? 'Unknown') as NodeState,
    locations: r.locations,
  };
  const info = str(v, 'info');
  if (info !== undefined) status.info = info;
  return { status, findings };
}

/** RP011 when the status is not `Enable`: redwrap and redmicrodnf refuse the whole family (FORMATS.md §3.4). */
export function checkNodeState(status: NodeStatus, node: string): Finding[] {
  if (status.state === 'Enable') return [];
  return [
    redpakFinding('RP011', {
      node,
      subject: status.state,
      message: `node \`${node}\` is in state \`${clip(status.state)}\`, so red-pak refuses to run or install in it and in every node below it`,
      help: 'Set `state: Enable` in `.rednode.yaml`, or delete the node if it is abandoned',
      location: status.locations.get('state') ?? { file: status.file, line: 1, column: 1 },
    }),
  ];
}

/** Parse a node config (`etc/redpak.yaml` or admin); invalid content gives RP010 findings and no config. */
export function parseConfigFile(
  text: string,
  file: string,
  node: string,
  kind: 'normal' | 'admin',
  isLegacyName = false,
): { config?: NodeConfig; findings: Finding[]; warnings: LoadWarning[] } {
  const r = loadWithSchema(text, file, CONFIG_SCHEMA);
  const findings = r.errors.map((e) => rp010(node, file, e));
  const warnings: LoadWarning[] = r.warnings.map((w) => ({ node, message: w.message, location: w.location }));
  if (r.value === undefined || findings.length > 0) return { findings, warnings };
  const v = r.value;
  const headersMap = (v.headers ?? {}) as LoadedMap;
  const headers = assignOptional(
    { alias: str(headersMap, 'alias') ?? '' } as NodeConfig['headers'],
    headersMap,
    ['name', 'info'],
  );
  const exports = maps(v.exports).map((e) =>
    assignOptional({ mode: str(e, 'mode') ?? '', mount: str(e, 'mount') ?? '' } as ExportEntry, e, [
      'path',
      'info',
      'warn',
    ]),
  );
  const environ = maps(v.environ).map((e) =>
    assignOptional({ mode: str(e, 'mode') ?? 'Default', key: str(e, 'key') ?? '' } as EnvironEntry, e, [
      'value',
      'info',
      'warn',
    ]),
  );
  const tags = (v.config ?? {}) as LoadedMap;
  const config: NodeConfigTags = { scalars: {}, capabilities: [], cgroups: {} };
  for (const [k, val] of Object.entries(tags)) {
    if (typeof val === 'string') config.scalars[k] = val;
  }
  config.capabilities = maps(tags.capabilities).map((c) =>
    assignOptional({ cap: str(c, 'cap') ?? '', add: str(c, 'add') ?? '' } as CapabilityEntry, c, [
      'info',
      'warn',
    ]),
  );
  const cg = tags.cgroups;
  if (cg !== undefined && typeof cg === 'object' && !Array.isArray(cg)) {
    for (const [ctrl, vals] of Object.entries(cg)) {
      if (typeof vals !== 'object' || Array.isArray(vals)) continue;
      config.cgroups[ctrl] = Object.fromEntries(
        Object.entries(vals).filter((e): e is [string, string] => typeof e[1] === 'string'),
      );
    }
  }
  const cfg: NodeConfig = {
    file,
    kind,
    isLegacyName,
    headers,
    exports,
    environ,
    config,
    locations: r.locations,
  };
  if (!ALIAS_RE.test(headers.alias)) {
    findings.push(
      redpakFinding('RP012', {
        node,
        subject: `${kind}:${headers.alias}`,
        message: `alias \`${clip(headers.alias)}\` of node \`${node}\` has characters outside \`[A-Za-z0-9+-_@:]\``,
        help: 'Rename the alias with letters, digits and `+ - _ @ :` only; red-pak rejects the whole scan otherwise',
        location: r.locations.get('headers.alias') ?? { file, line: 1, column: 1 },
      }),
    );
  }
  return { config: cfg, findings, warnings };
}

/** Text of a regular file, `undefined` when absent, or the reason it cannot be resolved (symlink loop, file in the way). */
async function readIfFile(
  image: ImageRoot,
  path: string,
): Promise<{ text: string; path: string } | { error: string } | undefined> {
  let r: Awaited<ReturnType<ImageRoot['resolve']>>;
  try {
    r = await image.resolve(path);
  } catch (err) {
    if (err instanceof ImageRootError) return { error: err.message };
    throw err;
  }
  if (r.stat?.type !== 'file') return undefined;
  const limit = (image.host.limits ?? DEFAULT_LIMITS).configSize;
  if (r.stat.size > limit) {
    throw new InputError(
      'config-too-large',
      `${formatSize(r.stat.size)} is over the limit of ${formatSize(limit)} for a red-pak node file (--limit config-size)`,
      { file: path, expected: 'a red-pak node file as redconf writes it (a few KiB)' },
    );
  }
  try {
    return { text: await image.readText(r.path, { maxBytes: limit }), path };
  } catch (err) {
    if (!(err instanceof HostError)) throw err;
    const why = err.code === 'EACCES' ? 'permission denied' : err.message.replace(/^reading `[^`]*`: /, '');
    throw new InputError('unreadable', `cannot read: ${why}`, {
      file: path,
      expected: 'a readable red-pak node file (run as a user who can read the whole image)',
      cause: err,
    });
  }
}

function unreadable(node: string, file: string, error: string): Finding {
  return redpakFinding('RP010', {
    node,
    subject: `${file}#unreadable`,
    message: `\`${file}\` cannot be read: ${clip(error, CLIP_TEXT_LENGTH)}`,
    help: 'Fix the symlink so it points to a regular file inside the image',
    location: { file, line: 1, column: 1 },
  });
}

/**
 * Read `.rednode.yaml`, `etc/redpak.yaml` (else legacy `etc/redpack.yaml`) and the optional admin
 * config of the node at image path `nodePath`. Never expands `$VARS` nor runs `$(...)`/Execfd.
 */
export async function loadNodeFiles(image: ImageRoot, nodePath: string): Promise<NodeFiles> {
  const out: NodeFiles = { findings: [], warnings: [] };
  const node = nodePath;
  const statusFile = `${nodePath}/.rednode.yaml`;
  const st = await readIfFile(image, statusFile);
  if (st !== undefined && 'error' in st) {
    out.findings.push(unreadable(node, statusFile, st.error));
  } else if (st === undefined) {
    out.findings.push(
      redpakFinding('RP010', {
        node,
        subject: `${statusFile}#missing`,
        message: `\`${statusFile}\` is missing or not a regular file`,
        help: 'Recreate the node status file (`redconf create -u`), or remove the directory from the node list',
        location: { file: statusFile, line: 1, column: 1 },
      }),
    );
  } else {
    const s = parseStatusFile(st.text, statusFile, node);
    appendAll(out.findings, s.findings);
    if (s.status !== undefined) {
      out.status = s.status;
      appendAll(out.findings, checkNodeState(s.status, node));
    }
  }
  for (const kind of ['normal', 'admin'] as const) {
    const base = kind === 'normal' ? 'etc/redpak.yaml' : 'etc/redpak-admin.yaml';
    const legacy = kind === 'normal' ? 'etc/redpack.yaml' : 'etc/redpack-admin.yaml';
    let f = await readIfFile(image, `${nodePath}/${base}`);
    let isLegacy = false;
    if (f === undefined) {
      f = await readIfFile(image, `${nodePath}/${legacy}`);
      isLegacy = f !== undefined;
    }
    if (f !== undefined && 'error' in f) {
      out.findings.push(unreadable(node, `${nodePath}/${isLegacy ? legacy : base}`, f.error));
      continue;
    }
    if (f === undefined) {
      if (kind === 'normal') {
        const file = `${nodePath}/${base}`;
        out.findings.push(
          redpakFinding('RP010', {
            node,
            subject: `${file}#missing`,
            message: `\`${file}\` is missing (and so is the legacy \`${legacy}\`)`,
            help: 'Restore the node config (`redconf create -u` re-applies the template); red-pak cannot load the node without it',
            location: { file, line: 1, column: 1 },
          }),
        );
      }
      continue;
    }
    const c = parseConfigFile(f.text, f.path, node, kind, isLegacy);
    appendAll(out.findings, c.findings);
    appendAll(out.warnings, c.warnings);
    if (c.config !== undefined) {
      if (kind === 'normal') out.config = c.config;
      else out.adminConfig = c.config;
    }
  }
  return out;
}
