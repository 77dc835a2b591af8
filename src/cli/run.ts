import { mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { CliIO } from '../cli.js';
import type { NodeSolvSpec } from '../engine/audit.js';
import { TOOL_VERSION } from '../engine/version.js';
import { type Host, HostError } from '../host/host.js';
import { createNodeHost, readRegularTextSync } from '../host/node-host.js';
import { DEFAULT_LIMITS, parseLimits } from '../limits/limits.js';
import { combineInputErrors, InputError, UsageError } from '../load/errors.js';
import { PROJECT_CONFIG_FILE } from '../load/project-config-file.js';
import { deriveRepoId, type RepoSpec } from '../load/repository.js';
import type { CheckResult, ToolErrorInfo } from '../model/finding.js';
import { exitCode } from '../policy/exit-code.js';
import type { Policy } from '../policy/rules-file/model.js';
import { loadRuleDoc, loadRuleDocs } from '../reporters/explain.js';
import type { LockChanges } from '../reporters/html/index.js';
import type { Reporter, ReporterName } from '../reporters/index.js';
import { type ImageRoot, spanFiles } from '../reporters/paths.js';
import { findRule, RULES } from '../rules/catalog.js';
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';
import {
  checkFailOn,
  checkFormat,
  DOCUMENT_OPTIONS,
  OUTPUT_OPTIONS,
  parse,
  REPO_OPTIONS,
  splitRepoArg,
} from './args.js';
import { createDiskCache, defaultCacheDir } from './cache.js';
import type { DocumentExtras, DocumentRequest } from './documents.js';
import { createProgress } from './progress.js';

// Each command imports its engine, and a run imports only the reporters it writes, when it needs them.
// Importing every command (audit, update-check, repo-check with its worker code) and every reporter
// (junit-report-builder, SARIF) up front, with the waivers schema then compiled at import, made even
// `redproof --help` cost ≈ 0.5 s CPU; it takes ≈ 0.15 s now.

const packageRoot = new URL('../../', import.meta.url);

/** Runs one command; returns the exit code. Throws UsageError / InputError / EngineError. */
export async function runCommand(command: string, argv: string[], io: CliIO): Promise<number> {
  switch (command) {
    case 'repo-check':
      return repoCheckCommand(argv, io);
    case 'check':
      return checkCommand(argv, io);
    case 'update-check':
      return updateCheckCommand(argv, io);
    case 'audit':
      return auditCommand(argv, io);
    case 'lock':
      return lockCommand(argv, io);
    case 'explain':
      return explainCommand(argv, io);
    case 'merge': {
      const { mergeCommand } = await import('./merge.js');
      return mergeCommand(argv, io);
    }
    case 'version':
      return 0;
    default:
      throw new UsageError(`unknown command \`${clip(command)}\``);
  }
}

async function repoCheckCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      ...OUTPUT_OPTIONS,
      ...REPO_OPTIONS,
      // the HTML report only: an SBOM describes what is installed, and a repository installs nothing
      html: DOCUMENT_OPTIONS.html,
      against: { type: 'string', multiple: true },
      jobs: { type: 'string', short: 'j' },
      'full-explanations': { type: 'boolean' },
    },
    'repo-check',
  );
  const jobs = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) {
    throw new UsageError(
      `repo-check: --jobs \`${clip(String(values.jobs))}\`: expected a whole number from 1 to 64`,
    );
  }
  if (positionals.length) {
    throw new UsageError(
      `repo-check: unexpected argument \`${clip(positionals[0]!)}\`; give repositories with --repo [ID=]PATH`,
    );
  }
  const repos = toSpecs(values.repo ?? [], io.cwd);
  if (repos.length === 0)
    throw new UsageError('repo-check: no repository given; use --repo [ID=]PATH (see --help)');
  const against = toSpecs(values.against ?? [], io.cwd);
  const out = outputOptions(values, 'repo-check');
  const progress = createProgress(io.stderr, !values.quiet);
  const { repoCheck } = await import('../engine/repo-check.js');
  const result = await reportingErrors(out, io, 'repo-check', repos.map((r) => r.id).join(', '), () =>
    repoCheck(hostFor(values), {
      repos,
      against,
      ...(values.arch && { arch: values.arch }),
      strictArch: values['strict-arch'] ?? false,
      noFilelists: values['no-filelists'] ?? false,
      ...(cacheFor(values, io) && { cache: cacheFor(values, io)! }),
      onProgress: progress.update,
      jobs,
      fullExplanations: values['full-explanations'] ?? false,
    }),
  );
  progress.done();
  if (values['no-filelists'] && !values.quiet) {
    io.stderr.write(
      'redproof: --no-filelists: file dependencies resolve only through the paths primary.xml lists\n',
    );
  }
  return emit(result, out, io, new Map(), { declarations: await repoDeclarations([...repos, ...against]) });
}

/** The file that declares each repository (its repomd.xml, or the metadata file given), for CI locations. */
async function repoDeclarations(specs: RepoSpec[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const spec of specs) {
    const isDir = (await stat(spec.absPath).catch(() => undefined))?.isDirectory() ?? false;
    out.set(spec.id, isDir ? `${spec.path.replace(/\/+$/, '')}/repodata/repomd.xml` : spec.path);
  }
  return out;
}

