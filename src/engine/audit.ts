import type { Host, HostError } from '../host/host.js';
import { ImageRoot, normalizeImagePath } from '../host/image-root.js';
import { InputError, UsageError } from '../load/errors.js';
import { type DiscoveredNode, discoverNodes, type NodeTree } from '../load/redpak/discover.js';
import { loadPackageLayers } from '../load/redpak/layers.js';
import { type LoadedRepo, loadRepository, type RepoSpec, type SolvCache } from '../load/repository.js';
import { rpmPackageDigests } from '../load/rpm-package.js';
import { headerSignature } from '../load/rpmdb/signature.js';
import type { PackageFile } from '../load/rpmdb/types.js';
import type { CheckResult, Finding, PackageFacts, RepositoryInfo, ToolErrorInfo } from '../model/finding.js';
import type { Policy } from '../policy/rules-file/model.js';
import { rulesFor, toRuleMeta } from '../rules/catalog.js';
import { type Engine, Format, loadEngine, type PackageSummary } from '../solver/index.js';
import { appendAll } from '../util/append.js';
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';
import { archProblem, dominantArch } from './arch.js';
import { ancestorDuplicates, shareableDuplicates } from './checks/duplicates.js';
import { fileConflicts } from './checks/file-conflicts.js';
import { installabilityFindings } from './checks/installability.js';
import { lockMismatches } from './checks/lock-mismatch.js';
import { type HeaderDigests, notFromRepositories } from './checks/not-from-repositories.js';
import { familyPolicyNodes, withPolicy } from './checks/policy.js';
import { mergeConfig } from './checks/policy-config.js';
import { sharedPathsFromLists } from './checks/shared-paths.js';
import { Family, type Layer, layerSubjects } from './family.js';
import { imageNotices } from './image-notices.js';
import type { ParsedLock } from './lock/read-lock.js';
import { factsReader, repositoryInfos } from './package-facts.js';
import { TOOL_VERSION } from './version.js';

export interface AuditOptions {
  /** Host path of the image root; nothing outside it is ever read. */
  imageRoot: string;
  /** Image path of the redroot (default var/redpak). */
  redroot?: string;
  /** Extra node paths (image paths). */
  nodes?: string[];
  /** Target arch (default: the most common arch of the installed packages). */
  arch?: string;
  /** Repositories the installed packages must come from (RP014); they also name providers in RP001. */
  repos?: RepoSpec[];
  /** `.solv` exports (`rpmdb2solv`) loaded in place of a layer's database: `target` is `host`, a node path or alias. */
  nodeSolv?: NodeSolvSpec[];
  noFilelists?: boolean;
  cache?: SolvCache;
  onProgress?: (message: string) => void;
  /** A parsed policy file (`--policy`): RP040-RP046 with file modes and signatures from the rpm headers. */
  policy?: Policy;
  /** `--lock FILE`: the image must be what the lock holds (RP055-RP058). */
  lock?: ParsedLock;
}

/** `--node-solv ALIAS=FILE`. */
export interface NodeSolvSpec {
  /** `host`, a node's image path or its alias. */
  target: string;
  /** The file as the user gave it (in messages). */
  file: string;
  /** Absolute host path. */
  absPath: string;
}

const AUDIT_RULES = [
  'RP001',
  'RP002',
  'RP003',
  'RP004',
  'RP005',
  'RP007',
  'RP010',
  'RP011',
  'RP012',
  'RP013',
];

