import type { Host } from '../host/host.js';
import { InputError } from '../load/errors.js';
import { type LoadedRepo, loadRepository, type RepoSpec, type SolvCache } from '../load/repository.js';
import type { CheckResult, Finding, Subject } from '../model/finding.js';
import { fingerprint } from '../policy/fingerprint.js';
import { ruleHelp, ruleMessage, rulesFor, toRuleMeta } from '../rules/catalog.js';
import { type Engine, loadEngine, type Pool, type Uninstallable } from '../solver/index.js';
import { clip } from '../util/clip.js';
import { dominantArch } from './arch.js';
import { primaryRule, problemEvidence } from './explain.js';
import { repositoryInfos } from './package-facts.js';
import { parallelInstallCheck } from './parallel-installcheck.js';
import { TOOL_VERSION } from './version.js';

export interface RepoCheckOptions {
  /** Repositories whose packages are checked. */
  repos: RepoSpec[];
  /** Repositories used to resolve only (installcheck's --nocheck). */
  against?: RepoSpec[];
  /** Target arch; default: the most common arch of the checked packages. */
  arch?: string;
  strictArch?: boolean;
  noFilelists?: boolean;
  cache?: SolvCache;
  /** Worker threads for the installability checks (one wasm module each); 1 = in this thread. */
  jobs?: number;
  /**
   * Solve every uninstallable package on its own for libsolv's own problem (native installcheck's
   * output). Default: packages blocked by a requirement only uninstallable packages provide are explained
   * by derivation (Pool.installCheck's `derive`); the verdicts are the same.
   */
  fullExplanations?: boolean;
  /** Reports progress for long work (the CLI shows it on a TTY). */
  onProgress?: (message: string) => void;
}

/** Proves every package of the checked repositories installable from all given repositories. */
export async function repoCheck(
  host: Host,
  options: RepoCheckOptions,
  engine?: Engine,
): Promise<CheckResult> {
  const e = engine ?? (await loadEngine());
  const pool = e.createPool(options.arch ?? 'noarch');
  try {
    return await runRepoCheck(host, e, pool, options);
  } finally {
    pool.dispose();
  }
}