async function checkCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { ...OUTPUT_OPTIONS, ...DOCUMENT_OPTIONS, ...REPO_OPTIONS, ...POLICY_OPTION, ...HOIST_OPTIONS },
    'check',
  );
  if (!values['suggest-hoist'] && (values['hoist-never'] || values['hoist-isolate']))
    throw new UsageError('check: --hoist-never and --hoist-isolate go with --suggest-hoist');
  if (positionals.length !== 1) {
    throw new UsageError(
      `check: expected one family manifest (FAMILY.yaml), got ${positionals.length}; see --help`,
    );
  }
  const file = positionals[0]!;
  const out = outputOptions(values, 'check');
  const text = await readInput(io, file, 'a family manifest (docs/manifest.md)', hostFor(values));
  const policy = await loadPolicy(values, io, dirname(resolve(io.cwd, file)));
  const progress = createProgress(io.stderr, !values.quiet);
  const extraRepos = toSpecs(values.repo ?? [], io.cwd);
  const { familyCheck } = await import('../engine/family-check.js');
  const { isLockText, lockAsManifest } = await import('../engine/lock/check-lock.js');
  const { hasRequests, parseManifest } = await import('../load/manifest.js');
  const sources = new Map([[file, text]]);
  const common = {
    ...(values.arch && { arch: values.arch }),
    strictArch: values['strict-arch'] ?? false,
    noFilelists: values['no-filelists'] ?? false,
    ...(cacheFor(values, io) && { cache: cacheFor(values, io)! }),
    onProgress: progress.update,
  };
  const manifestAbsDir = dirname(resolve(io.cwd, file));
  const result = await reportingErrors(out, io, 'check', file, async () => {
    const isLock = isLockText(text);
    const manifest = isLock ? lockAsManifest(text, file) : parseManifest(text, file);
    if (!isLock && hasRequests(manifest)) {
      // requests are resolved in memory, as `lock` would, then proven
      if (extraRepos.length) throw new UsageError('check: --repo is not taken with install requests');
      const { lockFamily } = await import('../engine/lock/lock.js');
      // the policy applies to the layers as resolved (as it would to the lock)
      const r = await lockFamily(hostFor(values), {
        manifestText: text,
        manifestFile: file,
        manifestAbsDir,
        manifestFromLock: file,
        readSync: includeReader(hostFor(values)),
        ...common,
        ...(policy && { policy: policy.policy }),
        ...(values['suggest-hoist'] && { suggestHoist: true, hoistFlags: hoistFlags(values) }),
      });
      for (const [k, v] of r.sources) sources.set(k, v);
      return { ...r.result, command: 'check' as const };
    }
    return familyCheck(hostFor(values), {
      manifestText: text,
      manifest,
      manifestFile: file,
      manifestAbsDir,
      extraRepos,
      ...common,
      ...(policy && { policy: policy.policy }),
      ...(values['suggest-hoist'] && { suggestHoist: hoistFlags(values) }),
    });
  });
  progress.done();
  return emit(result, out, io, withPolicySource(sources, policy), { targetFile: file });
}

async function updateCheckCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      ...OUTPUT_OPTIONS,
      ...DOCUMENT_OPTIONS,
      ...REPO_OPTIONS,
      to: { type: 'string', multiple: true },
      'upgrade-all': { type: 'boolean' },
      upgrade: { type: 'string', multiple: true },
      install: { type: 'string', multiple: true },
      remove: { type: 'string', multiple: true },
      'security-only': { type: 'boolean' },
      advisory: { type: 'string', multiple: true },
      plan: { type: 'string' },
      redroot: { type: 'string' },
      ...POLICY_OPTION,
      'write-lock': { type: 'string' },
      'no-weak-deps': { type: 'boolean' },
      'no-best': { type: 'boolean' },
    },
    'update-check',
  );
  if (positionals.length !== 1) {
    throw new UsageError(
      `update-check: expected one state (FAMILY.yaml or IMAGE_ROOT), got ${positionals.length}; see --help`,
    );
  }
  const nodeArg = (opt: string, a: string, needValue: boolean) => {
    const eq = a.indexOf('=');
    const node = eq >= 0 ? a.slice(0, eq) : a;
    const value = eq >= 0 ? a.slice(eq + 1) : undefined;
    if (!node || (needValue && !value)) {
      throw new UsageError(
        `update-check: --${opt} \`${clip(a)}\`: expected NODE${needValue ? '=PKG' : '[=PATTERN]'}`,
      );
    }
    return { node, value };
  };
  const change = {
    upgradeAll: values['upgrade-all'] ?? false,
    upgrade: (values.upgrade ?? []).map((a: string) => {
      const { node, value } = nodeArg('upgrade', a, false);
      return value ? { node, pattern: value } : { node };
    }),
    install: (values.install ?? []).map((a: string) => {
      const { node, value } = nodeArg('install', a, true);
      return { node, package: value! };
    }),
    remove: (values.remove ?? []).map((a: string) => {
      const { node, value } = nodeArg('remove', a, true);
      return { node, package: value! };
    }),
    securityOnly: values['security-only'] ?? false,
    advisories: values.advisory ?? [],
  };
  if (
    !change.upgradeAll &&
    !change.upgrade.length &&
    !change.install.length &&
    !change.remove.length &&
    !change.securityOnly &&
    !change.advisories.length
  ) {
    throw new UsageError(
      'update-check: no change given; use --upgrade-all, --upgrade NODE, --install NODE=PKG, --remove NODE=PKG, --security-only or --advisory ID',
    );
  }
  const to = toSpecs(values.to ?? [], io.cwd);
  const out = outputOptions(values, 'update-check');
  // STATE is a family manifest, or an image tree (as `audit` reads it) whose installed packages come
  // from the repositories given with --repo.
  const stateArg = positionals[0]!;
  const isImage = (await stat(resolve(io.cwd, stateArg)).catch(() => undefined))?.isDirectory() ?? false;
  const extra = toSpecs(values.repo ?? [], io.cwd);
  const { updateCheck } = await import('../engine/update-check.js');
  const { imageStateManifest } = await import('../engine/image-state.js');
  const { text, file, notices } = isImage
    ? await imageStateManifest(hostFor(values), resolve(io.cwd, stateArg), extra, {
        ...(values.redroot && { redroot: values.redroot }),
        ...(values.arch && { arch: values.arch }),
      })
    : {
        text: await readInput(
          io,
          stateArg,
          'a family manifest (docs/manifest.md) or an image tree',
          hostFor(values),
        ),
        file: stateArg,
        notices: undefined,
      };
  const policy = await loadPolicy(values, io, isImage ? io.cwd : dirname(resolve(io.cwd, file)));
  const progress = createProgress(io.stderr, !values.quiet);
  const writeLock = values['write-lock'] as string | undefined;
  const { result, plan, lock } = await updateCheck(hostFor(values), {
    ...(writeLock &&
      !isImage && {
        writeLock: { manifestFromLock: relative(dirname(resolve(io.cwd, writeLock)), resolve(io.cwd, file)) },
      }),
    manifestText: text,
    manifestFile: file,
    manifestAbsDir: isImage ? resolve(io.cwd, stateArg) : dirname(resolve(io.cwd, file)),
    to: isImage ? to : [...to, ...extra],
    change,
    ...(values.arch && { arch: values.arch }),
    strictArch: values['strict-arch'] ?? false,
    noFilelists: values['no-filelists'] ?? false,
    ...(cacheFor(values, io) && { cache: cacheFor(values, io)! }),
    onProgress: progress.update,
    ...(policy && { policy: policy.policy }),
    ...(notices && { notices }),
    ...(values['no-weak-deps'] && { weakDeps: false }),
    ...(values['no-best'] && { best: false }),
  });
  progress.done();
  if (values.plan) {
    const { planToJson } = await import('../engine/update/plan.js');
    await writeOut(io, values.plan, planToJson(plan));
  }
  if (writeLock) {
    if (isImage) throw new UsageError('update-check: --write-lock needs a family manifest, not an image');
    if (lock) {
      const { formatLock } = await import('../engine/lock/lockfile.js');
      await writeOut(io, writeLock, formatLock(lock));
      if (!values.quiet) io.stderr.write(`redproof: wrote ${writeLock}\n`);
    } else io.stderr.write(`redproof: the plan is not proven; ${writeLock} was not written\n`);
  }
  return emit(result, out, io, withPolicySource(new Map([[file, text]]), policy), {
    plan,
    targetFile: isImage ? stateArg : file,
  });
}

