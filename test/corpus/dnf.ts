/**
 * Reference harness: what Debian's real `dnf` (package `dnf`, dnf 4 over libdnf and libsolv) would
 * install into an empty root from given rpm-md repositories, to compare `redproof lock` with.
 *
 * How it runs dnf (nothing of the host's dnf setup is read, nothing is installed or downloaded):
 *   dnf --config TMP/dnf.conf --installroot TMP/root --setopt=reposdir=TMP/none
 *       --setopt=cachedir=CACHE --noplugins --nogpgcheck --releasever R --forcearch ARCH
 *       --repofrompath ID,PATH … --repo ID … --setopt=install_weak_deps=… --setopt=best=…
 *       [--setopt=excludepkgs=…] [--setopt=module_platform_id=…] --assumeno install REQUEST…
 * With `modules`, `dnf module disable -y` then `dnf module enable -y` run first with the same options in
 * the same empty root (they only write its /etc/dnf/modules.d, as anaconda does before the selection).
 * `--assumeno` stops after the resolution and prints the transaction table; dnf then exits 1 with
 * "Operation aborted." (a real failure says "Error:" and prints no table). The table is parsed by
 * section ("Installing:" = requested, "Installing dependencies:" = dependency, "Installing weak
 * dependencies:" = weak, "Installing group/module packages:" = group) and by tokens, not columns: a row
 * is NAME ARCH EVR REPO SIZE [UNIT] (no unit below 1 kB), and dnf may wrap a long name onto a line of
 * its own, so a line of fewer than 5 tokens is joined with the next. The EVR carries the epoch only when it is not 0, as
 * in redproof's NEVRAs (`name-[epoch:]version-release.arch`).
 * A missing dnf fails loudly, naming the Debian package (never a skip).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type DnfReason = 'requested' | 'dependency' | 'weak' | 'group';

export interface DnfInstall {
  /** `name-[epoch:]version-release.arch`. */
  nevra: string;
  name: string;
  evr: string;
  arch: string;
  repo: string;
  reason: DnfReason;
}

export interface DnfOptions {
  /** Repositories in priority-free order: `id` and a directory holding repodata/. */
  repos: { id: string; path: string }[];
  /** `--forcearch` (default x86_64). */
  arch?: string;
  /** `install_weak_deps` (default true, dnf's default). */
  weakDeps?: boolean;
  /** `best` (default true, as Fedora/CentOS dnf.conf ship it; dnf's built-in default is false). */
  best?: boolean;
  /** `excludepkgs` globs. */
  excludes?: string[];
  /** `--releasever` (default 9: no $releasever is used by local repos, but dnf wants one). */
  releasever?: string;
  /** `module_platform_id`, e.g. `platform:el9` (no os-release in the empty root to detect it). */
  platform?: string;
  /** More `--setopt=KEY=VALUE`. */
  setopt?: string[];
  /** Module streams set in the root first: `dnf module disable NAME…`, then `dnf module enable SPEC…`. */
  modules?: { enable?: string[]; disable?: string[] };
  /** dnf's metadata cache: keep one per test file (`dnfCache()`), so repositories are parsed once. */
  cacheDir: string;
}

export interface DnfResult {
  /** True when dnf resolved the request (and printed a transaction, possibly empty). */
  ok: boolean;
  installs: DnfInstall[];
  /** "Enabling module streams:" rows, `name:stream`. */
  modules: string[];
  /** dnf's "No match for argument" lines (stdout) and its stderr (problems), trimmed. */
  problems: string;
  command: string[];
  stdout: string;
  stderr: string;
}

/** Throws a clear error when dnf is not installed. */
export function requireDnf(): void {
  const r = spawnSync('dnf', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(
      'dnf is not installed: the dnf reference harness needs Debian package `dnf` (apt-get install dnf)',
    );
  }
}

/** A metadata cache directory for one test file, and its cleanup. */
export function dnfCache(): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'redproof-dnf-cache-'));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

const env = () => ({ ...process.env, LC_ALL: 'C.UTF-8' });

