import type { Host } from '../host/host.js';
import { InputError, UsageError } from '../load/errors.js';
import { HOST, type Manifest, nodeOrder, parseManifest } from '../load/manifest.js';
import type { LoadedRepo, RepoSpec, SolvCache } from '../load/repository.js';
import type { CheckResult, Finding, ToolErrorInfo } from '../model/finding.js';
import type { Policy } from '../policy/rules-file/model.js';
import { rulesFor, toRuleMeta } from '../rules/catalog.js';
import { type Engine, loadEngine, type PackageSummary, type Pool } from '../solver/index.js';
import { appendAll } from '../util/append.js';
import { clip } from '../util/clip.js';
import { archProblem } from './arch.js';
import { ancestorDuplicates, shareableDuplicates } from './checks/duplicates.js';
import { fileConflicts } from './checks/file-conflicts.js';
import { installabilityFindings } from './checks/installability.js';
import { repoFileFacts } from './checks/repo-file-facts.js';
import { Family, type Layer, layerSubjects } from './family.js';
import { hoistFamily } from './hoist/hoist.js';
import { type HoistFlags, hoistOptOuts } from './hoist/opt-outs.js';
import { commandPool, manifestRepoSpecs, modularCache } from './manifest-repos.js';
import { factsReader, repositoryInfos } from './package-facts.js';
import { EntryResolver } from './resolve-entries.js';
import {
  CandidateView,
  type ModularSource,
  manifestHidden,
  readModularSource,
} from './transaction/candidates.js';
import { TOOL_VERSION } from './version.js';

export interface FamilyCheckOptions {
  manifestText: string;
  /** Already parsed (a lockfile read as a manifest): manifestText is then not parsed. */
  manifest?: Manifest;
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
  /** `--suggest-hoist`: the hoists `lock --hoist` would make, as a plan (with the command line's opt-outs). */
  suggestHoist?: HoistFlags;
}

const FAMILY_RULES = ['RP001', 'RP002', 'RP003', 'RP004', 'RP005', 'RP006', 'RP007'];

/** `redproof check`: proves every node of a family manifest (rules RP001 to RP007). */
export async function familyCheck(
  host: Host,
  options: FamilyCheckOptions,
  engine?: Engine,
): Promise<CheckResult> {
  const manifest = options.manifest ?? parseManifest(options.manifestText, options.manifestFile);
  const e = engine ?? (await loadEngine());
  const arch = options.arch ?? manifest.arch;
  const specs = [
    ...manifestRepoSpecs(manifest, options.manifestFile, options.manifestAbsDir),
    ...(options.extraRepos ?? []),
  ];
  const warnings: ToolErrorInfo[] = [];
  const { pool, loaded } = await commandPool(host, e, specs, arch, options, (pool) => {
    if (options.arch === undefined) return;
    const problem = archProblem(
      options.arch,
      pool.list().map((p) => p.arch),
    );
    if (problem) throw new UsageError(`check: ${problem}`);
    if (options.arch !== manifest.arch) {
      warnings.push({
        kind: 'arch-override',
        message: `--arch \`${clip(options.arch)}\` overrides the manifest's \`arch: ${manifest.arch}\``,
        file: manifest.file,
      });
    }
  });
  try {
    const modules = await readModularSource(host, specs, modularCache(e, options));
    options.onProgress?.('checking nodes');
    // the policy rules (and the SPDX libraries behind them) are loaded only for a run that has a policy
    const policy = options.policy && { policy: options.policy, rules: await import('./checks/policy.js') };
    return check(pool, e, manifest, loaded, arch, policy, warnings, modules, options.suggestHoist);
  } finally {
    pool.dispose();
  }
}

/** The rules of `check` (RP001-RP005, RP007) over a family resolved to solvables. */
export function proveFamily(
  pool: Pool,
  family: Family,
  info: (id: number) => PackageSummary,
  loaded: readonly LoadedRepo[],
  /** The file lists and facts when already read (hoisting reads them first). */
  fileData: ReturnType<typeof repoFileFacts> = repoFileFacts(pool, loaded, info),
): Finding[] {
  const findings: Finding[] = [];
  const add = (more: readonly Finding[]) => appendAll(findings, more);
  add(ancestorDuplicates(family, info));
  add(shareableDuplicates(family, info));
  add(installabilityFindings(pool, family, info));
  const { shared, facts } = fileData;
  add(fileConflicts(family, info, shared, facts));
  return findings;
}