/**
 * Reads a kickstart's `%include` (a file the run opens implicitly): a regular file up to `policy-size`;
 * nothing there is `undefined` (the kickstart reports it where it is included); a FIFO, a device or a
 * file over the limit is refused with the reason, never read.
 */
function includeReader(host: Host): (abs: string) => string | undefined {
  const max = (host.limits ?? DEFAULT_LIMITS).policySize;
  return (abs) => {
    try {
      return readRegularTextSync(abs, max);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw new Error(hostReason(err, 'policy-size'));
    }
  };
}

/** Why a host read failed, in words, without the absolute path the HostError message starts with. */
function hostReason(err: unknown, limitName: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (err instanceof HostError && (code === 'ENOTREG' || code === 'EFBIG')) {
    const why = err.message.replace(/^reading `[^`]*`: /, '');
    return code === 'EFBIG' ? `${why} (--limit ${limitName})` : `${why}, which is not read`;
  }
  return code === 'EACCES' ? 'permission denied' : (code ?? String(err));
}

const HOIST_OPTIONS = {
  'suggest-hoist': { type: 'boolean' },
  'hoist-never': { type: 'string', multiple: true },
  'hoist-isolate': { type: 'string', multiple: true },
} as const;

function hoistFlags(values: { 'hoist-never'?: string[]; 'hoist-isolate'?: string[] }) {
  return { never: values['hoist-never'] ?? [], isolate: values['hoist-isolate'] ?? [] };
}

/** FAMILY.yaml → FAMILY.lock.yaml. */
export function defaultLockPath(manifest: string): string {
  return /\.ya?ml$/.test(manifest) ? manifest.replace(/\.ya?ml$/, '.lock.yaml') : `${manifest}.lock.yaml`;
}

async function lockCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      ...OUTPUT_OPTIONS,
      // the HTML report only: the lock's layers do not carry the package facts an SBOM needs
      html: DOCUMENT_OPTIONS.html,
      ...REPO_OPTIONS,
      lockfile: { type: 'string' },
      check: { type: 'boolean' },
      update: { type: 'boolean' },
      'diff-markdown': { type: 'string' },
      'no-weak-deps': { type: 'boolean' },
      'no-best': { type: 'boolean' },
      hoist: { type: 'boolean' },
      'no-hoist': { type: 'boolean' },
      'hoist-never': HOIST_OPTIONS['hoist-never'],
      'hoist-isolate': HOIST_OPTIONS['hoist-isolate'],
    },
    'lock',
  );
  if (values.hoist && values['no-hoist'])
    throw new UsageError('lock: --hoist and --no-hoist do not go together');
  if (positionals.length < 1 || (positionals.length > 1 && !values.update)) {
    throw new UsageError(
      `lock: expected one family manifest (FAMILY.yaml), got ${positionals.length}; patterns go with --update; see --help`,
    );
  }
  if (values.update && values.check) throw new UsageError('lock: --update and --check do not go together');
  if (values.repo?.length)
    throw new UsageError("lock: --repo is not taken; a lock records the manifest's repositories");
  const file = positionals[0]!;
  const lockFile = (values.lockfile as string | undefined) ?? defaultLockPath(file);
  const out = outputOptions(values, 'lock');
  const text = await readInput(io, file, 'a family manifest (docs/manifest.md)');
  const progress = createProgress(io.stderr, !values.quiet);
  const { lockFamily } = await import('../engine/lock/lock.js');
  const { formatLock } = await import('../engine/lock/lockfile.js');
  const manifestAbs = resolve(io.cwd, file);
  const lockAbs = resolve(io.cwd, lockFile);
  let previous: import('../engine/lock/lockfile.js').Lockfile | undefined;
  let keep: Map<string, Set<string>> | undefined;
  if (values.update) {
    const { parseLock } = await import('../engine/lock/read-lock.js');
    const { keptPackages } = await import('../engine/lock/diff.js');
    const { globMatch } = await import('../policy/glob.js');
    previous = parseLock(
      await readInput(
        io,
        lockFile,
        'the lockfile to update (run `redproof lock` first)',
        hostFor(values),
        'policySize',
        values.lockfile !== undefined,
      ),
      lockFile,
    ).lock;
    const patterns = positionals.slice(1).map((a) => {
      const eq = a.indexOf('=');
      return eq > 0 ? { node: a.slice(0, eq), pattern: a.slice(eq + 1) } : { pattern: a };
    });
    const aliases = new Set(previous.nodes.map((n) => n.alias));
    for (const p of patterns) {
      if (p.node !== undefined && !aliases.has(p.node))
        throw new UsageError(
          `lock --update: unknown node \`${clip(p.node)}\`; nodes of the lock: ${clip([...aliases].join(', '), CLIP_TEXT_LENGTH)}`,
        );
    }
    keep = keptPackages(previous, patterns, globMatch);
  }
  // a lock written with --hoist says so: --check and --update hoist it again without being told
  let hoist: boolean | undefined = values.hoist ? true : values['no-hoist'] ? false : undefined;
  if (hoist === undefined && (values.check || values.update)) {
    const { parseLock } = await import('../engine/lock/read-lock.js');
    // read as --check reads it below: a FIFO or device there is an input error, never read
    const current = values.update
      ? await readFile(lockAbs, 'utf8').catch(() => undefined)
      : await readImplicit(hostFor(values), lockAbs, lockFile, 'the lockfile `redproof lock` wrote, or none');
    try {
      if (current !== undefined && parseLock(current, lockFile).lock.options.hoist) hoist = true;
    } catch {
      // an unreadable lock is reported below, as stale (--check) or as an input error (--update)
    }
  }
  let outcome: Awaited<ReturnType<typeof lockFamily>> | undefined;
  await reportingErrors(out, io, 'lock', file, async () => {
    outcome = await lockFamily(hostFor(values), {
      manifestText: text,
      manifestFile: file,
      manifestAbsDir: dirname(manifestAbs),
      manifestFromLock: relative(dirname(lockAbs), manifestAbs),
      readSync: includeReader(hostFor(values)),
      ...(keep && { keep }),
      ...(values['no-weak-deps'] && { weakDeps: false }),
      ...(values['no-best'] && { best: false }),
      ...(hoist !== undefined && { hoist }),
      hoistFlags: hoistFlags(values),
      ...(values.arch && { arch: values.arch }),
      strictArch: values['strict-arch'] ?? false,
      noFilelists: values['no-filelists'] ?? false,
      ...(cacheFor(values, io) && { cache: cacheFor(values, io)! }),
      onProgress: progress.update,
    });
    return outcome.result;
  });
  const { result, lock, sources } = outcome!;
  progress.done();
  const lockChanges =
    lock && out.documents.some((d) => d.kind === 'html')
      ? await lockChangesOf(
          lock,
          previous,
          lockAbs,
          lockFile,
          values.check ? 'check' : values.update ? 'update' : 'write',
        )
      : undefined;
  const code = await emit(result, out, io, new Map([[file, text], ...sources]), {
    targetFile: file,
    ...(lockChanges && { lockChanges }),
  });
  if (!lock) {
    io.stderr.write(`redproof: a request was refused; ${lockFile} was not written\n`);
    return Math.max(code, 1);
  }
  const fresh = formatLock(lock);
  if (values.check) {
    const { parseLock } = await import('../engine/lock/read-lock.js');
    const { diffLocks, formatDiff, isEmptyDiff } = await import('../engine/lock/diff.js');
    const current = await readImplicit(
      hostFor(values),
      lockAbs,
      lockFile,
      'the lockfile `redproof lock` wrote, or none',
    );
    if (current === fresh) {
      if (!values.quiet) io.stderr.write(`redproof: ${lockFile} is up to date\n`);
      return code;
    }
    let report: string;
    if (current === undefined) report = `${lockFile} does not exist: run \`redproof lock ${file}\`\n`;
    else {
      const diff = diffLocks(parseLock(current, lockFile).lock, lock);
      report = `${lockFile} is stale:\n${isEmptyDiff(diff) ? 'its text differs from what lock writes now\n' : formatDiff(diff, false)}`;
      if (values['diff-markdown']) await writeOut(io, values['diff-markdown'], formatDiff(diff, true));
    }
    io.stderr.write(report);
    return Math.max(code, 1);
  }
  await writeOut(io, lockFile, fresh);
  if (previous) {
    const { diffLocks, formatDiff } = await import('../engine/lock/diff.js');
    const diff = diffLocks(previous, lock);
    io.stderr.write(formatDiff(diff, false));
    if (values['diff-markdown']) await writeOut(io, values['diff-markdown'], formatDiff(diff, true));
  }
  if (!values.quiet) {
    const n = lock.nodes.reduce((k, x) => k + x.packages.length, 0);
    io.stderr.write(`redproof: wrote ${lockFile} (${lock.nodes.length} layers, ${n} packages)\n`);
  }
  return code;
}

