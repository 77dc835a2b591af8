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

/** What `dnf install REQUESTS` would install into an empty root. */
export function dnfInstall(requests: readonly string[], options: DnfOptions): DnfResult {
  requireDnf();
  const tmp = mkdtempSync(join(tmpdir(), 'redproof-dnf-'));
  try {
    const conf = join(tmp, 'dnf.conf');
    writeFileSync(conf, '[main]\ngpgcheck=0\nskip_if_unavailable=False\n');
    mkdirSync(join(tmp, 'root'));
    mkdirSync(join(tmp, 'none'));
    const common = [
      '--config',
      conf,
      '--installroot',
      join(tmp, 'root'),
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
    const env = { ...process.env, LC_ALL: 'C.UTF-8' };
    for (const [verb, specs] of [
      ['disable', options.modules?.disable ?? []],
      ['enable', options.modules?.enable ?? []],
    ] as const) {
      if (!specs.length) continue;
      const m = spawnSync('dnf', [...common, '-y', 'module', verb, ...specs], { encoding: 'utf8', env });
      if (m.error) throw m.error;
      if (m.status !== 0)
        throw new Error(`dnf module ${verb} ${specs.join(' ')} failed:\n${m.stdout}${m.stderr}`);
    }
    const args = [...common, '--assumeno', 'install', ...requests];
    const r = spawnSync('dnf', args, {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env,
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

/** The transaction table of dnf's output, as install rows (sorted by NEVRA) and enabled module streams. */
export function parseDnfTransaction(stdout: string): {
  installs: DnfInstall[];
  modules: string[];
  sawTable: boolean;
} {
  const installs: DnfInstall[] = [];
  const modules: string[] = [];
  let section: DnfReason | 'modules' | 'other' | undefined;
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
      section = SECTIONS[t] ?? (t === 'Enabling module streams:' ? 'modules' : 'other');
      tokens = [];
      continue;
    }
    if (section === 'modules') {
      const [name, stream] = t.split(/\s+/);
      if (name && stream) modules.push(`${name}:${stream}`);
      continue;
    }
    if (section === undefined || section === 'other' || t.startsWith('replacing ')) continue;
    tokens.push(...t.split(/\s+/));
    // a row is complete at the end of a line with NAME ARCH EVR REPO SIZE [UNIT]
    if (tokens.length >= 5) {
      const [name, arch, evr, repo] = tokens as [string, string, string, string];
      installs.push({ nevra: `${name}-${evr}.${arch}`, name, evr, arch, repo, reason: section });
      tokens = [];
    }
  }
  installs.sort((a, b) => (a.nevra < b.nevra ? -1 : a.nevra > b.nevra ? 1 : 0));
  return { installs, modules: modules.sort(), sawTable };
}
