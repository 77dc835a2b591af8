import { HostError } from '../../host/host.js';
import { type ImageRoot, normalizeImagePath } from '../../host/image-root.js';
import type { Finding } from '../../model/index.js';
import { appendAll } from '../../util/append.js';
import { CLIP_TEXT_LENGTH, clip } from '../../util/clip.js';
import { type LoadWarning, loadNodeFiles, type NodeConfig, type NodeStatus } from './config.js';
import { checkDuplicateAliases, checkPrivileges } from './family-checks.js';

/** Default redroot inside the image (redpak-binding's `ROOT_REDPATH_DEFAULT`). */
export const DEFAULT_REDROOT = 'var/redpak';
/** The image's own rpm database: the bottom layer of every family (FORMATS.md §4.2). */
export const HOST_RPMDB_PATH = 'var/lib/rpm';

/** How the host rpmdb is attached to a family (FORMATS.md §3.3, §4.1 step 3, §4.2). */
export type AttachMode = 'system-node' | 'no-system-node';

/** One node of the discovered tree. Paths are canonical and relative to IMAGE_ROOT. */
export interface DiscoveredNode {
  /** e.g. `var/redpak/platform/nav`. */
  path: string;
  /** `headers.alias`, or the directory name when the config could not be read. */
  alias: string;
  /** Nearest node above (non-node directories skipped), or `host` for a top node. */
  parentPath: string;
  status?: NodeStatus;
  config?: NodeConfig;
  adminConfig?: NodeConfig;
  /** Image path of the rpm database holding this node's packages (the host db for a top system node). */
  rpmdbPath: string;
  /** Alias `system` or created from the `root-*` templates. */
  isSystem: boolean;
  /** For top nodes: how the host db is attached (`system-node`: it *is* this node's db; `no-system-node`: via `<top>/..`). */
  attach?: AttachMode;
}

/** Result of discovery: nodes sorted by path (parents before children). */
export interface NodeTree {
  nodes: DiscoveredNode[];
  hostRpmdbPath: string;
  /** How the host attaches; `mixed` when top nodes disagree, `none` when no node was found. */
  mode: AttachMode | 'mixed' | 'none';
  findings: Finding[];
  warnings: LoadWarning[];
  /** Nodes that cannot be audited: a symlinked node directory whose target leaves the image root. */
  errors: LoadWarning[];
}

export interface DiscoverOptions {
  /** Image path to walk down from; default `var/redpak`. */
  redroot?: string;
  /** Extra node paths (image paths); each must be a node. */
  nodes?: readonly string[];
}

