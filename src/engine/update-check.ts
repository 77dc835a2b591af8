import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import type { Host } from '../host/host.js';
import { UsageError } from '../load/errors.js';
import { HOST, nodeOrder, parseManifest } from '../load/manifest.js';
import type { LoadedRepo, RepoSpec, SolvCache } from '../load/repository.js';
import type { CheckResult, EvidenceStep, Finding, Subject } from '../model/finding.js';
import { fingerprint } from '../policy/fingerprint.js';
import { globMatch } from '../policy/glob.js';
import type { Policy } from '../policy/rules-file/model.js';
import { ruleHelp, ruleMessage, rulesFor, toRuleMeta } from '../rules/catalog.js';
import {
  type Advisory,
  type Engine,
  type Job,
  JobFlag,
  job,
  loadEngine,
  type PackageSummary,
  type Pool,
  type Problem,
  TransactionType,
} from '../solver/index.js';
import { appendAll } from '../util/append.js';
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';
import { archProblem } from './arch.js';
import { ancestorDuplicates, shareableDuplicates } from './checks/duplicates.js';
import { fileConflicts } from './checks/file-conflicts.js';
import { installabilityFindings } from './checks/installability.js';
import { familyPolicyNodes, withPolicy } from './checks/policy.js';
import { repoFileFacts } from './checks/repo-file-facts.js';
import { primaryRule, problemEvidence } from './explain.js';
import { entryReason, Family, type Layer } from './family.js';
import { type ImageNotices, withNotices } from './image-notices.js';
import { lockPackages, lockRepos } from './lock/lock.js';
import { LOCK_VERSION, type Lockfile } from './lock/lockfile.js';
import { commandPool, manifestRepoSpecs, modularCache } from './manifest-repos.js';
import { factsReader, repositoryInfos } from './package-facts.js';
import { EntryResolver } from './resolve-entries.js';
import {
  CandidateView,
  excludedBy,
  layerExcludes,
  layerOptions,
  manifestHidden,
  readModularSource,
} from './transaction/candidates.js';
import { INSTALL_SELECTION, installJobs, NodeSystem } from './transaction/node-transaction.js';
import { type BestRefusal, type BestRequest, bestRefusals, isJobRule } from './update/best-refusal.js';
import {
  type BlastRadius,
  type NodePlan,
  PLAN_SCHEMA_VERSION,
  type PlanAdvisory,
  type PlanStep,
  sortSteps,
  type UpdatePlan,
} from './update/plan.js';
import { TOOL_VERSION } from './version.js';

/** The change to prove (the options of `redproof update-check`). */
export interface UpdateChange {
  upgradeAll?: boolean;
  /** `--upgrade NODE[=PATTERN]`: the node's own packages (matching the glob PATTERN on names). */
  upgrade?: { node: string; pattern?: string }[];
  /** `--install NODE=PKG`: a name, `name.arch`, NEVRA or provide. */
  install?: { node: string; package: string }[];
  /** `--remove NODE=PKG`: a name, glob or NEVRA of a package of the node itself. */
  remove?: { node: string; package: string }[];
  /** Upgrade only to packages named by security advisories (like `dnf upgrade --security`). */
  securityOnly?: boolean;
  /** Upgrade only to packages named by these advisories. */
  advisories?: string[];
}

export interface UpdateCheckOptions {
  manifestText: string;
  manifestFile: string;
  manifestAbsDir: string;
  /** The candidate repositories (`--to ID=PATH`); the manifest's stay available. */
  to: RepoSpec[];
  change: UpdateChange;
  arch?: string;
  strictArch?: boolean;
  noFilelists?: boolean;
  cache?: SolvCache;
  onProgress?: (message: string) => void;
  /** A parsed policy file (`--policy`): RP040-RP046 on the family after the change. */
  policy?: Policy;
  /** `--write-lock`: also build the lock of the family after a proven plan (manifest path seen from the lock). */
  writeLock?: { manifestFromLock: string };
  /**
   * What reading an image state reported (`imageStateManifest`): its warnings are in every report, as
   * `audit` shows them; its errors (a node that cannot be examined) fail the run.
   */
  notices?: ImageNotices;
  /** `--no-best` (false): wins over the manifest's `best`, family-wide and per node. */
  best?: boolean;
  /** `--no-weak-deps` (false): wins over the manifest's `weak-deps`, family-wide and per node. */
  weakDeps?: boolean;
}

export interface UpdateCheckOutput {
  result: CheckResult;
  plan: UpdatePlan;
  /** With writeLock, when the plan is proven. */
  lock?: Lockfile;
}

const CHECK_RULES = ['RP001', 'RP002', 'RP003', 'RP004', 'RP005', 'RP006', 'RP007'];
const UPDATE_RULES = ['RP020', 'RP021', 'RP022', 'RP023', 'RP024'];

/**
 * `redproof update-check`: computes, top-down, the transaction red-pak's package manager would make in
 * every node touched by the change (ancestors installed and locked, the node's own packages installed
 * and free), then proves the resulting family with the rules of `check` plus RP020-RP023.
 */
export async function updateCheck(
  host: Host,
  options: UpdateCheckOptions,
  engine?: Engine,
): Promise<UpdateCheckOutput> {
  const manifest = parseManifest(options.manifestText, options.manifestFile);
  const e = engine ?? (await loadEngine());
  const arch = options.arch ?? manifest.arch;
  const stateSpecs = manifestRepoSpecs(manifest, options.manifestFile, options.manifestAbsDir);
  const ids = new Set(stateSpecs.map((s) => s.id));
  for (const spec of options.to) {
    if (ids.has(spec.id)) throw new UsageError(`--to: repository id \`${clip(spec.id)}\` is used twice`);
    ids.add(spec.id);
  }
  const { pool, loaded } = await commandPool(
    host,
    e,
    [...stateSpecs, ...options.to],
    arch,
    options,
    (pool) => {
      const archIssue =
        options.arch === undefined
          ? undefined
          : archProblem(
              options.arch,
              pool.list().map((p) => p.arch),
            );
      if (archIssue) throw new UsageError(`update-check: ${archIssue}`);
    },
  );
  const state = loaded.slice(0, stateSpecs.length);
  const candidates = loaded.slice(stateSpecs.length);
  try {
    // what dnf's modular filtering hides from each layer, from the modules.yaml of the state and
    // candidate repositories; the state's entries resolve against the state's repositories only
    const names = new Set([...state, ...candidates].map((l) => l.repo.name));
    const stateNames = new Set(state.map((l) => l.repo.name));
    const all = pool.list().filter((p) => names.has(p.repo));
    const view = new CandidateView(
      pool,
      all,
      await readModularSource(host, [...stateSpecs, ...options.to], modularCache(e, options)),
    );
    const of = manifestHidden(
      view,
      manifest,
      new EntryResolver(
        pool,
        all.filter((p) => stateNames.has(p.repo)),
      ),
    );
    const sets = new Map([HOST, ...manifest.nodes.map((n) => n.alias)].map((id) => [id, of(id)]));
    const hidden = (layer: string): ReadonlySet<number> => sets.get(layer) ?? new Set();
    options.onProgress?.('computing node transactions');
    const run = new Run(
      pool,
      e,
      manifest,
      state,
      candidates,
      options.change,
      arch,
      hidden,
      options.onProgress,
      options.best,
      options.weakDeps,
    );
    if (options.writeLock) {
      run.lockMeta = {
        manifestFromLock: options.writeLock.manifestFromLock,
        sha256: createHash('sha256').update(options.manifestText).digest('hex'),
        manifestAbsDir: options.manifestAbsDir,
      };
    }
    const out = run.run(options.policy);
    return options.notices ? { ...out, result: withNotices(out.result, options.notices) } : out;
  } finally {
    pool.dispose();
  }
}