/**
 * For the HTML report: what this run changes in the lock file (`--update`: against the lock it updates;
 * `--check`: the committed lock against the fresh one; else the file it replaces). A missing or unreadable
 * previous lock is said, not an error: `--check` itself reports it as before, after the reports are written.
 */
async function lockChangesOf(
  lock: import('../engine/lock/lockfile.js').Lockfile,
  previous: import('../engine/lock/lockfile.js').Lockfile | undefined,
  lockAbs: string,
  lockFile: string,
  mode: LockChanges['mode'],
): Promise<LockChanges> {
  const { diffLocks } = await import('../engine/lock/diff.js');
  if (previous) return { file: lockFile, mode, diff: diffLocks(previous, lock) };
  const current = await readFile(lockAbs, 'utf8').catch(() => undefined);
  if (current === undefined) return { file: lockFile, mode, noPrevious: `${lockFile} did not exist` };
  const { parseLock } = await import('../engine/lock/read-lock.js');
  try {
    return { file: lockFile, mode, diff: diffLocks(parseLock(current, lockFile).lock, lock) };
  } catch {
    return { file: lockFile, mode, noPrevious: `${lockFile} is not a lock this redproof reads` };
  }
}

async function auditCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      ...OUTPUT_OPTIONS,
      ...DOCUMENT_OPTIONS,
      redroot: { type: 'string' },
      node: { type: 'string', multiple: true },
      arch: { type: 'string' },
      repo: { type: 'string', multiple: true, short: 'r' },
      'node-solv': { type: 'string', multiple: true },
      'no-filelists': { type: 'boolean' },
      'cache-dir': { type: 'string' },
      'no-cache': { type: 'boolean' },
      ...POLICY_OPTION,
      lock: { type: 'string' },
    },
    'audit',
  );
  if (positionals.length !== 1) {
    throw new UsageError(`audit: expected one IMAGE_ROOT directory, got ${positionals.length}; see --help`);
  }
  const out = outputOptions(values, 'audit');
  const policy = await loadPolicy(values, io, io.cwd);
  const rootStat = await stat(resolve(io.cwd, positionals[0]!)).catch((err: NodeJS.ErrnoException) => err);
  if (rootStat instanceof Error || !rootStat.isDirectory()) {
    throw new InputError(
      'image-root',
      rootStat instanceof Error ? `cannot read: ${rootStat.code ?? rootStat.message}` : 'not a directory',
      { file: positionals[0]!, expected: 'IMAGE_ROOT, the root directory of an image tree' },
    );
  }
  const progress = createProgress(io.stderr, !values.quiet);
  const { audit, readAuditSources } = await import('../engine/audit.js');
  let lockText: string | undefined;
  const result = await reportingErrors(out, io, 'audit', positionals[0]!, async () => {
    let lock: import('../engine/lock/read-lock.js').ParsedLock | undefined;
    if (values.lock) {
      lockText = await readInput(io, values.lock, 'a lockfile written by `redproof lock`');
      const { parseLock } = await import('../engine/lock/read-lock.js');
      lock = parseLock(lockText, values.lock);
    }
    return audit(hostFor(values), {
      ...(lock && { lock }),
      imageRoot: resolve(io.cwd, positionals[0]!),
      ...(values.redroot && { redroot: values.redroot }),
      ...(values.node && { nodes: values.node }),
      ...(values.arch && { arch: values.arch }),
      ...(values.repo && { repos: toSpecs(values.repo, io.cwd) }),
      ...(values['node-solv'] && { nodeSolv: toNodeSolv(values['node-solv'], io.cwd) }),
      noFilelists: values['no-filelists'] ?? false,
      ...(cacheFor(values, io) && { cache: cacheFor(values, io)! }),
      onProgress: progress.update,
      ...(policy && { policy: policy.policy }),
    });
  });
  progress.done();
  const imageRoot = resolve(io.cwd, positionals[0]!);
  const sources = await readAuditSources(hostFor(values), imageRoot, result);
  if (values.lock && lockText !== undefined) sources.set(values.lock, lockText);
  const where = imageRootOf(io.cwd, imageRoot, result, policy?.file);
  return emit(result, out, io, withPolicySource(sources, policy), {
    targetFile: where.path,
    imageRoot: where,
  });
}

