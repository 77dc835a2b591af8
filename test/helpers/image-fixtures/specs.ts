import {
  type ImageSpec,
  leafNormalYaml,
  libcyamlYaml,
  rootAdminYaml,
  rootNormalYaml,
  statusYaml,
} from '../../load/redpak/make-image.js';
import { TEST_PACKAGES } from '../../load/rpmdb/fixtures.js';

// The images the unit suite reads from test/fixtures/images/sqlite/ (built by build.ts here with rpmbuild
// and rpm, committed, rebuilt and compared by `build.ts --check` in CI).

const R = 'var/redpak';
/** A fixed BUILDTIME (and BUILDHOST, see make-image.ts) makes every rpm, so every header, reproducible. */
export const FIXTURE_BUILD_TIME = 1700000000;
const PACKAGES = TEST_PACKAGES.map((p) => ({ ...p, buildTime: FIXTURE_BUILD_TIME }));

/** The node of the `rpmdb` image holding app, other and archlib (libfoo and helper are in the host db). */
export const RPMDB_NODE = `${R}/app`;
const HOST_PACKAGES = ['libfoo', 'helper'];

/** Image path of the root holding each package of the `rpmdb` image. */
export function rpmdbRootOf(name: string): string {
  return HOST_PACKAGES.includes(name) ? '' : RPMDB_NODE;
}

export const DEP_KINDS = [
  ['provides', 'PROVIDE'],
  ['requires', 'REQUIRE'],
  ['conflicts', 'CONFLICT'],
  ['obsoletes', 'OBSOLETE'],
  ['recommends', 'RECOMMEND'],
  ['suggests', 'SUGGEST'],
  ['supplements', 'SUPPLEMENT'],
  ['enhances', 'ENHANCE'],
] as const;

/** The `rpm -q` queries test/load/rpmdb/rpmdb.test.ts compares the reader with, by package. */
export const RPM_QUERIES = {
  scalars: (name: string) => [
    '-q',
    '--qf',
    '%{NAME}|%{EPOCH}|%{VERSION}|%{RELEASE}|%{ARCH}|%{LONGSIZE}|%{LICENSE}|%{VENDOR}|%{SOURCERPM}|' +
      '%{SHA256HEADER}|%{SHA1HEADER}|%{FILEDIGESTALGO}',
    name,
  ],
  // Apart: the only answer that changes when the image is rebuilt (the check leaves it out).
  installTime: (name: string) => ['-q', '--qf', '%{INSTALLTIME}', name],
  deps: (name: string, tag: string) => [
    '-q',
    '--qf',
    `[%{${tag}NAME}|%{${tag}FLAGS}|%{${tag}VERSION}\\n]`,
    name,
  ],
  dump: (name: string) => ['-q', '--dump', name],
  fileFlags: (name: string) => ['-q', '--qf', '[%{FILENAMES} %{FILEFLAGS}\\n]', name],
};

export interface FixtureImage {
  spec: ImageSpec;
  /** `rpm --root <image path> ARGS` answers recorded at build time (rpm-queries.json). */
  queries?: { root: string; args: string[] }[];
}

export const FIXTURE_IMAGES: Record<string, FixtureImage> = {
  rpmdb: {
    spec: {
      packages: PACKAGES,
      host: HOST_PACKAGES,
      nodes: [{ path: RPMDB_NODE, install: ['app', 'other', 'archlib'] }],
    },
    queries: TEST_PACKAGES.flatMap(({ name }) => {
      const root = rpmdbRootOf(name);
      return [
        RPM_QUERIES.scalars(name),
        RPM_QUERIES.installTime(name),
        ...DEP_KINDS.map(([, tag]) => RPM_QUERIES.deps(name, tag)),
        RPM_QUERIES.dump(name),
        RPM_QUERIES.fileFlags(name),
      ].map((args) => ({ root, args }));
    }),
  },
  audit: {
    spec: {
      packages: PACKAGES,
      host: ['libfoo', 'helper'],
      nodes: [
        { path: R, config: rootNormalYaml(), admin: rootAdminYaml() },
        { path: `${R}/platform`, install: ['app'] },
        { path: `${R}/platform/nav`, install: ['libfoo', 'other'] },
      ],
    },
  },
  'discover-system': {
    spec: {
      packages: PACKAGES,
      host: ['libfoo', 'helper'],
      nodes: [
        { path: R, config: rootNormalYaml(), admin: rootAdminYaml() },
        {
          path: `${R}/platform`,
          install: ['app'],
          config: libcyamlYaml({
            alias: 'platform',
            capabilities: [
              { cap: 'ALL', add: 0 },
              { cap: 'cap_chown', add: 1 },
            ],
          }),
        },
        // Below a non-node directory: the walk still finds it, its parent is `platform`.
        { path: `${R}/platform/apps/nav`, install: ['other'] },
        { path: `${R}/platform/dup`, config: leafNormalYaml('platform') },
        { path: `${R}/platform/badalias`, config: leafNormalYaml('bad alias!') },
        {
          path: `${R}/platform/priv`,
          config: libcyamlYaml({
            alias: 'priv',
            config: { share_pid: 'enabled', share_net: 'enabled' },
            capabilities: [
              { cap: 'cap_chown', add: 1 },
              { cap: 'CAP_NET_RAW', add: 1 },
            ],
          }),
        },
        { path: `${R}/legacy`, legacyNames: true, admin: null },
        { path: `${R}/off`, status: statusYaml({ realpath: `/${R}/off`, state: 'Disable' }) },
        { path: `${R}/bad`, config: 'headers:\n  alias: bad\nconfig:\n  umask: 027\n  owner: me\n' },
        { path: `${R}/linked`, config: leafNormalYaml('linked'), admin: null },
      ],
      extra: [
        // 2021 system-node variant: absolute symlink to the host db (FORMATS.md §3.9).
        { path: `${R}/var/lib/rpm`, symlinkTo: '/var/lib/rpm' },
        // A symlinked node directory is not walked into.
        { path: `${R}/shortcut`, symlinkTo: 'platform' },
        { path: `${R}/.hidden/.rednode.yaml`, content: statusYaml({ realpath: '/hidden' }) },
      ],
    },
  },
  'discover-no-system': {
    spec: {
      packages: PACKAGES,
      host: ['libfoo'],
      nodes: [
        { path: `${R}/top`, install: ['helper'] },
        { path: `${R}/top/leaf`, install: ['app'] },
      ],
    },
  },
};