interface Changed {
  layer: string;
  step: PlanStep;
  /** The package that left the layer (upgrade, downgrade, erase, obsoleted), as a solvable id. */
  old?: number;
  /** The package that entered the layer (install, upgrade, downgrade, obsoleting), as a solvable id. */
  neu?: number;
}

class Run {
  readonly findings: Finding[] = [];
  lockMeta: { manifestFromLock: string; sha256: string; manifestAbsDir: string } | undefined;
  readonly #info: (id: number) => PackageSummary;
  readonly #byId: Map<number, PackageSummary>;
  readonly #byName = new Map<string, PackageSummary[]>();
  readonly #advisories: Advisory[];
  readonly #before: Family;
  readonly #after = new Map<string, number[]>();
  readonly #changed: Changed[] = [];
  readonly #plans = new Map<string, NodePlan>();
  readonly #heldBack = new Map<string, Set<number>>();
  /** What `#visibleTo` gives the last layer a best candidate was named in (one set per layer, not per finding). */
  #mayTake: { layer: string; ids: ReadonlySet<number> | undefined } | undefined;
  /** Layers whose transaction failed because `best` refused a candidate (RP024); the others are RP022. */
  readonly #failedBy = new Map<string, 'RP024'>();
  #copyRange = { first: 0, end: 0 };
  readonly #all: readonly PackageSummary[];