const POLICY_OPTION = { policy: { type: 'string' } } as const;

interface LoadedPolicy {
  policy: Policy;
  /** The file as findings name it, and its text (for code frames). */
  file: string;
  text: string;
}

/**
 * The policy of a run: `--policy FILE`, else the `policy` key of a `.redproof.yaml` in `dir` (beside the
 * manifest; the working directory for an image), else none. A bad file is an InputError (exit 3).
 */
async function loadPolicy(
  values: Record<string, unknown>,
  io: CliIO,
  dir: string,
): Promise<LoadedPolicy | undefined> {
  let file = values.policy as string | undefined;
  const named = file !== undefined;
  if (file === undefined) {
    const configPath = resolve(dir, PROJECT_CONFIG_FILE);
    const configFile = relative(io.cwd, configPath) || PROJECT_CONFIG_FILE;
    const text = await readImplicit(
      hostFor(values),
      configPath,
      configFile,
      'a regular file of project settings (docs/policy.md), or none',
    );
    if (text === undefined) return undefined;
    const { parseProjectConfig } = await import('../load/project-config.js');
    const config = parseProjectConfig(text, configFile);
    if (config.policy === undefined) return undefined;
    file = relative(io.cwd, resolve(dir, config.policy)) || config.policy;
  }
  const text = await readInput(
    io,
    file,
    'a policy file (docs/policy.md)',
    hostFor(values),
    'policySize',
    named,
  );
  const { parsePolicy } = await import('../policy/rules-file/parse.js');
  return { policy: parsePolicy(text, file), file, text };
}