async function runRepoCheck(
  host: Host,
  engine: Engine,
  pool: Pool,
  options: RepoCheckOptions,
): Promise<CheckResult> {
  if (options.repos.length === 0) {
    throw new InputError('no-repos', 'no repository to check', { expected: 'at least one --repo ID=PATH' });
  }
  const seen = new Set<string>();
  for (const s of [...options.repos, ...(options.against ?? [])]) {
    if (seen.has(s.id))
      throw new InputError('duplicate-repo-id', `repository id \`${clip(s.id)}\` is given twice`, {
        expected: 'unique ids (--repo ID=PATH)',
      });
    seen.add(s.id);
  }
  const load = (spec: RepoSpec) =>
    loadRepository(host, engine, pool, spec, {
      noFilelists: options.noFilelists ?? false,
      cacheVersion: `${TOOL_VERSION}/${engine.libsolvVersion}`,
      ...(options.cache && { cache: options.cache }),
    });
  const checked: LoadedRepo[] = [];
  for (const spec of options.repos) {
    options.onProgress?.(`loading ${spec.id}`);
    checked.push(await load(spec));
  }
  const against: LoadedRepo[] = [];
  for (const spec of options.against ?? []) {
    options.onProgress?.(`loading ${spec.id}`);
    against.push(await load(spec));
  }
  const arch = options.arch ?? checkedArch(pool, checked);
  pool.setArch(arch, { strict: options.strictArch ?? false });
  pool.prepare();

  const candidates = pool.installCheckCandidates(checked.map((c) => c.repo));
  if (candidates.length === 0) {
    const total = checked.reduce((n, c) => n + c.packages, 0);
    throw new InputError(
      'nothing-examined',
      total === 0
        ? 'the checked repositories hold no package: nothing was proven'
        : `none of the ${total} packages of the checked repositories is installable on ${arch}: nothing was proven`,
      {
        file: options.repos.map((r) => r.path).join(', '),
        expected:
          arch === 'noarch'
            ? 'at least one package (see --arch)'
            : `packages for ${arch} or noarch (see --arch)`,
      },
    );
  }
  options.onProgress?.(`checking ${candidates.length} packages`);
  const bad = await parallelInstallCheck(
    pool,
    [...checked, ...against].map((c) => c.repo),
    candidates,
    {
      jobs: options.jobs ?? 1,
      strictArch: options.strictArch ?? false,
      derive: !options.fullExplanations,
    },
  );

  const repoByNevra = new Map<string, string>();
  const summaries = pool.list();
  for (const s of summaries) repoByNevra.set(s.nevra, s.repo);
  const findings = bad.map((u) => toFinding(u, repoByNevra));
  const badByRepo = new Map<string, number>();
  for (const f of findings) badByRepo.set(f.repo ?? '', (badByRepo.get(f.repo ?? '') ?? 0) + 1);

  const candidateSet = new Set(candidates);
  const subjects: Subject[] = checked.map((c) => ({
    id: c.spec.id,
    kind: 'repository',
    packages: summaries
      .filter((s) => s.repo === c.spec.id && candidateSet.has(s.id))
      // the size comes with the listing; the other facts would cost a libsolv lookup per package
      .map((s) => ({
        nevra: s.nevra,
        repo: s.repo,
        ...(s.hasInstallSize && { installSize: s.installSize }),
      })),
    checked: ['RP030'],
  }));
  const rules = rulesFor('repo-check').map(toRuleMeta);
  const notes: Finding[] = [];
  return {
    command: 'repo-check',
    tool: { name: 'redproof', version: TOOL_VERSION, libsolv: engine.libsolvVersion },
    target: checked.map((c) => c.spec.id).join('+'),
    arch,
    // their snapshot identity, as every other command records it (the HTML report's header shows it)
    repositories: repositoryInfos([...checked, ...against]),
    subjects,
    findings: [...findings, ...notes],
    errors: [],
    rules,
    stats: {
      packagesExamined: candidates.length,
      packagesLoaded:
        checked.reduce((n, c) => n + c.packages, 0) + against.reduce((n, c) => n + c.packages, 0),
      uninstallable: findings.length,
      filelistsUsed: checked.every((c) => c.usedFilelists || c.kind !== 'repomd') ? 1 : 0,
    },
  };
}

/** The most common real arch among the checked packages (installcheck needs one): noarch wins only alone. */
function checkedArch(pool: Pool, checked: LoadedRepo[]): string {
  // arches are known as loaded: preparing here would be undone by setArch, and redone
  const names = new Set(checked.map((c) => c.spec.id));
  return dominantArch(
    pool
      .list(2, pool.size, { prepare: false })
      .filter((s) => names.has(s.repo))
      .map((s) => s.arch),
  );
}

function toFinding(u: Uninstallable, repoByNevra: Map<string, string>): Finding {
  const repo = repoByNevra.get(u.nevra) ?? '';
  const root = primaryRule(u.problems);
  const problem = root ? root.text : 'no solution';
  const finding: Finding = {
    rule: 'RP030',
    slug: 'repo-uninstallable',
    level: 'error',
    package: u.nevra,
    repo,
    message: ruleMessage('RP030', 'problem', { package: u.nevra, repo, problem }),
    help: ruleHelp('RP030', { package: u.nevra, repo }),
    evidence: problemEvidence(u.problems, (n) => repoByNevra.get(n), u.nevra),
    fingerprint: fingerprint({
      rule: 'RP030',
      node: repo,
      package: u.nevra,
      ...(root?.dep && { dependency: root.dep }),
    }),
  };
  if (root?.dep) finding.dependency = root.dep;
  return finding;
}