  constructor(
    readonly pool: Pool,
    readonly engine: Engine,
    readonly manifest: ReturnType<typeof parseManifest>,
    readonly state: LoadedRepo[],
    readonly candidates: LoadedRepo[],
    readonly change: UpdateChange,
    readonly arch: string,
    readonly hidden: (layer: string) => ReadonlySet<number>,
    readonly progress: (message: string) => void = () => {},
    readonly bestOverride?: boolean,
    readonly weakDepsOverride?: boolean,
  ) {
    const packageRepos = new Set([...state, ...candidates].map((l) => l.repo.name));
    const all = pool.list().filter((p) => packageRepos.has(p.repo));
    this.#byId = new Map(all.map((p) => [p.id, p]));
    for (const p of all) {
      const list = this.#byName.get(p.name) ?? [];
      list.push(p);
      this.#byName.set(p.name, list);
    }
    this.#all = all;
    this.#info = (id: number) => {
      const p = this.#byId.get(id);
      if (!p) throw new Error(`solvable ${id} is not a repository package`);
      return p;
    };
    const seen = new Set<string>();
    this.#advisories = [];
    for (const l of [...candidates, ...state]) {
      if (!l.updateinfo) continue;
      for (const a of pool.advisories(l.updateinfo)) {
        // one id may name several updates (dnf's fixtures do): the same id in two repos is one advisory
        const key = `${a.id}\0${a.type}\0${a.packages.map((k) => `${k.name}-${k.evr}.${k.arch}`).join(' ')}`;
        if (seen.has(key)) continue;
        seen.add(key);
        this.#advisories.push(a);
      }
    }
    this.#advisories.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.solvable - b.solvable));
    // The state resolves against the state's own repositories only.
    const stateRepos = new Set(state.map((l) => l.repo.name));
    const resolver = new EntryResolver(
      pool,
      all.filter((p) => stateRepos.has(p.repo)),
    );
    const layers: Layer[] = [];
    const addLayer = (
      id: string,
      kind: 'host' | 'node',
      parent: string | undefined,
      location: Layer['location'],
      entries: NonNullable<(typeof manifest)['host']>['packages'],
    ) => {
      const layer: Layer = { id, kind, parent, ...(location && { location }), packages: [] };
      for (const entry of entries) {
        const p = resolver.resolve(entry, hidden(id));
        if (p) layer.packages.push({ id: p.id, entry: { text: entry.text, span: entry.span } });
        else this.findings.push(resolver.unknown(entry, id, hidden(id)));
      }
      layers.push(layer);
    };
    addLayer(HOST, 'host', undefined, manifest.host?.span, manifest.host?.packages ?? []);
    for (const node of nodeOrder(manifest))
      addLayer(node.alias, 'node', node.parent, node.span, node.packages);
    this.#before = new Family(layers);
    this.#validateChange();
  }

  #validateChange(): void {
    const known = new Set(this.#before.layers.map((l) => l.id));
    const check = (node: string, option: string) => {
      if (!known.has(node)) {
        throw new UsageError(
          `${option}: unknown node \`${clip(node)}\`; nodes of this family: ${clip([...known].join(', '), CLIP_TEXT_LENGTH)}`,
        );
      }
    };
    for (const u of this.change.upgrade ?? []) check(u.node, '--upgrade');
    for (const i of this.change.install ?? []) check(i.node, '--install');
    for (const r of this.change.remove ?? []) check(r.node, '--remove');
    const ids = new Set(this.#advisories.map((a) => a.id));
    for (const a of this.change.advisories ?? []) {
      if (!ids.has(a))
        throw new UsageError(`--advisory: no advisory \`${clip(a)}\` in the repositories' updateinfo`);
    }
  }

  run(policy?: Policy): UpdateCheckOutput {
    for (const layer of this.#before.layers) {
      this.progress(`transaction of ${layer.id}`);
      this.#solveLayer(layer);
    }
    this.pool.refresh();
    // where each resulting package was asked for: its own entry, or the entry of the package it replaced
    const replacedBy = new Map<string, number>();
    for (const c of this.#changed) {
      if (c.neu !== undefined && c.old !== undefined) replacedBy.set(`${c.layer}\0${c.neu}`, c.old);
    }
    const afterLayers: Layer[] = this.#before.layers.map((l) => {
      const entries = new Map(l.packages.map((p) => [p.id, p.entry]));
      return {
        id: l.id,
        kind: l.kind,
        parent: l.parent,
        ...(l.location && { location: l.location }),
        packages: (this.#after.get(l.id) ?? []).map((id) => {
          const old = replacedBy.get(`${l.id}\0${id}`);
          const entry = entries.get(id) ?? (old !== undefined ? entries.get(old) : undefined);
          return entry ? { id, entry } : { id };
        }),
      };
    });
    const after = new Family(afterLayers);
    this.progress('proving the resulting family');
    const proof = this.#prove(after);
    this.progress('attributing findings');
    appendAll(this.findings, this.#attribute(proof, after));
    this.progress('blast radius');
    const blast = this.#blastRadius(after);
    this.progress('advisories and reports');
    const proven = this.#result(after);
    const result = policy ? withPolicy(proven, policy, familyPolicyNodes(policy, after, this.pool)) : proven;
    const plan = this.#plan(blast, result);
    if (!this.lockMeta || !plan.proven) return { result, plan };
    return { result, plan, lock: this.#lock(after) };
  }

  /** The lock of the family after the change: each layer's packages, those of its manifest entries requested. */
  #lock(after: Family): Lockfile {
    const m = this.manifest;
    const requests = new Map<string, string[]>([
      [HOST, (m.host?.install ?? []).map((r) => r.text)],
      ...m.nodes.map((n) => [n.alias, n.install.map((r) => r.text)] as [string, string[]]),
    ]);
    const family = {
      'weak-deps': this.weakDepsOverride ?? m.options.weakDeps ?? true,
      best: this.bestOverride ?? m.options.best ?? true,
    };
    const differs = (layer: string) => {
      const o = this.#options(layer);
      return o.weakDeps !== family['weak-deps'] || o.best !== family.best;
    };
    return {
      'redproof-lock': LOCK_VERSION,
      family: m.family,
      arch: this.arch,
      manifest: { path: this.lockMeta!.manifestFromLock, sha256: this.lockMeta!.sha256 },
      repos: lockRepos([
        ...this.state.map((l, i) => ({ path: m.repos[i]?.path ?? l.spec.path, loaded: l })),
        // a candidate repository as the manifest would write it: relative to the manifest
        ...this.candidates.map((l) => ({
          path: relative(this.lockMeta!.manifestAbsDir, l.spec.absPath) || '.',
          loaded: l,
        })),
      ]),
      options: family,
      nodes: after.layers.map((l) => ({
        alias: l.id,
        ...(l.parent !== undefined && { parent: l.parent }),
        requests: requests.get(l.id) ?? [],
        // a layer resolved with other options than the family's says so, as `lock` writes it
        ...(differs(l.id) && {
          options: { 'weak-deps': this.#options(l.id).weakDeps, best: this.#options(l.id).best },
        }),
        packages: lockPackages(
          this.pool,
          l.packages.map((p) => ({
            id: p.id,
            reason: p.entry ? ('requested' as const) : ('dependency' as const),
          })),
        ),
      })),
    };
  }

  // ---- per-node transactions -------------------------------------------------------------------

  #targeted(layer: string): boolean {
    const c = this.change;
    return (
      c.upgradeAll === true ||
      ((c.securityOnly || (c.advisories?.length ?? 0) > 0) &&
        !c.upgrade?.length &&
        !c.install?.length &&
        !c.remove?.length) ||
      (c.upgrade ?? []).some((u) => u.node === layer) ||
      (c.install ?? []).some((u) => u.node === layer) ||
      (c.remove ?? []).some((u) => u.node === layer)
    );
  }

  /** Upgrades restricted to advisory packages? Then the allowed advisories. */
  #advisoryFilter(): Advisory[] | undefined {
    const c = this.change;
    if (!c.securityOnly && !(c.advisories?.length ?? 0)) return undefined;
    return this.#advisories.filter(
      (a) =>
        (!c.securityOnly || a.type === 'security') && (!c.advisories?.length || c.advisories.includes(a.id)),
    );
  }

  /** Names of the node's own packages that the change asks to upgrade (undefined: no upgrade). */
  #upgradePatterns(layer: string): string[] | undefined {
    const c = this.change;
    const advisoryOnly =
      (c.securityOnly || (c.advisories?.length ?? 0) > 0) &&
      !c.upgrade?.length &&
      !c.install?.length &&
      !c.remove?.length;
    if (c.upgradeAll || advisoryOnly) return ['*'];
    const mine = (c.upgrade ?? []).filter((u) => u.node === layer);
    if (!mine.length) return undefined;
    return mine.map((u) => u.pattern ?? '*');
  }

  /**
   * The repository packages the layer may take: not hidden by modular filtering, not excluded by the
   * manifest's `exclude:` (family-wide and the layer's); undefined: all of them.
   */
  #visibleTo(layer: string): number[] | undefined {
    const hidden = this.hidden(layer);
    const excluded = excludedBy(layerExcludes(this.manifest, layer), this.#all);
    if (!hidden.size && !excluded.size) return undefined;
    return this.#all.filter((p) => !hidden.has(p.id) && !excluded.has(p.id)).map((p) => p.id);
  }

  /** The layer's `weak-deps` and `best` (the manifest's, `--no-weak-deps` and `--no-best` winning). */
  #options(layer: string): { weakDeps: boolean; best: boolean } {
    const o = layerOptions(this.manifest, layer);
    return { weakDeps: this.weakDepsOverride ?? o.weakDeps, best: this.bestOverride ?? o.best };
  }

  #solveLayer(layer: Layer): void {
    const own = layer.packages.map((p) => p.id);
    const plan: NodePlan = {
      node: layer.id,
      ...(layer.parent !== undefined && { parent: layer.parent }),
      status: 'unchanged',
      transaction: [],
      advisories: [],
      notReceived: [],
    };
    this.#plans.set(layer.id, plan);
    if (!this.#targeted(layer.id)) {
      this.#after.set(layer.id, [...new Set(own)]);
      return;
    }
    const ancestors: number[] = [];
    const ancestorOwner = new Map<number, string>();
    for (const a of this.#before.ancestors(layer.id)) {
      for (const id of this.#after.get(a) ?? []) {
        if (!ancestorOwner.has(id)) {
          ancestorOwner.set(id, a);
          ancestors.push(id);
        }
      }
    }
    const ownIds = [...new Set(own)];
    const pool = this.pool;
    // modular filtering: hidden packages are out of the provider index, so no upgrade or install aims at them
    const sys = new NodeSystem(pool, layer.id, ownIds, ancestors, this.#visibleTo(layer.id));
    try {
      const first = sys.first;
      this.#copyRange = { first, end: sys.end };
      const toOrig = (copy: number) => sys.toOrig(copy);
      const isAncestorCopy = (copy: number) => sys.isAncestorCopy(copy);
      this.progress(
        `installed system of ${layer.id}: ${ownIds.length} own and ${ancestors.length} ancestor packages`,
      );
      const reasons = new Map<number, string>();
      const failures: { text: string; problems?: Problem[] }[] = [];
      const filter = this.#advisoryFilter();
      const patterns = this.#upgradePatterns(layer.id);
      const { weakDeps, best } = this.#options(layer.id);
      // each request with its jobs as `best` forces them and as `--no-best` leaves them (dnf ORs
      // SOLVER_FORCEBEST into every job of the goal with best=True: libdnf Goal::Impl::constructJob)
      const requests: BestRequest[] = [];
      const upgraded: number[] = []; // own copies asked to be upgraded
      if (patterns) {
        ownIds.forEach((id, i) => {
          const p = this.#info(id);
          if (patterns.some((g) => globMatch(g, p.name))) upgraded.push(sys.ownCopy(i));
        });
        if (!filter) {
          for (const c of upgraded) {
            const j = job.update(c);
            requests.push({ kind: 'upgrade', copy: c, forced: [forceBest(j)], relaxed: [j] });
          }
        } else {
          for (const c of upgraded) {
            const target = this.#advisoryTarget(toOrig(c)!, filter);
            if (!target) continue;
            // without best, weak like dnf upgrade --security with best=False: an advisory package that
            // cannot go in is skipped; with best, dnf fails the upgrade
            const j = job.install(target.id);
            requests.push({
              kind: 'upgrade',
              copy: c,
              target: target.id,
              forced: [j],
              relaxed: [{ how: j.how | JobFlag.WEAK, what: j.what }],
            });
            reasons.set(target.id, `advisory ${target.advisory}`);
          }
        }
      }
      for (const inst of (this.change.install ?? []).filter((x) => x.node === layer.id)) {
        const found = installJobs(pool, inst.package, this.#byId.values());
        if (!found) {
          failures.push({ text: `no package matches \`${clip(inst.package)}\`` });
          continue;
        }
        const matches = pool.select(inst.package, INSTALL_SELECTION).filter((id) => this.#byId.has(id));
        requests.push({
          kind: 'install',
          request: inst.package,
          matches: matches.length ? matches : found.map((j) => j.what),
          forced: found.map(forceBest),
          relaxed: found,
        });
      }
      const erasures: Job[] = [];
      for (const rem of (this.change.remove ?? []).filter((x) => x.node === layer.id)) {
        const hits: number[] = [];
        ownIds.forEach((id, i) => {
          const p = this.#info(id);
          if (globMatch(rem.package, p.name) || rem.package === p.nevra) hits.push(sys.ownCopy(i));
        });
        if (!hits.length) {
          const inAncestor = ancestors.find((id) => {
            const p = this.#info(id);
            return globMatch(rem.package, p.name) || rem.package === p.nevra;
          });
          failures.push({
            text:
              inAncestor !== undefined
                ? `\`${rem.package}\` is not installed in \`${layer.id}\`: \`${this.#info(inAncestor).nevra}\` lives in ancestor \`${ancestorOwner.get(inAncestor)}\`, which red-pak refuses to change from \`${layer.id}\``
                : `\`${rem.package}\` is not installed in \`${layer.id}\``,
          });
          continue;
        }
        for (const h of hits) erasures.push(job.erase(h));
      }
      if (failures.length) {
        for (const f of failures) this.#rp022(layer, f.text, []);
        plan.status = 'failed';
        this.#after.set(layer.id, ownIds);
        return;
      }
      const jobs = [...requests.flatMap((r) => (best ? r.forced : r.relaxed)), ...erasures];
      if (!jobs.length) {
        this.#after.set(layer.id, ownIds);
        this.#probeHeldBack(layer, upgraded, toOrig, isAncestorCopy, ancestorOwner, filter);
        return;
      }
      const solveOptions = { ignoreRecommended: !weakDeps };
      const { problems, transaction } = sys.solve(jobs, solveOptions);
      this.progress(`solved ${layer.id}: ${transaction.length} steps, ${problems.length} problems`);
      if (problems.length) {
        plan.status = 'failed';
        this.#after.set(layer.id, ownIds);
        // dnf stops the same way; when --no-best would go through, say which best candidate is refused
        const relaxed = best
          ? sys.solve([...requests.flatMap((r) => r.relaxed), ...erasures], solveOptions)
          : undefined;
        const refusals =
          relaxed && !relaxed.problems.length
            ? bestRefusals(sys, requests, problems, relaxed, {
                ...solveOptions,
                isRepoPackage: (id) => this.#byId.has(id),
              })
            : [];
        const refused = new Set(
          refusals.filter((r) => this.#rp024(layer, sys, r, ancestorOwner)).map((r) => r.request),
        );
        let left = problems;
        if (refused.size) {
          this.#failedBy.set(layer.id, 'RP024');
          // what else fails once the refused requests are left to --no-best (best candidates that only
          // fail together, or another problem) is one more finding
          left = sys.solve(
            [...requests.flatMap((r) => (refused.has(r) ? r.relaxed : r.forced)), ...erasures],
            solveOptions,
          ).problems;
        }
        if (left.length) this.#rp022(layer, primaryRule(left)?.text ?? 'no solution', left);
        return;
      }
      const result = new Set(ownIds);
      const steps: PlanStep[] = [];
      const requested = new Set(jobs.map((j) => j.what));
      const installed = (this.change.install ?? []).filter((x) => x.node === layer.id).map((x) => x.package);
      const why = (newId: number, oldCopy?: number): string => {
        if (reasons.has(newId)) return reasons.get(newId)!;
        if (oldCopy !== undefined && upgraded.includes(oldCopy))
          return this.change.upgradeAll ? 'upgrade-all' : 'upgrade';
        if (requested.has(newId)) return 'requested';
        const n = this.#info(newId);
        if (installed.some((x) => x === n.name || x === n.nevra || x === `${n.name}.${n.arch}`))
          return 'requested';
        return 'dependency';
      };
      const { entering, leaving } = sys.changes(transaction, (id) => this.#byId.has(id));
      // packages entering the node first (each names the installed package it replaces, if any)
      for (const t of entering) {
        result.add(t.id);
        if (t.old !== undefined && t.oldCopy !== undefined) {
          result.delete(t.old);
          const o = this.#info(t.old);
          const n = this.#info(t.id);
          let action: PlanStep['action'];
          if (t.type === TransactionType.DOWNGRADE) action = 'downgrade';
          else if (t.type === TransactionType.OBSOLETES || o.name !== n.name) action = 'obsoleted';
          else action = 'upgrade';
          const step: PlanStep = { action, package: o.nevra, to: n.nevra, reason: why(t.id, t.oldCopy) };
          steps.push(step);
          this.#changed.push({ layer: layer.id, step, old: t.old, neu: t.id });
        } else {
          const step: PlanStep = { action: 'install', package: this.#info(t.id).nevra, reason: why(t.id) };
          steps.push(step);
          this.#changed.push({ layer: layer.id, step, neu: t.id });
        }
      }
      // then installed packages leaving it: erased, or replaced by a package that replaces several
      for (const t of leaving) {
        const orig = t.orig;
        result.delete(orig);
        const by = t.by;
        const step: PlanStep =
          t.type === TransactionType.ERASE || by === undefined
            ? {
                action: 'erase',
                package: this.#info(orig).nevra,
                reason: requested.has(t.copy) ? 'requested' : 'dependency',
              }
            : {
                action:
                  t.type === TransactionType.DOWNGRADED
                    ? 'downgrade'
                    : t.type === TransactionType.UPGRADED
                      ? 'upgrade'
                      : 'obsoleted',
                package: this.#info(orig).nevra,
                to: this.#info(by).nevra,
                reason: why(by, t.copy),
              };
        steps.push(step);
        this.#changed.push({ layer: layer.id, step, old: orig, ...(by !== undefined && { neu: by }) });
      }
      plan.transaction = sortSteps(steps);
      plan.status = steps.length ? 'changed' : 'unchanged';
      this.#after.set(layer.id, [...result]);
      this.#probeHeldBack(layer, upgraded, toOrig, isAncestorCopy, ancestorOwner, filter, result);
    } finally {
      // the provider index is rebuilt by the next node, or once after the last one (run())
      sys.dispose();
    }
  }

  /** The best advisory package that upgrades (same name, or obsoleting) an own package. */
  #advisoryTarget(orig: number, filter: Advisory[]): { id: number; advisory: string } | undefined {
    const p = this.#info(orig);
    let best: { id: number; advisory: string; evr: string } | undefined;
    for (const a of filter) {
      for (const k of a.packages) {
        if (k.name !== p.name) continue;
        if (k.arch !== p.arch && k.arch !== 'noarch' && p.arch !== 'noarch') continue;
        if (this.pool.evrcmp(k.evr, p.evr) <= 0) continue;
        const cand = (this.#byName.get(k.name) ?? []).find((c) => c.evr === k.evr && c.arch === k.arch);
        if (!cand) continue;
        if (!best || this.pool.evrcmp(k.evr, best.evr) > 0)
          best = { id: cand.id, advisory: a.id, evr: k.evr };
      }
    }
    if (best) return { id: best.id, advisory: best.advisory };
    // renames: an advisory package that obsoletes this one
    for (const a of filter) {
      for (const k of a.packages) {
        const cand = (this.#byName.get(k.name) ?? []).find((c) => c.evr === k.evr && c.arch === k.arch);
        if (!cand || cand.name === p.name) continue;
        const obs = this.pool.solvable(cand.id).obsoletes;
        if (obs.some((d) => this.pool.whatProvides(d).includes(orig) && d.split(' ')[0] === p.name))
          return { id: cand.id, advisory: a.id };
      }
    }
    return undefined;
  }

  /**
   * RP023: an own package the change asked to upgrade, with a newer version available, still old. It is
   * held back by an ancestor when the newer version requires a capability that only another version of
   * a (locked) ancestor package provides, or conflicts with an ancestor package. No extra solve: the
   * dependencies of the newer version are read while the node's installed system is in the pool.
   */
  #probeHeldBack(
    layer: Layer,
    upgraded: number[],
    toOrig: (copy: number) => number | undefined,
    isAncestorCopy: (copy: number) => boolean,
    ancestorOwner: Map<number, string>,
    filter: Advisory[] | undefined,
    result?: Set<number>,
  ): void {
    const held = new Set<number>();
    this.#heldBack.set(layer.id, held);
    const installed = (id: number) => toOrig(id) !== undefined;
    // names of the ancestors' packages -> their installed copies
    const ancestorByName = new Map<string, number>();
    for (const copy of upgraded.length ? this.#ancestorCopies(toOrig, isAncestorCopy) : []) {
      ancestorByName.set(this.#info(toOrig(copy)!).name, copy);
    }
    for (const copy of upgraded) {
      const orig = toOrig(copy)!;
      if (result && !result.has(orig)) continue;
      const p = this.#info(orig);
      const newer = this.#newest(p, filter);
      if (!newer) continue;
      const s = this.pool.solvable(newer.id);
      let blocking: { copy: number; text: string } | undefined;
      for (const dep of [...s.requires, ...s.prerequires]) {
        if (dep.startsWith('rpmlib(')) continue;
        const providers = this.pool.whatProvides(dep);
        if (providers.some(installed)) continue;
        for (const prov of providers) {
          const c = ancestorByName.get(this.#info(prov).name);
          if (c === undefined) continue;
          blocking = {
            copy: c,
            text: `\`${clip(newer.nevra)}\` requires \`${clip(dep)}\`, which \`${clip(this.#info(prov).nevra)}\` provides (the ancestor has \`${clip(this.#info(toOrig(c)!).nevra)}\`)`,
          };
          break;
        }
        if (blocking) break;
      }
      if (!blocking) {
        for (const dep of s.conflicts) {
          const c = this.pool.whatProvides(dep).find((id) => isAncestorCopy(id));
          if (c === undefined) continue;
          blocking = {
            copy: c,
            text: `\`${clip(newer.nevra)}\` conflicts with \`${clip(dep)}\`, which \`${clip(this.#info(toOrig(c)!).nevra)}\` provides`,
          };
          break;
        }
      }
      if (!blocking) continue;
      held.add(orig);
      const ancestorPkg = this.#info(toOrig(blocking.copy)!).nevra;
      const ancestor = ancestorOwner.get(toOrig(blocking.copy)!)!;
      const entry = layer.packages.find((x) => x.id === orig)?.entry;
      const data = { package: p.nevra, node: layer.id, other: newer.nevra, otherNode: ancestor };
      this.findings.push({
        rule: 'RP023',
        slug: 'update-held-back',
        level: 'note',
        node: layer.id,
        package: p.nevra,
        repo: p.repo,
        other: newer.nevra,
        otherNode: ancestor,
        message: ruleMessage('RP023', 'held', data),
        help: ruleHelp('RP023', data),
        ...(entry && { location: entry.span }),
        evidence: [
          { role: 'requires', text: blocking.text, package: newer.nevra, repo: newer.repo },
          {
            role: 'ancestor',
            text: `\`${clip(ancestorPkg)}\` is installed in ancestor \`${clip(ancestor)}\` and cannot change from \`${clip(layer.id)}\``,
            package: ancestorPkg,
            node: ancestor,
          },
        ],
        fingerprint: fingerprint({ rule: 'RP023', node: layer.id, package: p.nevra, other: newer.nevra }),
      });
    }
  }

  #ancestorCopies(
    toOrig: (copy: number) => number | undefined,
    isAncestorCopy: (copy: number) => boolean,
  ): number[] {
    const out: number[] = [];
    for (let id = this.#copyRange.first; id < this.#copyRange.end; id++) {
      if (isAncestorCopy(id) && toOrig(id) !== undefined) out.push(id);
    }
    return out;
  }

  /** The newest package of the same name and a compatible arch, newer than p (advisory packages only with a filter). */
  #newest(p: PackageSummary, filter: Advisory[] | undefined): PackageSummary | undefined {
    let best: PackageSummary | undefined;
    for (const c of this.#byName.get(p.name) ?? []) {
      if (!c.installable) continue;
      if (c.arch !== p.arch && c.arch !== 'noarch' && p.arch !== 'noarch') continue;
      if (this.pool.evrcmp(c.evr, p.evr) <= 0) continue;
      if (
        filter &&
        !filter.some((a) => a.packages.some((k) => k.name === c.name && k.evr === c.evr && k.arch === c.arch))
      )
        continue;
      if (!best || this.pool.evrcmp(c.evr, best.evr) > 0) best = c;
    }
    return best;
  }

  #rp022(layer: Layer, text: string, problems: Problem[]): void {
    const data = { node: layer.id, problem: text };
    const evidence: EvidenceStep[] = problemEvidence(problems);
    if (!problems.length) evidence.push({ role: 'request', text, node: layer.id });
    const primary = primaryRule(problems);
    this.findings.push({
      rule: 'RP022',
      slug: 'update-not-installable',
      level: 'error',
      node: layer.id,
      ...(primary?.sourceNevra && { package: primary.sourceNevra }),
      message: ruleMessage('RP022', 'problem', data),
      help: ruleHelp('RP022', data),
      ...(layer.location && { location: layer.location }),
      evidence,
      fingerprint: fingerprint({
        rule: 'RP022',
        node: layer.id,
        ...(primary?.sourceNevra && { package: primary.sourceNevra }),
      }),
    });
  }

  /**
   * RP024: `best` refuses the best candidate of one request (dnf with best=True stops there); the
   * finding names the candidate, why it cannot go in and what `--no-best` takes. False when the best
   * candidate cannot be named (then the failure is reported as RP022).
   */
  #rp024(layer: Layer, sys: NodeSystem, refusal: BestRefusal, owner: Map<number, string>): boolean {
    const r = refusal.request;
    const best = this.#bestCandidate(layer.id, sys, refusal);
    if (!best) return false;
    const problem = primaryRule(refusal.problems)?.text ?? 'no solution';
    const taken = refusal.taken.map((id) => this.#info(id).nevra).sort();
    const old = r.kind === 'upgrade' ? this.#info(sys.toOrig(r.copy!)!) : undefined;
    const data: Record<string, string> = {
      node: layer.id,
      other: best.nevra,
      problem,
      ...(old && { package: old.nevra }),
      ...(r.request !== undefined && { request: r.request }),
      taken: taken.map((t) => `\`${t}\``).join(', ') || 'another candidate',
    };
    const messageId = r.kind === 'install' ? 'install' : taken.length ? 'upgrade' : 'upgradeStays';
    const evidence: EvidenceStep[] = [
      old
        ? {
            role: 'candidate',
            text: `\`${clip(best.nevra)}\` is the best upgrade of \`${clip(old.nevra)}\` in \`${clip(layer.id)}\``,
            package: best.nevra,
            repo: best.repo,
          }
        : {
            role: 'candidate',
            text: `\`${clip(best.nevra)}\` is the best candidate of install request \`${clip(r.request ?? '')}\` of \`${clip(layer.id)}\``,
            package: best.nevra,
            repo: best.repo,
          },
      ...problemEvidence(refusal.problems, undefined, best.nevra),
    ];
    // a locked ancestor package that libsolv's rules name: red-pak refuses to change it from this node
    const locked = refusal.problems
      .flatMap((p) => p.rules.filter((x) => !isJobRule(x.type)).flatMap((x) => [x.source, x.target]))
      .filter((x) => x && sys.isAncestorCopy(x))
      .map((x) => this.#info(sys.toOrig(x)!))
      .sort((a, b) => cmp(a.nevra, b.nevra))[0];
    if (locked) {
      evidence.push({
        role: 'ancestor',
        text: `\`${clip(locked.nevra)}\` is installed in ancestor \`${clip(owner.get(locked.id)!)}\` and cannot change from \`${clip(layer.id)}\``,
        package: locked.nevra,
        node: owner.get(locked.id)!,
      });
    }
    evidence.push({
      role: 'no-best',
      text: taken.length
        ? `with --no-best (\`best: false\`) the update of \`${clip(layer.id)}\` takes ${taken.map((t) => `\`${clip(t)}\``).join(', ')} instead`
        : `with --no-best (\`best: false\`) \`${clip(old?.nevra ?? '')}\` stays and \`${clip(best.nevra)}\` is skipped, as dnf's "Skipping packages with broken dependencies"`,
      node: layer.id,
      ...(taken.length === 1 && { package: taken[0]! }),
    });
    const entry = old && layer.packages.find((x) => x.id === old.id)?.entry;
    const location = entry?.span ?? layer.location;
    this.findings.push({
      rule: 'RP024',
      slug: 'update-best-not-installable',
      level: 'error',
      node: layer.id,
      package: old?.nevra ?? best.nevra,
      repo: old?.repo ?? best.repo,
      other: best.nevra,
      ...(r.request !== undefined && { entry: r.request }),
      message: ruleMessage('RP024', messageId, data),
      help: ruleHelp('RP024', data),
      ...(location && { location }),
      evidence,
      fingerprint: fingerprint({
        rule: 'RP024',
        node: layer.id,
        package: old?.nevra ?? r.request ?? best.nevra,
        other: best.nevra,
      }),
    });
    return true;
  }

  /**
   * The best candidate of a refused request: the advisory package aimed at; for an upgrade, the newest
   * build of the package's name the layer may take (else the newest package libsolv's rules name that
   * obsoletes it, a rename); for an install, the newest match of the name `--no-best` takes.
   */
  #bestCandidate(layer: string, sys: NodeSystem, refusal: BestRefusal): PackageSummary | undefined {
    const r = refusal.request;
    if (r.target !== undefined) return this.#info(r.target);
    if (this.#mayTake?.layer !== layer) {
      const visible = this.#visibleTo(layer);
      this.#mayTake = { layer, ids: visible && new Set(visible) };
    }
    const may = this.#mayTake.ids;
    const newest = (ids: Iterable<number>): PackageSummary | undefined => {
      let best: PackageSummary | undefined;
      for (const id of ids) {
        const c = this.#byId.get(id);
        if (!c?.installable || (may && !may.has(id))) continue;
        const d = best ? this.pool.evrcmp(c.evr, best.evr) : 1;
        if (!best || d > 0 || (d === 0 && c.nevra < best.nevra)) best = c;
      }
      return best;
    };
    if (r.kind === 'install') {
      const matches = r.matches ?? [];
      const name = refusal.taken.length ? this.#info(refusal.taken[0]!).name : undefined;
      return newest(name ? matches.filter((id) => this.#info(id).name === name) : matches);
    }
    const p = this.#info(sys.toOrig(r.copy!)!);
    const compatible = (c: PackageSummary) => c.arch === p.arch || c.arch === 'noarch' || p.arch === 'noarch';
    const same = newest(
      (this.#byName.get(p.name) ?? [])
        .filter((c) => compatible(c) && this.pool.evrcmp(c.evr, p.evr) > 0)
        .map((c) => c.id),
    );
    if (same) return same;
    const named = new Set(
      refusal.problems.flatMap((x) =>
        x.rules.filter((y) => !isJobRule(y.type)).flatMap((y) => [y.source, y.target]),
      ),
    );
    return newest(
      [...named].filter((id) => {
        const c = this.#byId.get(id);
        if (!c || c.name === p.name) return false;
        return this.pool
          .solvable(id)
          .obsoletes.some((d) => d.split(' ')[0] === p.name && this.pool.whatProvides(d).includes(p.id));
      }),
    );
  }

  // ---- proof of the resulting family -----------------------------------------------------------

  #prove(after: Family): Finding[] {
    const findings: Finding[] = [];
    appendAll(findings, ancestorDuplicates(after, this.#info));
    appendAll(findings, shareableDuplicates(after, this.#info));
    appendAll(findings, installabilityFindings(this.pool, after, this.#info));
    // The same file facts as `check` (directory and ghost entries, builds), or the two disagree.
    const { shared, facts } = repoFileFacts(this.pool, [...this.state, ...this.candidates], this.#info);
    appendAll(findings, fileConflicts(after, this.#info, shared, facts));
    return findings;
  }

  /** RP001 caused by a change in an ancestor becomes RP020; RP003 created by a change in the ancestor becomes RP021. */
  #attribute(proof: Finding[], after: Family): Finding[] {
    const out: Finding[] = [];
    const beforeDup = new Set(
      ancestorDuplicates(this.#before, this.#info).map((f) => `${f.node}\0${f.package}\0${f.otherNode}`),
    );
    for (const f of proof) {
      if (f.rule === 'RP001' && f.node && f.dependency && f.package) {
        const rp020 = this.#rp020(f, after);
        if (rp020) {
          out.push(rp020);
          continue;
        }
      }
      if (f.rule === 'RP003' && f.node && f.otherNode && f.package && f.other) {
        const key = `${f.node}\0${f.package}\0${f.otherNode}`;
        const change = this.#changed.find(
          (c) => c.layer === f.otherNode && c.neu !== undefined && this.#info(c.neu).nevra === f.other,
        );
        if (!beforeDup.has(key) && change) {
          const data = { package: f.other, node: f.otherNode, other: f.package, otherNode: f.node };
          out.push({
            rule: 'RP021',
            slug: 'update-creates-duplicate',
            level: 'error',
            node: f.otherNode,
            package: f.other,
            repo: this.#info(change.neu!).repo,
            other: f.package,
            otherNode: f.node,
            message: ruleMessage('RP021', 'duplicate', data),
            help: ruleHelp('RP021', data),
            ...(f.location && { location: f.location }),
            evidence: [
              {
                role: change.step.action,
                text: stepText(change.step, f.otherNode),
                package: f.other,
                node: f.otherNode,
              },
              {
                role: 'descendant',
                text: `\`${clip(f.package)}\` is installed in descendant \`${clip(f.node)}\``,
                package: f.package,
                node: f.node,
              },
            ],
            fingerprint: fingerprint({
              rule: 'RP021',
              node: f.otherNode,
              package: f.other,
              other: f.package,
            }),
          });
          continue;
        }
      }
      out.push(f);
    }
    return out;
  }

  #byOld: Map<string, Changed> | undefined;

  /** Changes by `layer \0 old package id` (built once, after every transaction). */
  #changedByOld(): Map<string, Changed> {
    if (!this.#byOld) {
      this.#byOld = new Map();
      for (const c of this.#changed) if (c.old !== undefined) this.#byOld.set(`${c.layer}\0${c.old}`, c);
    }
    return this.#byOld;
  }

  #rp020(f: Finding, _after: Family): Finding | undefined {
    const broken = f.node!;
    const providers = this.pool.whatProvides(f.dependency!);
    for (const a of this.#before.ancestors(broken)) {
      for (const prov of providers) {
        const c = this.#changedByOld().get(`${a}\0${prov}`);
        if (!c) continue;
        const before = this.#info(prov).nevra;
        const afterNevra = c.neu !== undefined ? this.#info(c.neu).nevra : undefined;
        const data = {
          package: before,
          node: a,
          dependency: f.dependency!,
          other: f.package!,
          otherNode: broken,
        };
        return {
          rule: 'RP020',
          slug: 'update-breaks-descendant',
          level: 'error',
          node: broken,
          package: f.package!,
          ...(f.repo && { repo: f.repo }),
          dependency: f.dependency!,
          other: before,
          otherNode: a,
          updatedNode: a,
          before,
          ...(afterNevra && { after: afterNevra }),
          message: ruleMessage('RP020', 'breaks', data),
          help: ruleHelp('RP020', data),
          ...(f.location && { location: f.location }),
          evidence: [
            {
              role: 'update',
              text: afterNevra
                ? `\`${before}\` → \`${afterNevra}\` in \`${a}\` (${c.step.action})`
                : `\`${before}\` is erased from \`${a}\``,
              package: before,
              node: a,
            },
            {
              role: 'requires',
              text: `\`${clip(f.package ?? '')}\` in \`${clip(broken)}\` requires \`${clip(f.dependency ?? '')}\``,
              package: f.package!,
              node: broken,
            },
            ...f.evidence.filter((s) => s.role !== 'requires'),
          ],
          fingerprint: fingerprint({
            rule: 'RP020',
            node: broken,
            package: f.package!,
            dependency: f.dependency!,
            other: before,
          }),
        };
      }
    }
    return undefined;
  }

  #blastRadius(after: Family): BlastRadius[] {
    const out: BlastRadius[] = [];
    const byLayer = new Map<string, Changed[]>();
    for (const c of this.#changed) {
      if (c.old === undefined) continue;
      const list = byLayer.get(c.layer) ?? [];
      list.push(c);
      byLayer.set(c.layer, list);
    }
    for (const [layer, changes] of byLayer) {
      const subtree = after.layers
        .filter((l) => l.id === layer || after.isAncestor(layer, l.id))
        .map((l) => l.id);
      const cands = new Map<number, string[]>();
      for (const l of subtree) {
        // the packages before the change: they are the ones that depended on the old package
        const pk = l === layer ? this.#before.layer(l).packages.map((p) => p.id) : (this.#after.get(l) ?? []);
        for (const id of pk) {
          const h = cands.get(id) ?? [];
          if (!h.includes(l)) h.push(l);
          cands.set(id, h);
        }
      }
      const olds = changes.map((c) => c.old!);
      const reqs = this.pool.requirers(olds, [...cands.keys()]);
      for (const c of changes) {
        const dependents: BlastRadius['dependents'] = [];
        for (const r of reqs) {
          if (r.target !== c.old || r.candidate === c.old) continue;
          for (const n of cands.get(r.candidate) ?? [])
            dependents.push({ node: n, package: this.#info(r.candidate).nevra, dependency: r.dependency });
        }
        dependents.sort(
          (a, b) => cmp(a.node, b.node) || cmp(a.package, b.package) || cmp(a.dependency, b.dependency),
        );
        out.push({
          node: layer,
          package: c.step.package,
          action: c.step.action,
          ...(c.step.to && { to: c.step.to }),
          nodes: subtree,
          dependents,
        });
      }
    }
    return out.sort((a, b) => cmp(a.node, b.node) || cmp(a.package, b.package));
  }

  // ---- results ---------------------------------------------------------------------------------

  #nodeAdvisories(after: Family): void {
    for (const layer of this.#before.layers) {
      const plan = this.#plans.get(layer.id)!;
      const beforeOwn = layer.packages.map((p) => this.#info(p.id));
      const afterOwn = (this.#after.get(layer.id) ?? []).map((id) => this.#info(id));
      for (const a of this.#advisories) {
        const relevant: string[] = [];
        let received = true;
        for (const k of a.packages) {
          const nevra = `${k.name}-${k.evr}.${k.arch}`;
          const mine = beforeOwn.find(
            (p) =>
              p.name === k.name &&
              (p.arch === k.arch || k.arch === 'noarch' || p.arch === 'noarch') &&
              this.pool.evrcmp(p.evr, k.evr) < 0,
          );
          if (!mine) {
            // a renamed package (Obsoletes) that this node's transaction brought in
            if (
              this.#changed.some(
                (c) =>
                  c.layer === layer.id &&
                  c.neu !== undefined &&
                  c.old !== undefined &&
                  this.#info(c.neu).nevra === nevra,
              )
            )
              relevant.push(nevra);
            continue;
          }
          relevant.push(nevra);
          const now = afterOwn.find((p) => p.name === k.name && this.pool.evrcmp(p.evr, k.evr) >= 0);
          const renamed = this.#changed.some(
            (c) =>
              c.layer === layer.id &&
              c.old === mine.id &&
              c.neu !== undefined &&
              this.#info(c.neu).name !== mine.name,
          );
          if (!now && !renamed) received = false;
        }
        if (!relevant.length) continue;
        const pa: PlanAdvisory = {
          id: a.id,
          type: a.type,
          severity: a.severity,
          cves: a.references
            .filter((r) => r.type === 'cve')
            .map((r) => r.id)
            .sort(),
          packages: relevant.sort(),
        };
        if (received) plan.advisories.push(pa);
        else {
          const failed = plan.status === 'failed';
          const filter = this.#advisoryFilter();
          const held = [...(this.#heldBack.get(layer.id) ?? [])].some((id) =>
            relevant.some((r) => r.startsWith(`${this.#info(id).name}-`)),
          );
          pa.reason = failed
            ? this.#failedBy.get(layer.id) === 'RP024'
              ? `\`best\` refuses the transaction of \`${layer.id}\`: a best candidate cannot be installed (RP024)`
              : `the transaction of \`${layer.id}\` has no solution (RP022)`
            : !this.#targeted(layer.id)
              ? `the change does not touch \`${layer.id}\``
              : filter && !filter.some((f) => f.solvable === a.solvable)
                ? `not selected (${this.change.securityOnly ? '--security-only' : '--advisory'})`
                : held
                  ? 'held back by the packages of an ancestor (RP023)'
                  : filter
                    ? `its packages cannot be installed in \`${layer.id}\` (unmet dependencies or conflicts)`
                    : 'not part of the requested change';
          plan.notReceived.push(pa);
        }
      }
      void after;
    }
  }

  #result(after: Family): CheckResult {
    this.#nodeAdvisories(after);
    const facts = factsReader(this.pool);
    const subjects: Subject[] = after.layers.map((l) => ({
      id: l.id,
      kind: l.kind,
      ...(l.kind === 'node' && { alias: l.id }),
      ...(l.parent !== undefined && { parent: l.parent }),
      ...(l.location && { location: l.location }),
      packages: l.packages
        .map((p) => ({
          nevra: this.#info(p.id).nevra,
          repo: this.#info(p.id).repo,
          ...facts(p.id),
          reason: entryReason(l, p) ?? 'brought in by the update transaction',
        }))
        .sort((a, b) => cmp(a.nevra, b.nevra)),
      installedSize: l.packages.reduce((n, p) => n + this.#info(p.id).installSize, 0),
      checked: [...CHECK_RULES, ...UPDATE_RULES],
    }));
    const examined = new Set(after.layers.flatMap((l) => l.packages.map((p) => p.id)));
    let changes = 0;
    for (const p of this.#plans.values()) changes += p.transaction.length;
    return {
      command: 'update-check',
      tool: { name: 'redproof', version: TOOL_VERSION, libsolv: this.engine.libsolvVersion },
      target: this.manifest.family,
      arch: this.arch,
      subjects,
      findings: this.findings,
      errors: [],
      repositories: repositoryInfos([...this.state, ...this.candidates]),
      rules: [
        ...rulesFor('check').filter((r) => CHECK_RULES.includes(r.id)),
        ...rulesFor('update-check').filter((r) => UPDATE_RULES.includes(r.id)),
      ].map(toRuleMeta),
      stats: {
        packagesExamined: examined.size,
        nodes: this.manifest.nodes.length,
        repositoryPackages: this.#byId.size,
        packageChanges: changes,
        nodesChanged: [...this.#plans.values()].filter((p) => p.status === 'changed').length,
        advisories: this.#advisories.length,
      },
    };
  }

  #plan(blastRadius: BlastRadius[], result: CheckResult): UpdatePlan {
    const c = this.change;
    return {
      schemaVersion: PLAN_SCHEMA_VERSION,
      tool: result.tool,
      family: this.manifest.family,
      arch: this.arch,
      change: {
        upgradeAll: c.upgradeAll ?? false,
        upgrade: (c.upgrade ?? []).map((u) => ({
          node: u.node,
          ...(u.pattern !== undefined && { pattern: u.pattern }),
        })),
        install: (c.install ?? []).map((u) => ({ node: u.node, package: u.package })),
        remove: (c.remove ?? []).map((u) => ({ node: u.node, package: u.package })),
        securityOnly: c.securityOnly ?? false,
        advisories: [...(c.advisories ?? [])],
      },
      repositories: {
        state: this.state.map((l) => l.spec.id),
        candidates: this.candidates.map((l) => l.spec.id),
      },
      nodes: this.#before.layers.map((l) => this.#plans.get(l.id)!),
      blastRadius,
      proven: !result.findings.some((f) => f.level === 'error'),
    };
  }
}

/** The job with SOLVER_FORCEBEST, as libdnf adds it to every job of a goal run with best=True. */
function forceBest(j: Job): Job {
  return { how: j.how | JobFlag.FORCEBEST, what: j.what };
}

function stepText(s: PlanStep, node: string): string {
  switch (s.action) {
    case 'install':
      return `\`${s.package}\` is installed in \`${node}\` (${s.reason})`;
    case 'erase':
      return `\`${s.package}\` is erased from \`${node}\` (${s.reason})`;
    default:
      return `\`${s.package}\` → \`${s.to}\` in \`${node}\` (${s.action}, ${s.reason})`;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