function withPolicySource(
  sources: Map<string, string>,
  policy: LoadedPolicy | undefined,
): Map<string, string> {
  if (policy) sources.set(policy.file, policy.text);
  return sources;
}

/** `--node-solv ALIAS=FILE` (ALIAS: a node alias or image path, or `host`). */
function toNodeSolv(args: string[], cwd: string): NodeSolvSpec[] {
  return args.map((a) => {
    const eq = a.indexOf('=');
    if (eq <= 0 || eq === a.length - 1) {
      throw new UsageError(
        `--node-solv \`${clip(a)}\`: expected ALIAS=FILE (a node alias or path, or \`host\`)`,
      );
    }
    const file = a.slice(eq + 1);
    return { target: a.slice(0, eq), file, absPath: resolve(cwd, file) };
  });
}

async function explainCommand(argv: string[], io: CliIO): Promise<number> {
  const code = argv[0];
  if (!code || argv.length > 1)
    throw new UsageError('explain: expected one rule code or slug, e.g. `redproof explain RP001`');
  const rule = findRule(code);
  if (!rule) {
    throw new UsageError(
      `explain: unknown rule \`${clip(code)}\`; known rules: ${RULES.map((r) => r.id).join(', ')}`,
    );
  }
  const { text } = await loadRuleDoc(rule.id, (p) => readFile(new URL(p, packageRoot), 'utf8'));
  io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}

interface OutputOptions {
  format: ReturnType<typeof checkFormat>;
  output: string | undefined;
  extra: { format: 'json' | 'sarif' | 'junit' | 'markdown' | 'github' | 'gitlab'; file: string }[];
  /** Audit documents: the HTML report and the SBOMs. */
  documents: DocumentRequest[];
  failOn: ReturnType<typeof checkFailOn>;
  waivers: string | undefined;
  baseline: string | undefined;
  color: boolean | undefined;
  /** Reads the policy files (waivers, baseline) within the run's limits. */
  host: Host;
}

function outputOptions(values: Record<string, unknown>, command: string): OutputOptions {
  const extra: OutputOptions['extra'] = [];
  for (const f of ['json', 'sarif', 'junit', 'markdown', 'github', 'gitlab'] as const) {
    const file = values[f];
    if (typeof file === 'string') extra.push({ format: f, file });
  }
  const documents: DocumentRequest[] = [];
  for (const kind of ['html', 'cyclonedx', 'spdx'] as const) {
    const file = values[kind];
    if (typeof file === 'string') documents.push({ kind, file });
  }
  return {
    documents,
    format: checkFormat(values.format as string | undefined, command),
    output: values.output as string | undefined,
    extra,
    failOn: checkFailOn(values['fail-on'] as string | undefined, command),
    waivers: values.waivers as string | undefined,
    baseline: values.baseline as string | undefined,
    color: values['no-color'] ? false : (values.color as boolean | undefined),
    host: hostFor(values),
  };
}

function toSpecs(args: string[], cwd: string): RepoSpec[] {
  return args.map((a) => {
    const { id, path } = splitRepoArg(a);
    if (!path) throw new UsageError(`--repo \`${clip(a)}\`: no path; expected [ID=]PATH`);
    return { id: id ?? deriveRepoId(path), path, absPath: resolve(cwd, path), allowPipe: true };
  });
}

function cacheFor(values: Record<string, unknown>, io: CliIO) {
  if (values['no-cache']) return undefined;
  const dir = (values['cache-dir'] as string | undefined) ?? defaultCacheDir(io.env);
  return createDiskCache(resolve(io.cwd, dir));
}

/** What CI reporters need to place findings in the checkout (paths there resolve from the working directory). */
interface Where {
  /** The file the run was about: where findings without any span are shown. */
  targetFile?: string;
  /** `audit`: the image root, whose files the engine's spans are relative to. */
  imageRoot?: ImageRoot;
  /** repo-check: the file declaring each repository, by id. */
  declarations?: ReadonlyMap<string, string>;
}

/**
 * The image root as reporters see it: relative to the working directory when inside it, else absolute.
 * The audit's spans are relative to it, except those in the policy file (relative to the working directory).
 */
function imageRootOf(cwd: string, abs: string, result: CheckResult, policyFile?: string): ImageRoot {
  const rel = relative(cwd, abs).replace(/\\/g, '/');
  const inside = rel === '' || (!rel.startsWith('../') && rel !== '..' && !isAbsolute(rel));
  const files = spanFiles(result);
  if (policyFile !== undefined) files.delete(policyFile);
  return { path: inside ? rel || '.' : abs, files };
}

/**
 * Applies waivers and baseline, writes every requested report, returns the exit code. `extras` carries
 * where findings lie in the checkout
 * (CI reporters) and what only some commands have for the HTML report: update-check's plan, lock's diff.
 */
