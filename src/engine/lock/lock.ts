import { createHash } from 'node:crypto';
import type { Host } from '../../host/host.js';
import { HOST, type Manifest, parseManifest, type Request } from '../../load/manifest.js';
import type { LoadedRepo, RepoSpec, SolvCache } from '../../load/repository.js';
import type { CheckResult, Finding } from '../../model/finding.js';
import type { Policy } from '../../policy/rules-file/model.js';
import { rulesFor, toRuleMeta } from '../../rules/catalog.js';
import { type Engine, loadEngine, type PackageSummary, type Pool } from '../../solver/index.js';
import { familyPolicyNodes, withPolicy } from '../checks/policy.js';
import { repoFileFacts } from '../checks/repo-file-facts.js';
import { entryReason, Family, type Layer, layerSubjects } from '../family.js';
import { proveFamily } from '../family-check.js';
import { type HoistOutcome, hoistFamily } from '../hoist/hoist.js';
import { type HoistFlags, hoistOptOuts } from '../hoist/opt-outs.js';
import { commandPool, manifestRepoSpecs, modularCache } from '../manifest-repos.js';
import { EntryResolver } from '../resolve-entries.js';
import {
  CandidateView,
  type ModularCache,
  manifestHidden,
  readModularSource,
  type StreamLevel,
} from '../transaction/candidates.js';
import { TOOL_VERSION } from '../version.js';
import {
  expandKickstartEnvironment,
  groupConditionals,
  groupExpander,
  kickstartInput,
  repoComps,
} from './inputs.js';
import {
  LOCK_VERSION,
  type Lockfile,
  type LockNode,
  type LockOptions,
  type LockPackage,
  type LockRepo,
} from './lockfile.js';
import { type LockReason, type Resolution, type ResolveSettings, resolveFamily } from './resolve.js';

export interface LockRunOptions {
  manifestText: string;
  /** The manifest path as the user gave it (in messages and locations). */
  manifestFile: string;
  manifestAbsDir: string;
  /** The manifest's path relative to the lockfile's directory (recorded in the lock). */
  manifestFromLock: string;
  /** `--no-weak-deps` / `--no-best` (false), or undefined to follow the manifest. */
  weakDeps?: boolean;
  best?: boolean;
  arch?: string;
  strictArch?: boolean;
  noFilelists?: boolean;
  cache?: SolvCache;
  onProgress?: (message: string) => void;
  /** Extra inputs from the kickstart and comps (see ResolveSettings). */
  hostExtra?: Request[];
  hostExcludes?: Request[];
  group?: ResolveSettings['group'];
  /** `lock --update`: per layer, the locked NEVRAs to keep (see ResolveSettings.keep). */
  keep?: ResolveSettings['keep'];
  /** Reads a kickstart `%include` (absolute path); undefined when it does not exist. */
  readSync?: (absPath: string) => string | undefined;
  /**
   * A parsed policy (`check --policy` on a manifest with requests): RP040-RP046 on the resolved layers,
   * when no request was refused.
   */
  policy?: Policy;
  /** `--hoist` (true), `--no-hoist` (false); undefined follows the manifest's `hoist.enabled` (default off). */
  hoist?: boolean;
  /** `check --suggest-hoist`: plan the hoists and report them; the family is proven as resolved. */
  suggestHoist?: boolean;
  /** Opt-outs of the command line, added to the manifest's. */
  hoistFlags?: HoistFlags;
  /** Ids of packages to hide (instead of dnf's modular filtering), from the loaded repository packages. */
  hide?: (packages: readonly PackageSummary[], pool: Pool, loaded: readonly LoadedRepo[]) => Set<number>;
}

export interface LockRunOutput {
  result: CheckResult;
  /** Absent when a request was refused (the lock is then not written). */
  lock?: Lockfile;
  /** Kickstart files read (shown path → text), for code frames. */
  sources: Map<string, string>;
}

const CHECK_RULES = ['RP001', 'RP002', 'RP003', 'RP004', 'RP005', 'RP006', 'RP007'];
const REFUSALS = new Set(['RP006', 'RP050', 'RP051', 'RP052', 'RP053']);

