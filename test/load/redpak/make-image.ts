import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// Builds real red-pak images for tests: tiny rpms made with rpmbuild, installed with Debian's rpm
// into node roots laid out as red-pak writes them (FORMATS.md §3.2-3.6).

/** Fail loudly (never skip) when the native rpm tools are missing. */
export function requireRpmTools(): void {
  for (const tool of ['rpm', 'rpmbuild']) {
    const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if (r.error !== undefined || r.status !== 0) {
      throw new Error(
        `\`${tool}\` is required by the image builds (system suite, test/helpers/image-fixtures/build.ts) and was not found (install Debian's \`rpm\` package: apt-get install rpm)`,
      );
    }
  }
}

/** One file shipped by a test package. */
export interface SpecFile {
  path: string;
  content?: string;
  /** `%config` or `%config(noreplace)`. */
  config?: boolean | 'noreplace';
  ghost?: boolean;
  /** Make a symlink to this target instead of a regular file. */
  symlinkTo?: string;
  mode?: string;
}

/** A tiny package; every dependency line is written verbatim (`libfoo >= 1.2`, `(a if b)`). */
export interface PackageSpec {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  /** Target arch (`rpmbuild --target`); default `noarch`. */
  arch?: string;
  summary?: string;
  license?: string;
  vendor?: string;
  provides?: string[];
  requires?: string[];
  /** `Requires(pre):` lines. */
  requiresPre?: string[];
  /** `Requires(post):` lines. */
  requiresPost?: string[];
  conflicts?: string[];
  obsoletes?: string[];
  recommends?: string[];
  suggests?: string[];
  supplements?: string[];
  enhances?: string[];
  files?: SpecFile[];
  /**
   * BUILDTIME (seconds), through SOURCE_DATE_EPOCH, and a fixed BUILDHOST: the rpm is then the same
   * on every machine; default: when and where rpmbuild runs.
   */
  buildTime?: number;
}

