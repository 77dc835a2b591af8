import type { Host } from '../host/host.js';
import { InputError } from '../load/errors.js';
import { HOST, nodeOrder, parseManifest } from '../load/manifest.js';
import type { LoadedRepo, RepoSpec, SolvCache } from '../load/repository.js';
import type { CheckResult, Finding } from '../model/finding.js';
import type { Policy } from '../policy/rules-file/model.js';
import { rulesFor, toRuleMeta } from '../rules/catalog.js';
import { type Engine, loadEngine, type PackageSummary, type Pool } from '../solver/index.js';
import { appendAll } from '../util/append.js';
import { ancestorDuplicates, shareableDuplicates } from './checks/duplicates.js';
import { fileConflicts } from './checks/file-conflicts.js';
import { installabilityFindings } from './checks/installability.js';
import { familyPolicyNodes, withPolicy } from './checks/policy.js';
import { Family, type Layer, layerSubjects } from './family.js';
import { manifestRepoSpecs, repoLoader } from './manifest-repos.js';
import { factsReader, repositoryInfos } from './package-facts.js';
import { EntryResolver } from './resolve-entries.js';
import { TOOL_VERSION } from './version.js';

export interface FamilyCheckOptions {
  manifestText: string;
  /** The manifest path as the user gave it (in messages and locations). */
  manifestFile: string;
  /** Absolute directory of the manifest: repository paths are relative to it. */
  manifestAbsDir: string;
  /** Repositories given on the command line in addition to the manifest's. */
  extraRepos?: RepoSpec[];
  /** Overrides the manifest's arch. */
  arch?: string;
  strictArch?: boolean;
  noFilelists?: boolean;
  cache?: SolvCache;
  onProgress?: (message: string) => void;
  /** A parsed policy file (`--policy`): adds RP040-RP046 on the nodes its rules select. */
  policy?: Policy;
}

const FAMILY_RULES = ['RP001', 'RP002', 'RP003', 'RP004', 'RP005', 'RP006', 'RP007'];

/** `redproof check`: proves every node of a family manifest (rules RP001 to RP007). */
export async function familyCheck(
  host: Host,
  options: FamilyCheckOptions,
  engine?: Engine,
): Promise<CheckResult> {
  const manifest = parseManifest(options.manifestText, options.manifestFile);
  const e = engine ?? (await loadEngine());
  const arch = options.arch ?? manifest.arch;
  const pool = e.createPool(arch);
  try {
    const load = repoLoader(host, e, pool, options);
    const loaded: LoadedRepo[] = [];
    for (const spec of [
      ...manifestRepoSpecs(manifest, options.manifestFile, options.manifestAbsDir),
      ...(options.extraRepos ?? []),
    ]) {
      loaded.push(await load(spec));
    }
    pool.setArch(arch, { strict: options.strictArch ?? false });
    pool.prepare();
    options.onProgress?.('checking nodes');
    return check(pool, e, manifest, loaded, arch, options.policy);
  } finally {
    pool.dispose();
  }
}

function check(
  pool: Pool,
  engine: Engine,
  manifest: ReturnType<typeof parseManifest>,
  loaded: LoadedRepo[],
  arch: string,
  policy: Policy | undefined,
): CheckResult {
  const packageRepos = new Set(loaded.map((l) => l.repo.name));
  const all = pool.list().filter((p) => packageRepos.has(p.repo));
  const byId = new Map(all.map((p) => [p.id, p]));
  const info = (id: number): PackageSummary => {
    const p = byId.get(id);
    if (!p) throw new Error(`solvable ${id} is not a repository package`);
    return p;
  };
  const resolver = new EntryResolver(pool, all);
  const findings: Finding[] = [];
  const layers: Layer[] = [];
  const addLayer = (
    id: string,
    kind: 'host' | 'node',
    parent: string | undefined,
    location: Layer['location'],
    entries: NonNullable<typeof manifest.host>['packages'],
  ) => {
    const layer: Layer = { id, kind, parent, ...(location && { location }), packages: [] };
    for (const entry of entries) {
      const p = resolver.resolve(entry);
      if (p) layer.packages.push({ id: p.id, entry: { text: entry.text, span: entry.span } });
      else findings.push(resolver.unknown(entry, id));
    }
    layers.push(layer);
  };
  addLayer(HOST, 'host', undefined, manifest.host?.span, manifest.host?.packages ?? []);
  for (const node of nodeOrder(manifest)) addLayer(node.alias, 'node', node.parent, node.span, node.packages);
  const family = new Family(layers);

  const examined = new Set(layers.flatMap((l) => l.packages.map((p) => p.id)));
  if (examined.size === 0 && findings.length === 0) {
    // A check that examined nothing proved nothing: an input error, never a pass.
    throw new InputError('nothing-examined', 'the family lists no package: nothing was proven', {
      file: manifest.file,
      expected: 'packages in the host or in at least one node',
    });
  }

  const add = (more: readonly Finding[]) => appendAll(findings, more);
  add(ancestorDuplicates(family, info));
  add(shareableDuplicates(family, info));
  add(installabilityFindings(pool, family, info));
  const fileCache = new Map<number, readonly string[]>();
  const files = (id: number) => {
    let f = fileCache.get(id);
    if (!f) {
      f = pool.solvable(id, { files: true }).files ?? [];
      fileCache.set(id, f);
    }
    return f;
  };
  const dirs = new Set<string>();
  for (const l of loaded) for (const d of l.dirs) dirs.add(d);
  add(fileConflicts(family, info, files, undefined, dirs));

  const subjects = layerSubjects(
    layers,
    info,
    FAMILY_RULES,
    (l) => (l.kind === 'node' ? l.id : undefined),
    factsReader(pool),
  );

  const result: CheckResult = {
    command: 'check',
    tool: { name: 'redproof', version: TOOL_VERSION, libsolv: engine.libsolvVersion },
    target: manifest.family,
    arch,
    subjects,
    findings,
    errors: [],
    repositories: repositoryInfos(loaded),
    rules: rulesFor('check')
      .filter((r) => FAMILY_RULES.includes(r.id))
      .map(toRuleMeta),
    stats: {
      packagesExamined: examined.size,
      nodes: manifest.nodes.length,
      repositoryPackages: all.length,
    },
  };
  return policy ? withPolicy(result, policy, familyPolicyNodes(policy, family, pool)) : result;
}