/** The input cannot be discovered (missing redroot, `--node` that is not a node). */
export class DiscoveryError extends Error {
  override name = 'DiscoveryError' as const;
  constructor(
    readonly kind: 'redroot-missing' | 'not-a-node' | 'unreadable',
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** A directory is a node when `.rednode.yaml` is a regular file (stat follows symlinks inside the root). */
export async function isNodeDir(image: ImageRoot, dir: string): Promise<boolean> {
  try {
    return (await image.stat(`${dir}/.rednode.yaml`))?.type === 'file';
  } catch (err) {
    // A directory that cannot be searched hides whether it is a node: that is not "not a node".
    if (err instanceof HostError) throw unreadable(dir, err);
    return false; // a symlink loop or a file in the way: not a node
  }
}

function unreadable(dir: string, err: unknown): DiscoveryError {
  const code = err instanceof HostError ? err.code : undefined;
  const why = code === 'EACCES' ? 'permission denied' : (code ?? (err as Error).message);
  return new DiscoveryError(
    'unreadable',
    dir,
    `cannot list \`${dir}\` in the image (${why}): the nodes below it cannot be examined; run as a user who can read the whole image tree`,
  );
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/**
 * Walk down from `dir` through *every* directory (unlike `redconf tree`, a non-node directory
 * hides nothing), skipping names that start with `.`; symlinked directories are not followed
 * (as `d_type == DT_DIR` in red-pak) and are reported as warnings.
 */
async function walkDown(
  image: ImageRoot,
  dir: string,
  found: Set<string>,
  warnings: LoadWarning[],
  links: NodeLink[],
): Promise<void> {
  // `dir` is canonical (the resolved redroot, then real sub-directories), so its listing is one
  // host call; a full resolution is only needed for symlinks.
  let entries: Awaited<ReturnType<ImageRoot['readDir']>>;
  try {
    entries = await image.readDirCanonical(dir);
  } catch (err) {
    // red-pak would see what is below (it runs as root): a layer that cannot be examined fails the run.
    throw unreadable(dir, err);
  }
  const marker = entries.find((e) => e.name === '.rednode.yaml');
  if (marker?.type === 'file' || (marker?.type === 'symlink' && (await isNodeDir(image, dir))))
    found.add(dir);
  const visit = async (e: (typeof entries)[number]): Promise<void> => {
    const child = dir === '.' ? e.name : `${dir}/${e.name}`;
    if (e.type === 'dir') {
      await walkDown(image, child, found, warnings, links);
      return;
    }
    if (e.type !== 'symlink') return;
    let target: string;
    let isDir: boolean;
    try {
      const r = await image.resolve(child);
      target = r.path;
      isDir = r.stat?.type === 'dir';
    } catch (err) {
      warnings.push({
        node: child,
        message: `symlink \`${child}\` cannot be resolved: ${clip((err as Error).message, CLIP_TEXT_LENGTH)}`,
      });
      return;
    }
    if (await escapesRoot(image, child)) {
      // Clamped at the root it may name something of the image, but not what the link means.
      if (isDir) links.push({ link: child, target, escapes: true });
      else
        warnings.push({
          node: child,
          message: `symlink \`${child}\` points out of the image root (its target climbs above \`/\`); not followed`,
        });
      return;
    }
    if (!isDir) return;
    if (await isNodeDir(image, target)) {
      links.push({ link: child, target, escapes: false });
      return;
    }
    warnings.push({
      node: child,
      message: `symlink \`${child}\` to a directory \`${target}\` is not followed (it is no node, and red-pak's tree scan skips symlinked directories)`,
    });
  };
  // Siblings are independent: walk them concurrently (results are sorted afterwards).
  await Promise.all(entries.filter((e) => !e.name.startsWith('.')).map(visit));
}

/** A symlinked node directory met by the walk. */
interface NodeLink {
  link: string;
  /** Canonical image path of the node it points at. */
  target: string;
  /** The link's own target climbs above IMAGE_ROOT (`../../..`): it names a directory of the build host. */
  escapes: boolean;
}

/** True when a relative symlink target climbs above the image root from the link's directory. */
async function escapesRoot(image: ImageRoot, link: string): Promise<boolean> {
  const target = await image.readlink(link).catch(() => '');
  if (target.startsWith('/')) return false; // absolute: the image's own root, as in a chroot
  let depth = link.split('/').length - 1;
  for (const c of target.split('/')) {
    if (c === '..') depth--;
    else if (c !== '' && c !== '.') depth++;
    if (depth < 0) return true;
  }
  return false;
}

/**
 * Follow the symlinked node directories: red-pak runs a node by the path it is given, so a node reached
 * through a link (`var/redpak/app -> /opt/nodes/app`) is audited under the link's path, with every node
 * below it. A link to a node the walk already found is not audited twice; a link that leaves the image
 * root is an error (what it names is not in the image).
 */
async function followLinks(
  image: ImageRoot,
  links: NodeLink[],
  found: Set<string>,
  warnings: LoadWarning[],
  errors: LoadWarning[],
): Promise<void> {
  const followed = new Set<string>();
  const pending = [...links].sort((a, b) => (a.link < b.link ? -1 : 1));
  while (pending.length > 0) {
    const { link, target, escapes } = pending.shift()!;
    if (escapes) {
      errors.push({
        node: link,
        message: `symlink \`${link}\` points out of the image root (its target climbs above \`/\`): what it names, maybe a node, cannot be audited`,
      });
      continue;
    }
    if (found.has(target) || followed.has(target)) {
      warnings.push({
        node: link,
        message: `symlink \`${link}\` to node \`${target}\`: the node is audited once, as \`${target}\``,
      });
      continue;
    }
    followed.add(target);
    const below = new Set<string>();
    const more: NodeLink[] = [];
    await walkDown(image, target, below, warnings, more);
    const rename = (p: string) => (p === target ? link : `${link}${p.slice(target.length)}`);
    for (const p of below) found.add(rename(p));
    for (const m of more) pending.push({ ...m, link: rename(m.link) });
    warnings.push({
      node: link,
      message: `symlinked node \`${link}\` (to \`${target}\`) is audited under the link's path, as red-pak runs it`,
    });
  }
}

/** Nearest node strictly above `path`, scanning up and stopping before `/` (RedNodesDigToRoot). */
async function findParent(image: ImageRoot, path: string): Promise<string | undefined> {
  const parts = path.split('/');
  for (let i = parts.length - 1; i >= 1; i--) {
    const candidate = parts.slice(0, i).join('/');
    if (await isNodeDir(image, candidate)) return candidate;
  }
  return undefined;
}

/** Created by the system-node factory path: alias `system`, or the `root-*` template's host rpmdir / rpm bind mount. */
function looksLikeSystemNode(config: NodeConfig | undefined, admin: NodeConfig | undefined): boolean {
  if (config?.headers.alias === 'system') return true;
  if (normalizeImagePath(config?.config.scalars.rpmdir ?? '') === 'var/lib/rpm') return true;
  return (admin?.exports ?? []).some(
    (e) =>
      e.path !== undefined &&
      normalizeImagePath(e.path) === 'var/lib/rpm' &&
      /^\$NODE_PATH\/+var\/lib\/rpm\/?$/i.test(e.mount),
  );
}

/** Locate the image's rpm database: `var/lib/rpm`, else `usr/lib/sysimage/rpm` (as libsolv probes). */
async function findHostRpmdb(image: ImageRoot): Promise<string> {
  const main = await image.resolve(HOST_RPMDB_PATH).catch(() => undefined);
  if (main?.stat?.type === 'dir') return main.path;
  const alt = await image.resolve('usr/lib/sysimage/rpm').catch(() => undefined);
  if (alt?.stat?.type === 'dir') return alt.path;
  return HOST_RPMDB_PATH;
}

/**
 * Discover the node tree of an image: walk down from the redroot, add explicit `--node` paths
 * and every node above them, link each node to the nearest node above it, read each node's
 * files (findings RP010-RP013) and decide how the host rpmdb attaches.
 */
export async function discoverNodes(image: ImageRoot, options: DiscoverOptions = {}): Promise<NodeTree> {
  const warnings: LoadWarning[] = [];
  const errors: LoadWarning[] = [];
  const findings: Finding[] = [];
  const found = new Set<string>();
  const redroot = await image.resolve(options.redroot ?? DEFAULT_REDROOT);
  if (redroot.stat?.type === 'dir') {
    const links: NodeLink[] = [];
    await walkDown(image, redroot.path, found, warnings, links);
    await followLinks(image, links, found, warnings, errors);
  } else if ((options.nodes ?? []).length === 0) {
    throw new DiscoveryError(
      'redroot-missing',
      redroot.path,
      `redroot \`${redroot.path}\` is not a directory in the image`,
    );
  }
  for (const n of options.nodes ?? []) {
    const r = await image.resolve(n);
    if (r.stat?.type !== 'dir' || !(await isNodeDir(image, r.path))) {
      throw new DiscoveryError(
        'not-a-node',
        r.path,
        `\`${n}\` is not a node: \`${r.path}/.rednode.yaml\` is not a regular file`,
      );
    }
    found.add(r.path);
  }
  // Close the set upward: every family goes up to its top node, even above the redroot.
  const parents = new Map<string, string>();
  const queue = [...found];
  while (queue.length > 0) {
    const p = queue.pop()!;
    if (parents.has(p)) continue;
    const parent = await findParent(image, p);
    parents.set(p, parent ?? 'host');
    if (parent !== undefined && !found.has(parent)) {
      found.add(parent);
      queue.push(parent);
    }
  }
  const hostRpmdbPath = await findHostRpmdb(image);
  const nodes: DiscoveredNode[] = [];
  for (const path of [...found].sort()) {
    const files = await loadNodeFiles(image, path);
    appendAll(findings, files.findings);
    appendAll(warnings, files.warnings);
    const parentPath = parents.get(path) ?? 'host';
    const isSystem = looksLikeSystemNode(files.config, files.adminConfig);
    const node: DiscoveredNode = {
      path,
      alias: files.config?.headers.alias ?? basename(path),
      parentPath,
      rpmdbPath: `${path}/var/lib/rpm`,
      isSystem,
    };
    if (files.status !== undefined) node.status = files.status;
    if (files.config !== undefined) node.config = files.config;
    if (files.adminConfig !== undefined) node.adminConfig = files.adminConfig;
    if (parentPath === 'host') {
      node.attach = isSystem ? 'system-node' : 'no-system-node';
      if (isSystem) {
        node.rpmdbPath = hostRpmdbPath;
        await warnShadowedSystemDb(image, node, hostRpmdbPath, warnings);
      }
    } else if (isSystem) {
      warnings.push({
        node: path,
        message: `\`${path}\` looks like a system node (alias \`system\` or \`root-*\` template) but has a parent node \`${parentPath}\`; its own \`var/lib/rpm\` is used`,
      });
    }
    warnRpmdir(node, warnings);
    nodes.push(node);
  }
  appendAll(findings, checkDuplicateAliases(nodes));
  appendAll(findings, checkPrivileges(nodes));
  const modes = [...new Set(nodes.flatMap((n) => (n.attach === undefined ? [] : [n.attach])))];
  const mode: NodeTree['mode'] = modes.length === 0 ? 'none' : modes.length > 1 ? 'mixed' : modes[0]!;
  warnings.sort((a, b) =>
    a.node < b.node ? -1 : a.node > b.node ? 1 : a.message < b.message ? -1 : a.message > b.message ? 1 : 0,
  );
  return { nodes, hostRpmdbPath, mode, findings, warnings, errors };
}

/** The system node's own `var/lib/rpm` is replaced by the host db at runtime (root-admin bind mount). */
async function warnShadowedSystemDb(
  image: ImageRoot,
  node: DiscoveredNode,
  hostDb: string,
  warnings: LoadWarning[],
): Promise<void> {
  const own = await image.resolve(`${node.path}/var/lib/rpm`).catch(() => undefined);
  if (own?.stat?.type !== 'dir' || own.path === hostDb) return;
  const entries = await image.readDir(own.path).catch(() => []);
  if (entries.some((e) => ['rpmdb.sqlite', 'Packages', 'Packages.db'].includes(e.name))) {
    warnings.push({
      node: node.path,
      message: `system node \`${node.path}\` has its own rpm database \`${own.path}\`, which the host's \`${hostDb}\` replaces at runtime; it is ignored`,
    });
  }
}

/** `config.rpmdir` is not used to find the db (FORMATS.md §8.2); say so when it points elsewhere. */
function warnRpmdir(node: DiscoveredNode, warnings: LoadWarning[]): void {
  const raw = node.config?.config.scalars.rpmdir;
  if (raw === undefined) return;
  const expanded = normalizeImagePath(raw.replace(/\$NODE_PATH\b/gi, node.path));
  if (expanded === normalizeImagePath(node.rpmdbPath) || /\$/.test(expanded)) return;
  warnings.push({
    node: node.path,
    message: `\`config.rpmdir: ${clip(raw)}\` disagrees with the database red-pak actually uses (\`${node.rpmdbPath}\`); rpmdir is ignored`,
    location: node.config?.locations.get('config.rpmdir') ?? { file: node.config!.file, line: 1, column: 1 },
  });
}