export async function emit(
  result0: CheckResult,
  out: OutputOptions,
  io: CliIO,
  sources: Map<string, string>,
  extras: Where & DocumentExtras = {},
): Promise<number> {
  let result = result0;
  if (out.waivers) {
    const text = await readInput(io, out.waivers, 'a waivers file (schema/waivers-v1.schema.json)', out.host);
    const { applyWaivers, parseWaivers } = await import('../policy/waivers.js');
    const parsed = parseWaivers(text, out.waivers);
    // A waivers file that cannot be used is an input error: applying part of it, or none of it, would
    // fail (or pass) the run on findings it meant to waive without saying why.
    if (parsed.errors.length > 0) {
      throw combineInputErrors(
        parsed.errors.map(
          (e) =>
            new InputError(e.kind, e.message.replace(/^reading waivers: /, ''), {
              file: e.file ?? out.waivers!,
              ...(e.line !== undefined && { line: e.line }),
              ...(e.column !== undefined && { column: e.column }),
              expected: 'a waivers file as schema/waivers-v1.schema.json describes',
            }),
        ),
      );
    }
    result = applyWaivers(result, parsed.waivers, new Date().toISOString().slice(0, 10));
  }
  if (out.baseline) {
    const text = await readInput(
      io,
      out.baseline,
      'a JSON report written by redproof --json',
      out.host,
      'fileSize',
    );
    const { applyBaseline } = await import('../policy/baseline.js');
    result = applyBaseline(result, text, out.baseline);
  }
  // the rule pages are for SARIF (help.markdown) and the HTML report; other outputs skip the reads
  const needsDocs =
    out.documents.some((d) => d.kind === 'html') ||
    [out.format, ...out.extra.map((x) => x.format)].includes('sarif');
  const ruleDocs = needsDocs
    ? await loadRuleDocs(
        result.rules.map((r) => r.id),
        (p) => readFile(new URL(p, packageRoot), 'utf8'),
      ).catch(() => new Map<string, string>())
    : new Map<string, string>();
  const color = out.color ?? (io.stdout.isTTY === true && !io.env.NO_COLOR && !out.output);
  const render = async (format: ReporterName, colored: boolean) =>
    (await loadReporter(format))(result, {
      color: colored,
      sources,
      failOn: out.failOn,
      ruleDocs,
      ...(extras.targetFile !== undefined && { targetFile: extras.targetFile }),
      ...(extras.imageRoot && { imageRoot: extras.imageRoot }),
      ...(extras.declarations && { declarations: extras.declarations }),
    });
  // JSON goes out in pieces: on a 1,000-node family it is ~90 MB (jsonReportChunks)
  const report = async (format: ReporterName, colored: boolean) =>
    format === 'json'
      ? (await import('../reporters/json.js')).jsonReportChunks(result, { failOn: out.failOn })
      : await render(format, colored);
  const main = await report(out.format, out.format === 'text' && color);
  if (out.output) await writeOut(io, out.output, main);
  else await writeStdout(io, main);
  for (const x of out.extra) await writeOut(io, x.file, await report(x.format, false));
  if (out.documents.length) {
    const { renderDocument } = await import('./documents.js');
    for (const d of out.documents) {
      await writeOut(
        io,
        d.file,
        await renderDocument(
          d.kind,
          result,
          {
            ...(extras.plan && { plan: extras.plan }),
            ...(extras.lockChanges && { lockChanges: extras.lockChanges }),
            sources,
            ruleDocs,
            failOn: out.failOn,
          },
          io.env,
        ),
      );
    }
  }
  return exitCode(result, out.failOn);
}

/**
 * Runs a command's engine call; when it fails on input the tool cannot use, the requested report files
 * are still written, carrying the error (JUnit <error>, SARIF executionSuccessful false, JSON errors),
 * so a CI dashboard shows "broken input" instead of nothing. Such a report names the input as given
 * (`input`), no arch and no rule: nothing was checked, so nothing may read as passed. The error then
 * goes on to the exit code 3.
 */
async function reportingErrors(
  out: OutputOptions,
  io: CliIO,
  command: CheckResult['command'],
  input: string,
  run: () => Promise<CheckResult>,
): Promise<CheckResult> {
  try {
    return await run();
  } catch (err) {
    const files = [
      ...out.extra,
      ...(out.output && out.format !== 'text' ? [{ format: out.format, file: out.output }] : []),
    ];
    if (files.length + out.documents.length === 0 || !(err instanceof Error) || err instanceof UsageError)
      throw err;
    const e = err as Error & { kind?: string; file?: string; line?: number; column?: number };
    const info: ToolErrorInfo = {
      kind: typeof e.kind === 'string' ? e.kind : e.name,
      message: e.message,
      ...(e.file && { file: e.file }),
      ...(e.line !== undefined && { line: e.line }),
      ...(e.column !== undefined && { column: e.column }),
    };
    const result: CheckResult = {
      command,
      tool: { name: 'redproof', version: TOOL_VERSION, libsolv: await libsolvVersion() },
      target: input,
      arch: 'unknown',
      subjects: [],
      findings: [],
      errors: [info],
      rules: [],
      stats: { packagesExamined: 0 },
    };
    for (const f of files) {
      const report = (await loadReporter(f.format))(result, { failOn: out.failOn });
      await writeOut(io, f.file, report).catch(() => {});
    }
    await failedDocuments(out.documents, result, out.failOn, io).catch(() => {});
    throw err;
  }
}

/**
 * The audit documents of a run that failed on its input. The HTML report says that the run failed and
 * why, as the JSON and SARIF reports do. An SBOM is a claim about what is installed, and this run knows
 * nothing: none is written, and a file already at its path (an earlier run's) is removed, so that no CI
 * artifact passes an old inventory off as this run's (docs/reports.md).
 */