/** `redproof lock`: resolves the requests of every layer, top-down, proves the result and builds the lock. */
export async function lockFamily(
  host: Host,
  options: LockRunOptions,
  engine?: Engine,
): Promise<LockRunOutput> {
  const manifest = parseManifest(options.manifestText, options.manifestFile);
  const e = engine ?? (await loadEngine());
  const arch = options.arch ?? manifest.arch;
  const specs = manifestRepoSpecs(manifest, options.manifestFile, options.manifestAbsDir);
  const { pool, loaded } = await commandPool(host, e, specs, arch, options);
  try {
    const read = await kickstartInput(
      host,
      manifest,
      options.manifestFile,
      options.manifestAbsDir,
      options.readSync ?? (() => undefined),
    );
    const groupAsked = [
      ...(manifest.host?.install ?? []),
      ...(read?.requests ?? []),
      ...manifest.nodes.flatMap((n) => n.install),
    ].some((r) => r.text.startsWith('@'));
    const comps = groupAsked ? await repoComps(host, specs) : undefined;
    const ks = read && expandKickstartEnvironment(read, comps);
    const names = new Set(loaded.map((l) => l.repo.name));
    const all = pool.list().filter((p) => names.has(p.repo));
    const hidden = options.hide
      ? options.hide(all, pool, loaded)
      : await layerHidden(host, specs, pool, manifest, all, ks?.modules, modularCache(e, options));
    const resolution = resolveFamily(pool, manifest, all, {
      ...(options.weakDeps !== undefined && { weakDeps: options.weakDeps }),
      ...(options.best !== undefined && { best: options.best }),
      hostExtra: [...(ks?.requests ?? []), ...(options.hostExtra ?? [])],
      hostExcludes: [...(ks?.excludes ?? []), ...(options.hostExcludes ?? [])],
      group: options.group ?? groupExpander(comps, arch, ks?.groupOptions),
      conditional: groupConditionals(comps, arch, ks?.groupOptions),
      ...(ks && { optional: ks.optional }),
      ...(ks?.noWeakDeps && { hostWeakDeps: false }),
      ...(hidden && { hidden }),
      ...(options.keep && { keep: options.keep }),
      ...(options.onProgress && { onProgress: options.onProgress }),
    });
    options.onProgress?.('proving the resolved family');
    return {
      ...build(pool, e, manifest, loaded, all, resolution, arch, options),
      sources: ks?.sources ?? new Map(),
    };
  } finally {
    pool.dispose();
  }
}

/** What dnf's modular filtering hides from each layer, computed before any layer is resolved. */
async function layerHidden(
  host: Host,
  specs: readonly RepoSpec[],
  pool: Pool,
  manifest: Manifest,
  all: readonly PackageSummary[],
  hostModules: StreamLevel | undefined,
  cache: ModularCache,
): Promise<(layer: string) => ReadonlySet<number>> {
  const view = new CandidateView(pool, all, await readModularSource(host, specs, cache));
  const of = manifestHidden(view, manifest, new EntryResolver(pool, all), hostModules);
  const sets = new Map([HOST, ...manifest.nodes.map((n) => n.alias)].map((id) => [id, of(id)]));
  return (layer) => sets.get(layer) ?? new Set();
}