function specText(p: PackageSpec): string {
  const lines = [
    `Name: ${p.name}`,
    `Version: ${p.version}`,
    `Release: ${p.release}`,
    ...(p.epoch !== undefined ? [`Epoch: ${p.epoch}`] : []),
    `Summary: ${p.summary ?? `${p.name} test package`}`,
    `License: ${p.license ?? 'MIT'}`,
    ...(p.vendor !== undefined ? [`Vendor: ${p.vendor}`] : []),
    ...(p.arch === undefined || p.arch === 'noarch' ? ['BuildArch: noarch'] : []),
    'AutoReqProv: no',
  ];
  const tag = (name: string, values: string[] | undefined) => (values ?? []).map((v) => `${name}: ${v}`);
  lines.push(
    ...tag('Provides', p.provides),
    ...tag('Requires', p.requires),
    ...tag('Requires(pre)', p.requiresPre),
    ...tag('Requires(post)', p.requiresPost),
    ...tag('Conflicts', p.conflicts),
    ...tag('Obsoletes', p.obsoletes),
    ...tag('Recommends', p.recommends),
    ...tag('Suggests', p.suggests),
    ...tag('Supplements', p.supplements),
    ...tag('Enhances', p.enhances),
  );
  lines.push('%description', `${p.name} for redproof tests`, '%install');
  for (const f of p.files ?? []) {
    const dest = `%{buildroot}${f.path}`;
    lines.push(`mkdir -p "$(dirname "${dest}")"`);
    if (f.symlinkTo !== undefined) lines.push(`ln -s '${f.symlinkTo}' "${dest}"`);
    else if (!f.ghost) lines.push(`printf '%s' '${(f.content ?? '').replace(/'/g, "'\\''")}' > "${dest}"`);
  }
  lines.push('%files');
  for (const f of p.files ?? []) {
    let prefix = '';
    if (f.mode !== undefined) prefix += `%attr(${f.mode},root,root) `;
    if (f.config === 'noreplace') prefix += '%config(noreplace) ';
    else if (f.config) prefix += '%config ';
    if (f.ghost) prefix += '%ghost ';
    lines.push(`${prefix}${f.path}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Build each spec with rpmbuild in `workDir`; returns rpm paths by package name. */
export function buildRpms(workDir: string, specs: readonly PackageSpec[]): Map<string, string> {
  requireRpmTools();
  const top = join(workDir, 'rpmbuild');
  mkdirSync(join(top, 'SPECS'), { recursive: true });
  const out = new Map<string, string>();
  for (const p of specs) {
    const spec = join(top, 'SPECS', `${p.name}.spec`);
    writeFileSync(spec, specText(p));
    const arch = p.arch ?? 'noarch';
    const target = arch === 'noarch' ? [] : ['--target', arch];
    const fixedTime =
      p.buildTime === undefined
        ? []
        : [
            '--define',
            'use_source_date_epoch_as_buildtime 1',
            '--define',
            'clamp_mtime_to_source_date_epoch 1',
            '--define',
            '_buildhost redproof.test',
          ];
    execFileSync(
      'rpmbuild',
      [
        '--quiet',
        '--define',
        `_topdir ${top}`,
        '--define',
        '_build_id_links none',
        ...fixedTime,
        ...target,
        '-bb',
        spec,
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        ...(p.buildTime !== undefined && { env: { ...process.env, SOURCE_DATE_EPOCH: String(p.buildTime) } }),
      },
    );
    // rpm file names never carry the epoch.
    out.set(p.name, join(top, 'RPMS', arch, `${p.name}-${p.version}-${p.release}.${arch}.rpm`));
  }
  return out;
}

/**
 * `rpm --root ROOT --dbpath /var/lib/rpm -i --nodeps --noscripts --ignorearch [FLAGS] RPMS...`.
 * Pass e.g. `['--replacefiles']` to install file-conflicting packages in one transaction, or
 * `['--force']` for a duplicate NEVRA.
 */
export function installRpms(root: string, rpms: readonly string[], flags: readonly string[] = []): void {
  if (rpms.length === 0) return;
  execFileSync(
    'rpm',
    [
      '--root',
      root,
      '--dbpath',
      '/var/lib/rpm',
      '-i',
      '--nodeps',
      '--noscripts',
      '--ignorearch',
      ...flags,
      ...rpms,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}

/** Query an installed db the way the tests compare with: `rpm -q --root ROOT --qf FMT NAME`. */
export function rpmQuery(root: string, args: readonly string[]): string {
  return execFileSync('rpm', ['--root', root, '--dbpath', '/var/lib/rpm', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}

/** `.rednode.yaml` exactly as `tests/conf/do-conf-tests.sh` writes it (FORMATS.md §3.4). */
export function statusYaml(opts: {
  realpath: string;
  state?: string;
  timestamp?: string;
  info?: string;
}): string {
  return [
    `realpath: ${opts.realpath}`,
    `info: ${opts.info ?? 'created by do-conf-tests.sh the Wed Jan  1 07:00:00 UTC 2020'}`,
    `timestamp: ${opts.timestamp ?? '1577862000000'}`,
    `state: ${opts.state ?? 'Enable'}`,
    '',
  ].join('\n');
}

/** `leaf-normal.yaml` as FORMATS.md §3.6 shows it, with the headers replaced as the factory does. */
export function leafNormalYaml(alias: string, name = `${alias}-uuid`): string {
  return `headers:
    alias: ${alias}
    name: ${name}
    info: default leaf node configuration
config:
    rpmdir: $NODE_PATH/var/lib/rpm
    persistdir: $NODE_PATH/var/lib/dnf
    path: /nodes/$NODE_ALIAS/usr/bin
    ldpath: /nodes/$NODE_ALIAS/usr/lib:/nodes/$NODE_ALIAS/usr/lib64
    verbose: 1
    share_net: enabled
environ:
  - key: XDG_RUNTIME_DIR
    value: /run/user/$UID
    mode: Default
  - mode: Default
    key: LISTEN_PID
    value: 2
exports:
  - mode: Private
    mount: /var/local
    path: $NODE_PATH/var/local
  - mount: /nodes/_private
    path:  $NODE_PATH/private
    mode:  Private
  - mount: /var/lib/rpm
    path:  $NODE_PATH/var/lib/rpm
    mode:  Private
  - mount: /nodes/$NODE_ALIAS/usr
    path: $NODE_PATH/usr
    mode: Restricted
  - mount: /nodes/$NODE_ALIAS/var
    path: $NODE_PATH/var
    mode: Public
`;
}

/** `leaf-admin.yaml` as FORMATS.md §3.6 shows it; the factory sets `alias: admin-of-<alias>`. */
export function leafAdminYaml(alias: string): string {
  return `headers:
  alias: admin-of-${alias}
  name: LEAF-ADMIN
  info: default leaf node administrative configuration
exports:
  - mode: Public
    mount: $NODE_PATH/var/lib/rpm/
    path: $NODE_PATH/var/lib/rpm/
  - mode: Restricted
    mount: $NODE_PATH/etc/redpak.yaml
    path: $NODE_PATH/etc/redpak.yaml
  - mode: Restricted
    mount: $NODE_PATH/etc/redpak-admin.yaml
    path: $NODE_PATH/etc/redpak-admin.yaml
  - mode: Private
    mount: $NODE_PATH/etc/yum.repos.d
    path: $NODE_PATH/etc/yum.repos.d
  - mode: Restricted
    mount: $NODE_PATH/.rednode.yaml
    path: $NODE_PATH/.rednode.yaml
  - mode: Private
    mount: $NODE_PATH
    path: $NODE_PATH
`;
}

/** System node `root-normal.yaml`: FORMATS.md §3.6 `config` excerpt plus a few of its host exports. */
export function rootNormalYaml(alias = 'system'): string {
  return `headers:
    alias: ${alias}
    name: ${alias}-uuid
    info: default root node configuration
exports:
  - mode: Restricted
    mount: /lib64
    path: /usr/lib64
  - mode: Restricted
    mount: /bin
    path: /usr/bin
  - mode: Procfs
    mount: /proc
  - mode: Devfs
    mount: /dev
  - mode: Tmpfs
    mount: /tmp
  - mode: Execfd
    mount: /etc/passwd
    path: getent passwd $UID 65534
config:
    rpmdir: /var/lib/rpm
    persistdir: /var/lib/dnf
    cachedir: $NODE_PATH/var/cache/dnf
    gpgcheck: true
    verbose: 0
    umask: 027
    path: '/bin'
    ldpath: '/lib64'
    share_all: disabled
    share_user: unset
    share_net: enabled
    hostname: $LEAF_ALIAS
    chdir: /home/$LEAF_ALIAS
    die-with-parent: enabled
    new-session: unset
    cgrouproot: /sys/fs/cgroup/user.slice/user-$UID.slice/user@$UID.service
`;
}

/** `root-admin.yaml` part that matters: the host rpmdb bind-mounted as the system node's db (FORMATS.md §3.6). */
export function rootAdminYaml(alias = 'system'): string {
  return `headers:
  alias: admin-of-${alias}
  name: ROOT-ADMIN
  info: default root node administrative configuration
exports:
  - mode: Public
    mount: $NODE_PATH/var/lib/rpm
    path: /var/lib/rpm
`;
}

/**
 * A config as redconf writes it back through libcyaml (FORMATS.md §3.6 "What redconf actually
 * writes"): key order headers/exports/environ/config, exports as mode/mount/path, defaulted
 * scalars written explicitly, and strings that need quoting emitted with the `!` tag.
 */
export function libcyamlYaml(opts: {
  alias: string;
  name?: string;
  info?: string;
  exports?: { mode: string; mount: string; path?: string }[];
  environ?: { mode?: string; key: string; value?: string }[];
  config?: Record<string, string>;
  capabilities?: { cap: string; add: number }[];
}): string {
  const q = (s: string): string => {
    if (/^[A-Za-z0-9_$/.@:+-][A-Za-z0-9_$/.@:+ -]*$/.test(s) && !s.endsWith(' ')) return s;
    if (s.includes('\n')) return `! ${JSON.stringify(s)}`;
    return `! '${s.replace(/'/g, "''")}'`;
  };
  const out = ['headers:', `  alias: ${q(opts.alias)}`];
  if (opts.name !== undefined) out.push(`  name: ${q(opts.name)}`);
  if (opts.info !== undefined) out.push(`  info: ${q(opts.info)}`);
  if (opts.exports !== undefined) {
    out.push('exports:');
    for (const e of opts.exports) {
      out.push(`- mode: ${e.mode}`, `  mount: ${q(e.mount)}`);
      out.push(`  path: ${q(e.path ?? e.mount)}`);
    }
  }
  if (opts.environ !== undefined) {
    out.push('environ:');
    for (const e of opts.environ) {
      out.push(`- mode: ${e.mode ?? 'Default'}`, `  key: ${q(e.key)}`);
      if (e.value !== undefined) out.push(`  value: ${q(e.value)}`);
    }
  }
  const config: Record<string, string> = {
    'map-root-user': '0',
    gpgcheck: 'false',
    unsafe: 'false',
    'inherit-env': 'false',
    'die-with-parent': 'Unset',
    'new-session': 'Unset',
    ...opts.config,
  };
  out.push('config:');
  for (const [k, v] of Object.entries(config)) out.push(`  ${k}: ${q(v)}`);
  if (opts.capabilities !== undefined) {
    out.push('  capabilities:');
    for (const c of opts.capabilities) out.push(`  - cap: ${c.cap}`, `    add: ${c.add}`);
  }
  return `${out.join('\n')}\n`;
}