/** dnf's options for a run in `root` (TMP holds the config and an empty reposdir). */
function dnfArgs(tmp: string, root: string, options: DnfOptions): string[] {
  const conf = join(tmp, 'dnf.conf');
  writeFileSync(conf, '[main]\ngpgcheck=0\nskip_if_unavailable=False\n');
  mkdirSync(join(tmp, 'none'), { recursive: true });
  return [
    '--config',
    conf,
    '--installroot',
    root,
    `--setopt=reposdir=${join(tmp, 'none')}`,
    `--setopt=cachedir=${options.cacheDir}`,
    '--noplugins',
    '--nogpgcheck',
    '--releasever',
    options.releasever ?? '9',
    '--forcearch',
    options.arch ?? 'x86_64',
    ...options.repos.flatMap((r) => ['--repofrompath', `${r.id},${r.path}`]),
    ...options.repos.flatMap((r) => ['--repo', r.id]),
    `--setopt=install_weak_deps=${(options.weakDeps ?? true) ? 'True' : 'False'}`,
    `--setopt=best=${(options.best ?? true) ? 'True' : 'False'}`,
    ...(options.excludes?.length ? [`--setopt=excludepkgs=${options.excludes.join(',')}`] : []),
    ...(options.platform ? [`--setopt=module_platform_id=${options.platform}`] : []),
    ...(options.setopt ?? []).map((s) => `--setopt=${s}`),
  ];
}