async function failedDocuments(
  documents: readonly DocumentRequest[],
  result: CheckResult,
  failOn: OutputOptions['failOn'],
  io: CliIO,
): Promise<void> {
  for (const d of documents) {
    if (d.kind === 'html') {
      const { renderDocument, sourceDateEpoch } = await import('./documents.js');
      const env = { ...io.env };
      // a bad SOURCE_DATE_EPOCH must not hide the input error: the page then has no date
      try {
        sourceDateEpoch(env);
      } catch {
        delete env.SOURCE_DATE_EPOCH;
      }
      const page = await renderDocument(
        'html',
        result,
        { sources: new Map(), ruleDocs: new Map(), failOn },
        env,
      );
      await writeOut(io, d.file, page).catch(() => {});
    } else {
      const abs = resolve(io.cwd, d.file);
      const st = await stat(abs).catch(() => undefined);
      if (st?.isFile()) await rm(abs, { force: true });
    }
  }
}

/** The reporter of a format (src/reporters/index.ts registers the same ones for the library). */
async function loadReporter(format: ReporterName): Promise<Reporter> {
  switch (format) {
    case 'text':
      return (await import('../reporters/text.js')).textReporter;
    case 'json':
      return (await import('../reporters/json.js')).jsonReporter;
    case 'sarif':
      return (await import('../reporters/sarif.js')).sarifReporter;
    case 'junit':
      return (await import('../reporters/junit.js')).junitReporter;
    case 'markdown':
      return (await import('../reporters/markdown.js')).markdownReporter;
    case 'github':
      return (await import('../reporters/github.js')).githubReporter;
    case 'gitlab':
      return (await import('../reporters/gitlab.js')).gitlabReporter;
  }
}

async function libsolvVersion(): Promise<string> {
  try {
    const { loadEngine } = await import('../solver/index.js');
    return (await loadEngine()).libsolvVersion;
  } catch {
    return 'unknown';
  }
}

/**
 * A file named on the command line: a regular file, or a pipe (`<(...)`, `/dev/stdin`), up to the
 * policy-size limit; a device or socket is refused before it is opened.
 */
export async function readInput(
  io: CliIO,
  file: string,
  expected: string,
  host: Host = createNodeHost(),
  limit: 'policySize' | 'fileSize' = 'policySize',
  /** False for a file the run found by itself (a default path, a file named in another file). */
  allowPipe = true,
): Promise<string> {
  const max = (host.limits ?? DEFAULT_LIMITS)[limit];
  try {
    return await host.readText(resolve(io.cwd, file), { allowPipe, maxBytes: max });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      err instanceof HostError && (code === 'ENOTREG' || code === 'EFBIG')
        ? err.message.replace(/^reading `[^`]*`: /, '')
        : code === 'EACCES'
          ? 'permission denied'
          : (code ?? String(err));
    const option =
      code === 'EFBIG' ? ` (--limit ${limit === 'policySize' ? 'policy-size' : 'file-size'})` : '';
    throw new InputError('unreadable', `cannot read: ${why}${option}`, { file, expected });
  }
}

/**
 * A file the run opens without being told to (`.redproof.yaml`, the default lockfile): nothing there is
 * `undefined`; anything but a regular file (a FIFO would block, `/dev/zero` never ends) and a file over
 * `policy-size` are input errors, refused before a byte is read.
 */
async function readImplicit(
  host: Host,
  abs: string,
  shown: string,
  expected: string,
): Promise<string | undefined> {
  const max = (host.limits ?? DEFAULT_LIMITS).policySize;
  try {
    return await host.readText(abs, { maxBytes: max });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new InputError('unreadable', `cannot read: ${hostReason(err, 'policy-size')}`, {
      file: shown,
      expected,
    });
  }
}

/** The host of a run, carrying the `--limit` bounds. */
function hostFor(values: Record<string, unknown>): Host {
  const limits = parseLimits((values.limit as string[] | undefined) ?? []);
  if (typeof limits === 'string') throw new UsageError(limits);
  return createNodeHost(limits);
}

/**
 * Pieces of a report joined into writes of about 1 MiB: a big report (jsonReportChunks) never exists
 * as one string or one buffer. A newline ends the text if it has none.
 */
function* batched(pieces: Iterable<string>): Generator<string> {
  let buf = '';
  for (const p of pieces) {
    buf += p;
    if (buf.length >= 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  yield buf.endsWith('\n') ? buf : `${buf}\n`;
}

/**
 * A report on standard output (a string or its pieces). Pieces wait for a pipe to drain: a pipe takes
 * writes asynchronously, and otherwise every piece of a ~1 GB report would be queued in memory at once.
 */
async function writeStdout(io: CliIO, text: string | Iterable<string>): Promise<void> {
  if (typeof text === 'string') {
    io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    return;
  }
  const out = io.stdout;
  for (const b of batched(text)) {
    if (out.write(b) || out.writableEnded || out.destroyed) continue;
    // an error or a closed reader ends the wait too (main reports it, or ends quietly on EPIPE)
    await new Promise<void>((done) => {
      const finish = () => {
        out.off('drain', finish);
        out.off('error', finish);
        out.off('close', finish);
        done();
      };
      out.on('drain', finish);
      out.on('error', finish);
      out.on('close', finish);
    });
  }
}

export async function writeOut(io: CliIO, file: string, text: string | Iterable<string>): Promise<void> {
  const abs = resolve(io.cwd, file);
  try {
    await mkdir(dirname(abs), { recursive: true });
    if (typeof text === 'string') await writeFile(abs, text.endsWith('\n') ? text : `${text}\n`);
    else {
      const fh = await open(abs, 'w');
      try {
        for (const b of batched(text)) await fh.write(b);
      } finally {
        await fh.close();
      }
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'EEXIST' || code === 'ENOTDIR'
        ? `a parent of the path is a file, not a directory (${code})`
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? String(err));
    throw new InputError('unwritable', `cannot write: ${why}`, {
      file: relative(io.cwd, abs) || file,
      expected: 'a writable file path',
    });
  }
}