/** One node of a test image. */
export interface NodeSpec {
  /** Image-relative path, e.g. `var/redpak/platform`. */
  path: string;
  /** Written verbatim to `.rednode.yaml` (default: `statusYaml` with state Enable). */
  status?: string;
  /** Written verbatim to the config (default: `leafNormalYaml(basename)`). */
  config?: string;
  /** Written to the admin config when given (default: `leafAdminYaml(basename)`); `null` for none. */
  admin?: string | null;
  /** Use the pre-2.3.0 names `etc/redpack.yaml` / `etc/redpack-admin.yaml`. */
  legacyNames?: boolean;
  /** Names of packages (from `ImageSpec.packages`) to install in this node. */
  install?: string[];
  /** Extra `rpm -i` flags for this node's install (`--replacefiles`, `--force`). */
  installFlags?: string[];
}

export interface ImageSpec {
  packages?: PackageSpec[];
  /** rpm files built beforehand (by name), e.g. by `buildRpms`, shared between images. */
  rpms?: ReadonlyMap<string, string>;
  /** Packages installed in the image's own `/var/lib/rpm` (the host layer). */
  host?: string[];
  /** Extra `rpm -i` flags for the host install. */
  hostInstallFlags?: string[];
  nodes?: NodeSpec[];
  /** Extra files (`content`) or symlinks (`symlinkTo`) by image path. */
  extra?: { path: string; content?: string; symlinkTo?: string }[];
}