function check(
  pool: Pool,
  engine: Engine,
  manifest: ReturnType<typeof parseManifest>,
  loaded: LoadedRepo[],
  arch: string,
  policy: { policy: Policy; rules: typeof import('./checks/policy.js') } | undefined,
  warnings: ToolErrorInfo[],
  modules: ModularSource | undefined,
  suggestHoist?: HoistFlags,
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
  // a name entry is what `dnf install NAME` would take: modular filtering applies, with the layer's streams
  const hidden = manifestHidden(new CandidateView(pool, all, modules), manifest, resolver);
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
      const h = entry.kind === 'name' ? hidden(id) : undefined;
      const p = resolver.resolve(entry, h);
      if (p) layer.packages.push({ id: p.id, entry: { text: entry.text, span: entry.span } });
      else findings.push(resolver.unknown(entry, id, h));
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

  const otherArches = entriesOfOtherArches(findings, all, arch);
  if (otherArches) warnings.push({ ...otherArches, file: manifest.file });

  const fileData = repoFileFacts(pool, loaded, info);
  appendAll(findings, proveFamily(pool, family, info, loaded, fileData));
  const hoist =
    suggestHoist &&
    hoistFamily(
      pool,
      layers,
      info,
      fileData,
      (ls) => proveFamily(pool, new Family(ls), info, loaded, fileData),
      { mode: 'plan', optOuts: hoistOptOuts(manifest, suggestHoist) },
    ).report;

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
    ...(warnings.length > 0 && { warnings }),
    repositories: repositoryInfos(loaded),
    rules: rulesFor('check')
      .filter((r) => FAMILY_RULES.includes(r.id))
      .map(toRuleMeta),
    stats: {
      packagesExamined: examined.size,
      nodes: manifest.nodes.length,
      repositoryPackages: all.length,
    },
    ...(hoist && { hoist }),
  };
  if (!policy) return result;
  const { withPolicy, familyPolicyNodes } = policy.rules;
  return withPolicy(result, policy.policy, familyPolicyNodes(policy.policy, family, pool));
}

/**
 * Said once, up front, when manifest entries name packages the repositories have only for arches the
 * target does not accept (`--arch aarch64` over x86_64 packages): the RP006 of those entries, and the
 * RP001 of the requirements they would have met, all follow from the arch.
 */
function entriesOfOtherArches(
  findings: readonly Finding[],
  all: readonly PackageSummary[],
  arch: string,
): Omit<ToolErrorInfo, 'file'> | undefined {
  const archesOf = new Map<string, Set<string>>();
  for (const p of all) {
    if (p.installable) continue;
    const set = archesOf.get(p.name) ?? new Set<string>();
    archesOf.set(p.name, set);
    set.add(p.arch);
  }
  const entries = new Set<string>();
  const arches = new Set<string>();
  for (const f of findings) {
    if (f.rule !== 'RP006' || f.entry === undefined) continue;
    const name = f.entry.replace(/\.[^.]+$/, '');
    const other = archesOf.get(f.entry) ?? archesOf.get(name);
    if (!other) continue;
    entries.add(f.entry);
    for (const a of other) arches.add(a);
  }
  if (entries.size === 0) return undefined;
  const list = [...entries].sort();
  return {
    kind: 'arch-mismatch',
    message: `${list.length} ${list.length === 1 ? 'entry exists' : 'entries exist'} only for ${[...arches]
      .sort()
      .map((a) => `\`${clip(a)}\``)
      .join(', ')}, which the target arch \`${arch}\` does not accept: ${list
      .slice(0, 8)
      .map((e) => `\`${clip(e)}\``)
      .join(
        ', ',
      )}${list.length > 8 ? ', ...' : ''}; the RP006 findings of these entries, and the RP001 findings of what they would provide, follow from the arch`,
  };
}