/** What `dnf install REQUESTS` would install into an empty root. */
export function dnfInstall(requests: readonly string[], options: DnfOptions): DnfResult {
  requireDnf();
  const tmp = mkdtempSync(join(tmpdir(), 'redproof-dnf-'));
  try {
    mkdirSync(join(tmp, 'root'));
    const common = dnfArgs(tmp, join(tmp, 'root'), options);
    for (const [verb, specs] of [
      ['disable', options.modules?.disable ?? []],
      ['enable', options.modules?.enable ?? []],
    ] as const) {
      if (!specs.length) continue;
      const m = spawnSync('dnf', [...common, '-y', 'module', verb, ...specs], {
        encoding: 'utf8',
        env: env(),
      });
      if (m.error) throw m.error;
      if (m.status !== 0)
        throw new Error(`dnf module ${verb} ${specs.join(' ')} failed:\n${m.stdout}${m.stderr}`);
    }
    const args = [...common, '--assumeno', 'install', ...requests];
    const r = spawnSync('dnf', args, {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: env(),
    });
    if (r.error) throw r.error;
    const parsed = parseDnfTransaction(r.stdout);
    const resolved = parsed.sawTable || /^Nothing to do\.$/m.test(r.stdout);
    return {
      ok: resolved && !/^Error:/m.test(r.stderr),
      installs: parsed.installs,
      modules: parsed.modules,
      problems: [...r.stdout.split('\n').filter((l) => l.startsWith('No match for argument')), r.stderr]
        .join('\n')
        .replace(/^Operation aborted\.\s*$/m, '')
        .trim(),
      command: ['dnf', ...args],
      stdout: r.stdout,
      stderr: r.stderr,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * A red-pak chain (root node first, leaf last): dnf installs all requests of the chain at once, the
 * excludes of every node applying, which is what a leaf sees through its parents.
 */
export function dnfChain(
  nodes: readonly { requests: readonly string[]; excludes?: readonly string[] }[],
  options: DnfOptions,
): DnfResult {
  const requests = [...new Set(nodes.flatMap((n) => n.requests))];
  const excludes = [...new Set([...(options.excludes ?? []), ...nodes.flatMap((n) => n.excludes ?? [])])];
  return dnfInstall(requests, { ...options, excludes });
}

const SECTIONS: Record<string, DnfReason> = {
  'Installing:': 'requested',
  'Installing dependencies:': 'dependency',
  'Installing weak dependencies:': 'weak',
  'Installing group/module packages:': 'group',
};

/** One row of dnf's transaction table, under its section heading (`Installing:`, `Upgrading:`, ...). */
export interface DnfRow {
  section: string;
  name: string;
  arch: string;
  evr: string;
  repo: string;
}

/**
 * The rows of dnf's transaction table in output order, with their section heading, and the enabled
 * module streams. Rows are read by tokens, not columns: NAME ARCH EVR REPO SIZE [UNIT] (no unit below
 * 1 kB), a long name wrapped onto a line of its own is joined with the next line.
 */
export function parseDnfTable(stdout: string): { rows: DnfRow[]; modules: string[]; sawTable: boolean } {
  const rows: DnfRow[] = [];
  const modules: string[] = [];
  let section: string | undefined;
  let tokens: string[] = [];
  let sawTable = false;
  for (const line of stdout.split('\n')) {
    const t = line.trim();
    if (/^=+$/.test(t)) continue;
    if (/^Package\s+Arch\w*\s+Version\s+Repo/.test(t)) {
      sawTable = true;
      continue;
    }
    if (!sawTable) continue;
    if (t === '' || t.startsWith('Transaction Summary')) {
      if (t.startsWith('Transaction Summary')) break;
      continue;
    }
    if (!line.startsWith(' ') && t.endsWith(':')) {
      section = t;
      tokens = [];
      continue;
    }
    if (section === 'Enabling module streams:') {
      const [name, stream] = t.split(/\s+/);
      if (name && stream) modules.push(`${name}:${stream}`);
      continue;
    }
    if (section === undefined || t.startsWith('replacing ')) continue;
    tokens.push(...t.split(/\s+/));
    // a row is complete at the end of a line with NAME ARCH EVR REPO SIZE [UNIT]
    if (tokens.length >= 5) {
      const [name, arch, evr, repo] = tokens as [string, string, string, string];
      rows.push({ section, name, arch, evr, repo });
      tokens = [];
    }
  }
  return { rows, modules: modules.sort(), sawTable };
}

/** The transaction table of dnf's output, as install rows (sorted by NEVRA) and enabled module streams. */
export function parseDnfTransaction(stdout: string): {
  installs: DnfInstall[];
  modules: string[];
  sawTable: boolean;
} {
  const { rows, modules, sawTable } = parseDnfTable(stdout);
  const installs: DnfInstall[] = [];
  for (const r of rows) {
    const reason = SECTIONS[r.section];
    if (!reason) continue;
    installs.push({
      nevra: `${r.name}-${r.evr}.${r.arch}`,
      name: r.name,
      evr: r.evr,
      arch: r.arch,
      repo: r.repo,
      reason,
    });
  }
  installs.sort((a, b) => (a.nevra < b.nevra ? -1 : a.nevra > b.nevra ? 1 : 0));
  return { installs, modules, sawTable };
}

export interface DnfUpgradeResult {
  /** True when dnf resolved the upgrade (and printed a transaction, possibly empty). */
  ok: boolean;
  /** "Upgrading:" rows, as NEVRAs, sorted. */
  upgrades: string[];
  /** "Skipping packages with broken dependencies:" rows (with best=False), as NEVRAs, sorted. */
  skipped: string[];
  /** dnf's stderr, trimmed: its problems, as the error of a failure or the warning above the table. */
  problems: string;
  command: string[];
  stdout: string;
  stderr: string;
}

/**
 * What `dnf upgrade [ARGS]` (`--assumeno`) would do in ROOT, an installroot whose rpm database at
 * `dbpath` (default `/var/lib/rpm`, where `installRpms` of the image fixtures writes it) holds the
 * installed packages: e.g. `[]` (everything), `['app']`, `['--security']`. ROOT is not changed.
 * Debian's rpm puts its database in `~/.rpmdb` (`%_dbpath` in /usr/lib/rpm/macros), so dnf runs with a
 * HOME of its own whose `.rpmmacros` sets `%_dbpath`, read by librpm under the installroot.
 */
export function dnfUpgrade(
  root: string,
  args: readonly string[],
  options: DnfOptions & { dbpath?: string },
): DnfUpgradeResult {
  requireDnf();
  const tmp = mkdtempSync(join(tmpdir(), 'redproof-dnf-'));
  try {
    const home = join(tmp, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.rpmmacros'), `%_dbpath ${options.dbpath ?? '/var/lib/rpm'}\n`);
    const command = [...dnfArgs(tmp, root, options), '--assumeno', 'upgrade', ...args];
    const r = spawnSync('dnf', command, {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...env(), HOME: home },
    });
    if (r.error) throw r.error;
    const { rows, sawTable } = parseDnfTable(r.stdout);
    const nevras = (section: string) =>
      rows
        .filter((x) => x.section === section)
        .map((x) => `${x.name}-${x.evr}.${x.arch}`)
        .sort();
    const resolved = sawTable || /^Nothing to do\.$/m.test(r.stdout);
    return {
      ok: resolved && !/^Error:/m.test(r.stderr),
      upgrades: nevras('Upgrading:'),
      skipped: nevras('Skipping packages with broken dependencies:'),
      problems: r.stderr.replace(/^Operation aborted\.\s*$/m, '').trim(),
      command: ['dnf', ...command],
      stdout: r.stdout,
      stderr: r.stderr,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