export interface BuiltImage {
  /** Host path of IMAGE_ROOT. */
  root: string;
  /** Work directory holding the image, the rpmbuild tree and anything else (removed by `cleanup`). */
  workDir: string;
  rpms: Map<string, string>;
  /** Host path of a node (or `''` for the image root). */
  pathOf(imagePath: string): string;
  cleanup(): void;
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** Build an image: packages, host db, nodes with their files and dbs, extras. */
export function makeImage(spec: ImageSpec): BuiltImage {
  const workDir = mkdtempSync(join(tmpdir(), 'redproof-image-'));
  const root = join(workDir, 'image');
  mkdirSync(root, { recursive: true });
  const rpms = new Map<string, string>(spec.rpms ?? []);
  if (spec.packages !== undefined && spec.packages.length > 0) {
    for (const [k, v] of buildRpms(workDir, spec.packages)) rpms.set(k, v);
  }
  const rpmsOf = (names: readonly string[] = []) =>
    names.map((n) => {
      const p = rpms.get(n);
      if (p === undefined) throw new Error(`make-image: unknown package \`${n}\``);
      return p;
    });
  installRpms(root, rpmsOf(spec.host), spec.hostInstallFlags);
  for (const n of spec.nodes ?? []) {
    const dir = join(root, n.path);
    const alias = n.path.slice(n.path.lastIndexOf('/') + 1);
    mkdirSync(dir, { recursive: true });
    write(join(dir, '.rednode.yaml'), n.status ?? statusYaml({ realpath: `/${n.path}` }));
    const normal = n.legacyNames ? 'etc/redpack.yaml' : 'etc/redpak.yaml';
    const admin = n.legacyNames ? 'etc/redpack-admin.yaml' : 'etc/redpak-admin.yaml';
    write(join(dir, normal), n.config ?? leafNormalYaml(alias));
    if (n.admin !== null) write(join(dir, admin), n.admin ?? leafAdminYaml(alias));
    installRpms(dir, rpmsOf(n.install), n.installFlags);
  }
  for (const e of spec.extra ?? []) {
    const p = join(root, e.path);
    mkdirSync(dirname(p), { recursive: true });
    if (e.symlinkTo !== undefined) symlinkSync(e.symlinkTo, p);
    else writeFileSync(p, e.content ?? '');
  }
  return {
    root,
    workDir,
    rpms,
    pathOf: (imagePath) => (imagePath === '' ? root : join(root, imagePath)),
    cleanup: () => rmSync(workDir, { recursive: true, force: true }),
  };
}
