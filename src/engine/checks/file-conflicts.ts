import type { Finding } from '../../model/finding.js';
import { fingerprint } from '../../policy/fingerprint.js';
import { ruleHelp, ruleMessage } from '../../rules/catalog.js';
import type { PackageSummary } from '../../solver/index.js';
import { clip } from '../../util/clip.js';
import type { Family } from '../family.js';
import type { SharedPathsOf } from './shared-paths.js';

/** What an installed header says about one file (audit), enough to compare as rpm does. */
export interface FileAttrs {
  digest: string;
  mode: number;
  size: number;
  user: string;
  group: string;
  linkTo: string;
  rdev: number;
  /** FILECOLORS (1 ELF32, 2 ELF64). */
  color: number;
  isGhost: boolean;
}

/** What is known about the files of the packages beyond their paths. */
export interface FileFacts {
  /** From installed headers (audit): identical files are silent, differing ones are errors (rpm's rule). */
  content?: (id: number, path: string) => FileAttrs | undefined;
  /** Paths the repository metadata lists as directories (rpm-md `<file type="dir">`). */
  knownDirs?: ReadonlySet<string>;
  /**
   * The `%ghost` paths of a package (rpm-md `<file type="ghost">`), or `undefined` when its metadata
   * could not be read for them.
   */
  ghosts?: (id: number) => ReadonlySet<string> | undefined;
  /** Source rpm of a package (rpm-md): two packages of one build (same source, same EVR) share identical files. */
  source?: (id: number) => string | undefined;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;

/**
 * True when rpm refuses to install both files in one transaction: rpmfilesCompare (lib/rpmfi.c) finds
 * them different (a ghost never differs; then mode, size, owner, group, link target, digest, device)
 * and handleColorConflict (lib/transaction.c) does not resolve it (an ELF32 and an ELF64 file on a
 * multilib platform: the preferred 64-bit one wins, no conflict).
 */
export function rpmFilesConflict(a: FileAttrs, b: FileAttrs): boolean {
  if (a.isGhost || b.isGhost) return false;
  const type = a.mode & S_IFMT;
  const isLink = type === S_IFLNK;
  let differ = false;
  if (!(isLink && (b.mode & S_IFMT) === S_IFLNK) && a.mode !== b.mode) differ = true;
  else if ((isLink || type === S_IFREG) && a.size !== b.size) differ = true;
  else if (a.user !== b.user || a.group !== b.group) differ = true;
  else if (isLink) differ = a.linkTo !== b.linkTo;
  else if (type === S_IFREG) differ = a.digest !== b.digest;
  else if (type === S_IFCHR || type === S_IFBLK) differ = a.rdev !== b.rdev;
  if (!differ) return false;
  const ca = a.color & 3;
  const cb = b.color & 3;
  return !(ca !== 0 && cb !== 0 && ca !== cb);
}

/**
 * RP005 file-conflict: one path owned by two different packages of a layer's view. Directories are
 * excluded: rpm-md does not always mark them, so a path that is the parent of another path of the view
 * counts as a directory. `%ghost` files never conflict (rpm's rule). Reported at the layer that adds
 * the second owner: a warning from rpm-md (no digests), a note when both packages are one build of one
 * source rpm (rpm shares such files when they are identical), an error from installed headers.
 */
export function fileConflicts(
  family: Family,
  info: (id: number) => PackageSummary,
  shared: SharedPathsOf,
  facts: FileFacts = {},
): Finding[] {
  const { content } = facts;
  const knownDirs = facts.knownDirs ?? new Set<string>();
  const findings: Finding[] = [];
  const { owners, below: under } = shared([...family.holders.keys()]);
  // The shared paths of each package, and the shared paths that may be directories: those a package
  // of a view ships something below.
  const sharedOf = new Map<number, string[]>();
  const below = new Map<string, ReadonlySet<number>>();
  for (const [path, ids] of owners) {
    for (const id of ids) {
      const list = sharedOf.get(id);
      if (list) list.push(path);
      else sharedOf.set(id, [path]);
    }
    if (!knownDirs.has(path)) below.set(path, new Set(under.get(path)));
  }
  for (const layer of family.layers) {
    const own = new Set(layer.packages.map((p) => p.id));
    const inView = new Set(family.view(layer.id));
    const isDir = (path: string) =>
      knownDirs.has(path) || [...(below.get(path) ?? [])].some((id) => inView.has(id));
    // Only paths shipped by one of the layer's own packages can make a conflict reported here.
    const paths = new Set<string>();
    for (const id of own) for (const f of sharedOf.get(id) ?? []) paths.add(f);
    const reported = new Set<string>();
    for (const path of [...paths].sort()) {
      const ids = owners.get(path)!.filter((id) => inView.has(id));
      if (ids.length < 2 || isDir(path)) continue;
      const mine = ids.filter((id) => own.has(id));
      if (mine.length === 0) continue;
      for (const m of mine) {
        for (const other of ids) {
          if (other === m || (own.has(other) && other > m)) continue;
          const pairKey = `${Math.min(m, other)}:${Math.max(m, other)}`;
          if (reported.has(pairKey)) continue;
          const verdict = judge(m, other, path);
          if (verdict === undefined) continue;
          reported.add(pairKey);
          findings.push(finding(layer.id, m, other, path, ids.length, verdict));
        }
      }
    }
  }
  return findings;

  /** The level of a shared path of two packages, with why; `undefined`: rpm installs both. */
  function judge(
    m: number,
    other: number,
    path: string,
  ): { level: Finding['level']; hints: string[] } | undefined {
    if (content) {
      const a = content(m, path);
      const b = content(other, path);
      if (a && b && !rpmFilesConflict(a, b)) return undefined;
      return { level: 'error', hints: [] };
    }
    const hints: string[] = [];
    if (facts.ghosts) {
      const ga = facts.ghosts(m);
      const gb = facts.ghosts(other);
      if (ga?.has(path) || gb?.has(path)) return undefined;
      if (ga === undefined || gb === undefined) {
        hints.push(
          'the repository metadata could not be read for `%ghost` files (not decompressed within `--limit decompressed-size`): if the path is a ghost in either package, rpm installs both',
        );
      }
    }
    const src = facts.source?.(m);
    if (src !== undefined && src === facts.source?.(other) && info(m).evr === info(other).evr) {
      hints.push(
        `both packages are one build of \`${src}\`: rpm shares the path when content, mode and owner are identical, which rpm-md (no file digests) cannot show`,
      );
      return { level: 'note', hints };
    }
    return { level: 'warning', hints };
  }

  function finding(
    node: string,
    m: number,
    other: number,
    path: string,
    shared: number,
    verdict: { level: Finding['level']; hints: string[] },
  ): Finding {
    const layer = family.layers.find((l) => l.id === node)!;
    const s = info(m);
    const o = info(other);
    const otherNode = family.ownerInView(node, other) ?? node;
    const data = { path, package: s.nevra, node, other: o.nevra, otherNode };
    const entry = layer.packages.find((p) => p.id === m)?.entry;
    return {
      rule: 'RP005',
      slug: 'file-conflict',
      level: verdict.level,
      node,
      package: s.nevra,
      repo: s.repo,
      other: o.nevra,
      otherNode,
      message: ruleMessage('RP005', 'file', data),
      help: ruleHelp('RP005', data),
      ...(entry && { location: entry.span }),
      evidence: [
        {
          role: 'path',
          text: `\`${clip(path)}\` is shipped by ${shared} packages of the view of \`${clip(node)}\``,
        },
        {
          role: 'owner',
          text: `\`${clip(o.nevra)}\` in \`${clip(otherNode)}\``,
          package: o.nevra,
          node: otherNode,
        },
        ...verdict.hints.map((text) => ({ role: 'hint', text })),
      ],
      fingerprint: fingerprint({
        rule: 'RP005',
        node,
        package: s.nevra,
        other: o.nevra,
        dependency: path,
      }),
    };
  }
}