/** `redproof audit`: proves what is really installed in a red-pak image tree. */
export async function audit(host: Host, options: AuditOptions, engine?: Engine): Promise<CheckResult> {
  const image = new ImageRoot(host, options.imageRoot);
  options.onProgress?.('discovering nodes');
  const tree = await discoverNodes(image, {
    ...(options.redroot && { redroot: options.redroot }),
    ...(options.nodes && { nodes: options.nodes }),
  });
  const solvFor = resolveNodeSolv(tree, options.nodeSolv ?? []);
  options.onProgress?.('reading rpm databases');
  const {
    layers: pkgLayers,
    errors: dbErrors,
    warnings: dbWarnings,
  } = await loadPackageLayers(image, tree, new Set(solvFor.keys()));
  const e = engine ?? (await loadEngine());
  const pool = e.createPool(options.arch ?? 'noarch');
  try {
    const fileInfo = new Map<number, PackageFile[]>();
    const digests = new Map<number, HeaderDigests>();
    const blobs = new Map<number, Uint8Array>();
    /** The installed size each rpm header states (undefined: neither LONGSIZE nor SIZE). */
    const headerSizes = new Map<number, number | undefined>();
    const fromSolv = new Set<number>();
    const layers: Layer[] = [];
    for (const pl of pkgLayers) {
      const repo = pool.addRepo(`@${pl.id}`);
      const layer: Layer = {
        id: pl.id,
        kind: pl.id === 'host' ? 'host' : 'node',
        parent: pl.id === 'host' ? undefined : (pl.parent ?? 'host'),
        packages: [],
      };
      const node = tree.nodes.find((n) => n.path === pl.id);
      if (node) layer.location = { file: `${node.path}/.rednode.yaml`, line: 1, column: 1 };
      const solv = solvFor.get(pl.id);
      if (solv) {
        options.onProgress?.(`loading ${solv.file}`);
        let bytes: Uint8Array;
        try {
          // named on the command line: a pipe (`--node-solv host=<(rpmdb2solv ...)`) is read, up to
          // pipe-size; a device or a socket is refused
          bytes = await host.readFile(solv.absPath, { allowPipe: true });
        } catch (err) {
          const why = (err as Error).message.replace(/^reading `[^`]*`: /, '');
          const limit = (err as HostError).code === 'EFBIG' ? ' (--limit pipe-size, file-size)' : '';
          throw new InputError('unreadable', `cannot read: ${why}${limit}`, {
            file: solv.file,
            expected: 'a .solv file written by rpmdb2solv',
          });
        }
        const start = pool.size;
        repo.add(Format.SOLV, bytes, solv.file);
        for (let id = start; id < pool.size; id++) {
          layer.packages.push({ id });
          fromSolv.add(id);
        }
      } else {
        pl.blobs.forEach((blob, i) => {
          const id = repo.addRpmHeader(blob, `${pl.file ?? pl.rpmdbPath} (${pl.id})`);
          layer.packages.push({ id });
          const pkg = pl.packages[i];
          fileInfo.set(id, pkg?.files ?? []);
          digests.set(id, { sha256: pkg?.sha256Header ?? '', sha1: pkg?.sha1Header ?? '' });
          headerSizes.set(id, pkg?.size);
          blobs.set(id, blob);
        });
      }
      layers.push(layer);
    }
    const loaded: LoadedRepo[] = [];
    for (const spec of options.repos ?? []) {
      options.onProgress?.(`loading ${spec.id}`);
      loaded.push(
        await loadRepository(host, e, pool, spec, {
          noFilelists: options.noFilelists ?? false,
          cacheVersion: `${TOOL_VERSION}/${e.libsolvVersion}`,
          ...(options.cache && { cache: options.cache }),
        }),
      );
    }
    const arch =
      options.arch ??
      dominantArch([
        ...pkgLayers.flatMap((l) => l.packages.map((p) => p.arch)),
        ...(fromSolv.size > 0 ? pool.list().flatMap((p) => (fromSolv.has(p.id) ? [p.arch] : [])) : []),
      ]);
    const archIssue =
      options.arch === undefined
        ? undefined
        : archProblem(
            options.arch,
            pool.list().map((p) => p.arch),
          );
    if (archIssue) throw new UsageError(`audit: ${archIssue}`);
    pool.setArch(arch);
    pool.prepare();
    options.onProgress?.('checking nodes');
    const all = pool.list();
    const byId = new Map(all.map((p) => [p.id, p]));
    const info = (id: number): PackageSummary => byId.get(id)!;
    const family = new Family(orderLayers(layers));
    const undecided = new Undecided(
      family,
      pkgLayers.filter((l) => l.unread).map((l) => l.id),
    );
    // Each layer's database gives its own solvable for a package. The checks see one solvable per
    // installed header (NEVRA and header digest), as a manifest names one package per NEVRA; RP004
    // compares by NEVRA alone.
    const digestKey = (id: number) => {
      const d = digests.get(id);
      return `${info(id).nevra}\0${d?.sha256 || d?.sha1 || (fromSolv.has(id) ? `solv:${id}` : '')}`;
    };
    const same = canonicalFamily(family, digestKey);
    const findings: Finding[] = [...tree.findings];
    appendAll(findings, ancestorDuplicates(same, info));
    findings.push(
      ...shareableDuplicates(
        canonicalFamily(family, (id) => info(id).nevra),
        info,
      ),
    );
    appendAll(findings, installabilityFindings(pool, same, info));
    const fileCache = new Map<number, string[]>();
    const files = (id: number): string[] => {
      let f = fileCache.get(id);
      if (!f) {
        f = fromSolv.has(id)
          ? pool.files(id)
          : (fileInfo.get(id) ?? []).filter((x) => (x.mode & 0o170000) !== 0o040000).map((x) => x.path);
        fileCache.set(id, f);
      }
      return f;
    };
    const content = (id: number, path: string) => fileInfo.get(id)?.find((x) => x.path === path);
    for (const f of fileConflicts(same, info, sharedPathsFromLists(files), { content })) {
      // A .solv export has no file digests or modes: rpm's rule cannot be decided, so it stays a warning.
      const a = byNevraIn(same, f.node, f.package, info);
      const b = byNevraIn(same, f.otherNode, f.other, info);
      if ((a !== undefined && fromSolv.has(a)) || (b !== undefined && fromSolv.has(b))) {
        // The same NEVRA on both sides ships the same files (RP003 reports the duplicate itself).
        if (f.package === f.other) continue;
        f.level = 'warning';
        f.evidence.push({
          role: 'hint',
          text: 'file digests and modes are unknown for packages loaded from a .solv export (--node-solv)',
        });
      }
      findings.push(f);
    }
    const rules = [...AUDIT_RULES];
    if (loaded.length > 0) {
      rules.push('RP014');
      options.onProgress?.('comparing with the repositories');
      const repoNames = new Set(loaded.map((l) => l.repo.name));
      const repoDirs = new Map(
        loaded.filter((l) => l.kind === 'repomd').map((l) => [l.repo.name, l.spec.absPath]),
      );
      const repoDigestCache = new Map<number, HeaderDigests | undefined>();
      findings.push(
        ...(await notFromRepositories({
          pool,
          family: same,
          info,
          repoPackages: all.filter((p) => repoNames.has(p.repo)).map((p) => p.id),
          installedDigests: (id) => {
            const d = digests.get(id);
            if (d) return d;
            const chk = pool.solvable(id).checksum ?? '';
            return { sha256: '', sha1: chk.startsWith('hdrid:') ? chk.slice(6) : '' };
          },
          repoDigests: async (id) => {
            if (repoDigestCache.has(id)) return repoDigestCache.get(id);
            let d: HeaderDigests | undefined;
            const dir = repoDirs.get(info(id).repo);
            const loc = dir === undefined ? undefined : pool.solvable(id).location;
            if (
              dir !== undefined &&
              loc !== undefined &&
              !/^[a-z]+:\/\//i.test(loc) &&
              !loc.split('/').includes('..')
            ) {
              // Undefined (metadata only: the fields primary.xml repeats from the header) when the
              // file is not a regular rpm inside the repository.
              d = await rpmPackageDigests(host, dir, loc);
            }
            repoDigestCache.set(id, d);
            return d;
          },
        })),
      );
    }
    const aliasOf = new Map(tree.nodes.map((n) => [n.path, n.alias]));
    if (options.lock) {
      rules.push('RP055', 'RP056', 'RP057', 'RP058');
      findings.push(
        ...lockMismatches({ family, aliasOf, solvable: (id) => pool.solvable(id), lock: options.lock }),
      );
    }
    for (const f of findings) {
      if (f.location && !f.location.file) delete f.location;
      // Package-level findings point at the node's status file, the node's declaration in an image.
      if (!f.location && f.node !== undefined && aliasOf.has(f.node)) {
        f.location = { file: `${f.node}/.rednode.yaml`, line: 1, column: 1 };
      }
      f.message = withAliases(f.message, aliasOf);
    }
    const dbOf = new Map(
      pkgLayers.map((pl) => [pl.id, solvFor.get(pl.id)?.file ?? pl.file ?? pl.rpmdbPath] as const),
    );
    const subjects = layerSubjects(
      family.layers,
      info,
      rules,
      (l) => aliasOf.get(l.id),
      withHeaderSizes(factsReader(pool), headerSizes),
      (l) => `installed: rpm database ${dbOf.get(l.id) ?? l.id}`,
    );
    const dbRepos: RepositoryInfo[] = family.layers.map((l) => ({
      id: `@${l.id}`,
      kind: solvFor.has(l.id) ? 'solv' : 'rpmdb',
      path: dbOf.get(l.id) ?? l.id,
      packages: l.packages.length,
    }));

    const errors: ToolErrorInfo[] = dbErrors.map((err) => ({
      kind: `rpmdb-${err.kind}`,
      message: err.message,
      ...(err.file && { file: err.file }),
    }));
    const notices = imageNotices(tree, dbWarnings);
    appendAll(errors, notices.errors);
    const unreadFile = new Map(dbErrors.map((err) => [err.node, err.file] as const));
    const warnings = [
      ...notices.warnings,
      ...undecided.warnings((id) => unreadFile.get(id) ?? dbOf.get(id) ?? id),
    ];
    const examined = family.layers.reduce((n, l) => n + l.packages.length, 0);
    if (examined === 0 && errors.length === 0) {
      errors.push({
        kind: 'nothing-examined',
        message: `no installed package found in ${options.imageRoot}: nothing was proven`,
        file: 'var/lib/rpm',
      });
    }
    const result: CheckResult = {
      command: 'audit',
      tool: { name: 'redproof', version: TOOL_VERSION, libsolv: e.libsolvVersion },
      target: tree.nodes.find((n) => n.parentPath === 'host')?.alias ?? 'image',
      arch,
      subjects,
      findings,
      errors,
      ...(warnings.length > 0 && { warnings }),
      repositories: repositoryInfos(loaded, dbRepos),
      rules: rulesFor('audit')
        .filter((r) => rules.includes(r.id))
        .map(toRuleMeta),
      stats: {
        packagesExamined: examined,
        nodes: tree.nodes.length,
        ...(loaded.length > 0 && { repositoryPackages: loaded.reduce((n, l) => n + l.packages, 0) }),
      },
    };
    if (!options.policy) return undecided.apply(result);
    const withPolicyResult = withPolicy(
      result,
      options.policy,
      familyPolicyNodes(options.policy, family, pool, {
        extras: {
          // A .solv export (--node-solv) keeps neither file modes nor signatures: those stay unknown.
          files: (id) => (fromSolv.has(id) ? undefined : (fileInfo.get(id) ?? [])),
          signature: (id) => {
            const blob = blobs.get(id);
            if (!blob) return undefined;
            try {
              return headerSignature(blob);
            } catch {
              return undefined;
            }
          },
        },
        config: (layer) => (layer === 'host' ? mergeConfig([]) : mergeConfig(configChain(tree, layer))),
        alias: (layer) => aliasOf.get(layer),
      }),
    );
    return undecided.apply(withPolicyResult);
  } finally {
    pool.dispose();
  }
}

/** Rules whose finding says something is absent from a node's view: a view missing a layer cannot decide them. */
const ABSENCE_RULES = ['RP001', 'RP007', 'RP043'];

/**
 * What a run cannot decide when rpm databases could not be read (their error is reported, exit 3).
 * Their layers are kept, empty, so every other layer is still checked; but a view holding an unread
 * layer lacks its packages, so "nothing provides" (RP001), "cannot be installed" (RP007) and "the
 * policy's required package is missing" (RP043) would be guesses there, and "a locked package is not
 * installed" (RP055) one in the unread layer itself. Those findings are left out, the subjects do not
 * list those rules as checked, and a warning says so. Conflicts, duplicates and file conflicts among the
 * packages that were read stay real findings.
 */
class Undecided {
  readonly #unread: Set<string>;
  readonly #family: Family;

  constructor(family: Family, unread: readonly string[]) {
    this.#family = family;
    this.#unread = new Set(unread);
  }

  /** The view of `node` holds an unread layer. */
  #blind(node: string | undefined): boolean {
    if (node === undefined || this.#unread.size === 0) return false;
    return this.#unread.has(node) || this.#family.ancestors(node).some((a) => this.#unread.has(a));
  }

  warnings(dbOf: (id: string) => string): ToolErrorInfo[] {
    return [...this.#unread].sort().map((id) => ({
      kind: 'rpmdb-unread',
      message: `the rpm database of \`${id}\` could not be read (see the errors): its layer is empty, so ${ABSENCE_RULES.join(', ')} are not decided in it and in the nodes above it; the other rules are still checked`,
      file: dbOf(id),
    }));
  }

  apply(result: CheckResult): CheckResult {
    if (this.#unread.size === 0) return result;
    return {
      ...result,
      findings: result.findings.filter(
        (f) =>
          !(ABSENCE_RULES.includes(f.rule) && this.#blind(f.node)) &&
          !(f.rule === 'RP055' && f.node !== undefined && this.#unread.has(f.node)),
      ),
      subjects: result.subjects.map((s) =>
        this.#unread.has(s.id)
          ? { ...s, checked: [] }
          : this.#blind(s.id)
            ? { ...s, checked: s.checked.filter((r) => !ABSENCE_RULES.includes(r)) }
            : s,
      ),
    };
  }
}

/** The node at `path` and its ancestors, from the top down. */
function configChain(tree: NodeTree, path: string): DiscoveredNode[] {
  const byPath = new Map(tree.nodes.map((n) => [n.path, n]));
  const chain: DiscoveredNode[] = [];
  let n = byPath.get(path);
  while (n && !chain.includes(n)) {
    chain.unshift(n);
    n = byPath.get(n.parentPath);
  }
  return chain;
}

/** A loader's warning (or error) as the reports carry it: the node's path is its file. */
/** The family with every package replaced by the first solvable of the same key (one id per identity). */
function canonicalFamily(family: Family, key: (id: number) => string): Family {
  const first = new Map<string, number>();
  const canon = (id: number): number => {
    const k = key(id);
    const got = first.get(k);
    if (got !== undefined) return got;
    first.set(k, id);
    return id;
  };
  return new Family(
    family.layers.map((l) => ({ ...l, packages: l.packages.map((p) => ({ ...p, id: canon(p.id) })) })),
  );
}

/** The solvable id of a NEVRA in a layer's view (to know where a finding's package was loaded from). */
function byNevraIn(
  family: Family,
  node: string | undefined,
  nevra: string | undefined,
  info: (id: number) => PackageSummary,
): number | undefined {
  if (node === undefined || nevra === undefined) return undefined;
  return family.view(node).find((id) => info(id).nevra === nevra);
}

/** `` `var/redpak/platform/nav` `` becomes `` `var/redpak/platform/nav` (alias `nav`) `` in messages. */
function withAliases(message: string, aliasOf: ReadonlyMap<string, string>): string {
  return message.replace(/`([^`]+)`/g, (m, path: string) => {
    const alias = aliasOf.get(path);
    return alias === undefined ? m : `${m} (alias \`${alias}\`)`;
  });
}

/** Which layer each `--node-solv` replaces: `host`, a node path, or an alias naming exactly one node. */
function resolveNodeSolv(tree: NodeTree, specs: readonly NodeSolvSpec[]): Map<string, NodeSolvSpec> {
  const out = new Map<string, NodeSolvSpec>();
  for (const spec of specs) {
    let layer: string;
    if (spec.target === 'host') layer = 'host';
    else {
      const path = normalizeImagePath(spec.target);
      let nodes: DiscoveredNode[] = tree.nodes.filter((n) => n.path === path);
      if (nodes.length === 0) nodes = tree.nodes.filter((n) => n.alias === spec.target);
      if (nodes.length === 0) {
        throw new UsageError(
          `--node-solv \`${clip(`${spec.target}=${spec.file}`)}\`: no node has this alias or path; nodes: ${
            clip(tree.nodes.map((n) => `${n.path} (${n.alias})`).join(', '), CLIP_TEXT_LENGTH) || 'none'
          }`,
        );
      }
      if (nodes.length > 1) {
        throw new UsageError(
          `--node-solv \`${clip(`${spec.target}=${spec.file}`)}\`: the alias names ${nodes.length} nodes (${nodes
            .map((n) => n.path)
            .join(', ')}); give the node's path instead`,
        );
      }
      const node = nodes[0]!;
      // A top system node's packages are the host db's (FORMATS.md §4.2).
      layer = node.attach === 'system-node' ? 'host' : node.path;
    }
    if (out.has(layer)) throw new UsageError(`--node-solv: two exports given for \`${layer}\``);
    out.set(layer, spec);
  }
  return out;
}

/**
 * The text of every file a finding or subject points at (node files, image paths), for the code
 * frames of the text and SARIF reporters. Read through the image root: nothing outside it.
 */
export async function readAuditSources(
  host: Host,
  imageRoot: string,
  result: CheckResult,
): Promise<Map<string, string>> {
  const image = new ImageRoot(host, imageRoot);
  const files = new Set<string>();
  for (const f of result.findings) if (f.location?.file) files.add(f.location.file);
  const out = new Map<string, string>();
  for (const file of files) {
    try {
      const r = await image.resolve(file);
      if (r.stat?.type === 'file' && r.stat.size < 1 << 20) out.set(file, await image.readText(r.path));
    } catch {
      // no code frame for this one
    }
  }
  return out;
}

/** Parents before children. */
function orderLayers(layers: Layer[]): Layer[] {
  const out: Layer[] = [];
  const placed = new Set<string>();
  let rest = [...layers].sort((a, b) => (a.id === 'host' ? -1 : b.id === 'host' ? 1 : a.id < b.id ? -1 : 1));
  while (rest.length) {
    const next = rest.filter((l) => l.parent === undefined || placed.has(l.parent));
    if (next.length === 0) break;
    for (const l of next) {
      out.push(l);
      placed.add(l.id);
    }
    rest = rest.filter((l) => !placed.has(l.id));
  }
  return out;
}

/**
 * libsolv keeps no installed size for an rpm header whose SIZE is 0, so it cannot tell 0 bytes from no
 * size: the header's own LONGSIZE or SIZE tag, read by src/load/rpmdb, says which.
 */
function withHeaderSizes(
  facts: (id: number) => PackageFacts,
  headerSizes: ReadonlyMap<number, number | undefined>,
): (id: number) => PackageFacts {
  return (id) => {
    const f = facts(id);
    const size = headerSizes.get(id);
    return size === undefined || f.installSize !== undefined ? f : { ...f, installSize: size };
  };
}