function build(
  pool: Pool,
  engine: Engine,
  manifest: Manifest,
  loaded: LoadedRepo[],
  all: PackageSummary[],
  resolution: Resolution,
  arch: string,
  options: LockRunOptions,
): Omit<LockRunOutput, 'sources'> {
  const byId = new Map(all.map((p) => [p.id, p]));
  const info = (id: number): PackageSummary => {
    const p = byId.get(id);
    if (!p) throw new Error(`solvable ${id} is not a repository package`);
    return p;
  };
  const layers: Layer[] = resolution.layers.map((l) => ({
    id: l.id,
    kind: l.kind,
    parent: l.parent,
    ...(l.location && { location: l.location }),
    packages: l.packages.map((p) => (p.entry ? { id: p.id, entry: p.entry } : { id: p.id })),
  }));
  const findings: Finding[] = [...resolution.findings];
  const refused = findings.some((f) => REFUSALS.has(f.rule));
  const applied = !options.suggestHoist && (options.hoist ?? manifest.hoist?.enabled ?? false);
  let hoist: HoistOutcome | undefined;
  let proven = layers;
  // a refused layer is incomplete: proving it would only restate the refusal
  if (!refused) {
    const fileData = repoFileFacts(pool, loaded, info);
    const prove = (ls: Layer[]) => proveFamily(pool, new Family(ls), info, loaded, fileData);
    if (applied || options.suggestHoist) {
      hoist = hoistFamily(pool, layers, info, fileData, prove, {
        mode: applied ? 'applied' : 'plan',
        optOuts: hoistOptOuts(manifest, options.hoistFlags),
      });
    }
    if (applied && hoist) {
      proven = hoist.layers;
      findings.push(...(hoist.findings ?? prove(proven)));
    } else findings.push(...prove(layers));
  }
  const rules = [...rulesFor('check').filter((r) => CHECK_RULES.includes(r.id)), ...rulesFor('lock')].map(
    toRuleMeta,
  );
  const result: CheckResult = {
    command: 'lock',
    tool: { name: 'redproof', version: TOOL_VERSION, libsolv: engine.libsolvVersion },
    target: manifest.family,
    arch,
    subjects: layerSubjects(
      proven,
      info,
      rules.map((r) => r.id),
      (l) => (l.kind === 'node' ? l.id : undefined),
      undefined,
      (l, p) => {
        const from = applied ? hoist?.origins.get(l.id)?.get(p.id) : undefined;
        return from ? `hoisted from ${from.map((x) => `\`${x}\``).join(', ')}` : entryReason(l, p);
      },
    ),
    findings,
    errors: [],
    rules,
    stats: {
      packagesExamined: new Set(proven.flatMap((l) => l.packages.map((p) => p.id))).size,
      nodes: manifest.nodes.length,
      repositoryPackages: all.length,
    },
    ...(hoist && { hoist: hoist.report }),
  };
  if (refused) return { result };
  const family: LockOptions = {
    'weak-deps': options.weakDeps ?? manifest.options.weakDeps ?? true,
    best: options.best ?? manifest.options.best ?? true,
    ...(applied && { hoist: true as const }),
  };
  const reasons = new Map<string, LockReason>();
  for (const l of resolution.layers) for (const p of l.packages) reasons.set(`${l.id}\0${p.id}`, p.reason);
  const after = new Map(proven.map((l) => [l.id, l]));
  const nodes: LockNode[] = resolution.layers.map((l) => {
    const o = resolution.options.get(l.id)!;
    const differs = o.weakDeps !== family['weak-deps'] || o.best !== family.best;
    const hoisted = applied ? hoist?.origins.get(l.id) : undefined;
    const own = after.get(l.id)!.packages.map((p) => {
      const from = hoisted?.get(p.id);
      return from
        ? { id: p.id, reason: 'hoisted' as const, from }
        : { id: p.id, reason: reasons.get(`${l.id}\0${p.id}`)! };
    });
    return {
      alias: l.id,
      ...(l.parent !== undefined && { parent: l.parent }),
      requests: l.requests.map((r) => r.text),
      ...(differs && { options: { 'weak-deps': o.weakDeps, best: o.best } }),
      packages: lockPackages(pool, own),
    };
  });
  const lock: Lockfile = {
    'redproof-lock': LOCK_VERSION,
    family: manifest.family,
    arch,
    manifest: {
      path: options.manifestFromLock,
      sha256: createHash('sha256').update(options.manifestText).digest('hex'),
    },
    repos: lockRepos(manifest.repos.map((r, i) => ({ path: r.path, loaded: loaded[i]! }))),
    options: family,
    nodes,
  };
  return { result: policyApplied(result, options.policy, proven, pool), lock };
}

/** RP040-RP046 of `check --policy` on the layers as locked (hoisted when hoisting applied). */
function policyApplied(
  result: CheckResult,
  policy: Policy | undefined,
  layers: Layer[],
  pool: Pool,
): CheckResult {
  return policy ? withPolicy(result, policy, familyPolicyNodes(policy, new Family(layers), pool)) : result;
}

/** The lock entries of a layer's packages, sorted by NEVRA. */
export function lockPackages(
  pool: Pool,
  packages: readonly { id: number; reason: LockReason; from?: string[] }[],
): LockPackage[] {
  return packages
    .map((p) => {
      const s = pool.solvable(p.id);
      return {
        nevra: s.nevra,
        repo: s.repo,
        location: s.location ?? '',
        checksum: s.checksum ?? '',
        size: s.downloadSize,
        installedSize: s.installSize,
        ...(s.buildTime > 0 && { buildTime: s.buildTime }),
        sourcerpm: s.sourceRpm ?? '',
        license: s.license ?? '',
        reason: p.reason,
        ...(p.from && { from: p.from }),
      };
    })
    .sort((a, b) => (a.nevra < b.nevra ? -1 : a.nevra > b.nevra ? 1 : 0));
}

/** The repositories of a lock: the path as written, the revision and checksum of what was read. */
export function lockRepos(repos: readonly { path: string; loaded: LoadedRepo }[]): LockRepo[] {
  return repos.map(({ path, loaded }) => ({
    id: loaded.spec.id,
    path,
    ...(loaded.revision !== undefined && { revision: loaded.revision }),
    checksum: loaded.checksum,
  }));
}
