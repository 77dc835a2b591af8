import type { CheckResult, Finding, Subject } from '../../src/model/finding.js';
import { fingerprint } from '../../src/policy/fingerprint.js';
import { rulesFor, toRuleMeta } from '../../src/rules/catalog.js';

/** The family manifest the findings below point into (line numbers matter for code frames). */
export const FAMILY_YAML = `redproof: 1
family: demo
arch: x86_64
repos:
  - id: demo
    path: ../repos/demo
host:
  packages: [setup, glibc, bash]
nodes:
  - alias: platform
    parent: host
    packages: [zlib, openssl-libs]
  - alias: navigation
    parent: platform
    packages: [navigation, libxml2, openssl-libs]
  - alias: media
    parent: platform
    packages: [gstreamer1, media-player, libxml2]
`;

/** `sources` option for reporters that print code frames. */
export const SOURCES: ReadonlyMap<string, string> = new Map([['families/demo.yaml', FAMILY_YAML]]);

const FILE = 'families/demo.yaml';
const CHECK_RULES = rulesFor('check').map((r) => r.id);

/** Installed bytes of each package of the demo family (a NEVRA has one size wherever it is installed). */
export const DEMO_SIZES: Readonly<Record<string, number>> = {
  'setup-2.13.7-10.el9.noarch': 726_000,
  'glibc-2.34-100.el9.x86_64': 6_236_000,
  'bash-5.1.8-9.el9.x86_64': 7_600_000,
  'zlib-1.2.11-40.el9.x86_64': 200_000,
  'openssl-libs-1:3.0.7-27.el9.x86_64': 6_700_000,
  'navigation-2.1-1.x86_64': 700_000,
  'libxml2-2.9.13-6.el9.x86_64': 2_000_000,
  'gstreamer1-1.22.1-2.el9.x86_64': 1_500_000,
  'media-player-3.0-1.x86_64': 700_000,
};

function subject(
  id: string,
  kind: Subject['kind'],
  parent: string | undefined,
  nevras: string[],
  installedSize: number,
  line: number,
): Subject {
  const out: Subject = {
    id,
    kind,
    packages: nevras.map((nevra) => ({ nevra, repo: 'demo', installSize: DEMO_SIZES[nevra]! })),
    installedSize,
    checked: CHECK_RULES,
    location: { file: FILE, line, column: 5 },
  };
  if (kind === 'node') out.alias = id;
  if (parent !== undefined) out.parent = parent;
  return out;
}

/** RP001 in media, RP003 in navigation, RP004 between navigation and media. */
export function familyFindings(): Finding[] {
  return [
    {
      rule: 'RP001',
      slug: 'unresolved-dependency',
      level: 'error',
      node: 'media',
      package: 'media-player-3.0-1.x86_64',
      repo: 'demo',
      dependency: 'libdvdread.so.8()(64bit)',
      message:
        '`media-player-3.0-1.x86_64` in node `media` requires `libdvdread.so.8()(64bit)`, which nothing provides',
      help: 'Install a provider of `libdvdread.so.8()(64bit)` in `media`, or drop `media-player-3.0-1.x86_64`',
      location: { file: FILE, line: 18, column: 28, endLine: 18, endColumn: 40 },
      evidence: [
        { role: 'requires', text: '`libdvdread.so.8()(64bit)`', package: 'media-player-3.0-1.x86_64' },
      ],
      fingerprint: fingerprint({
        rule: 'RP001',
        node: 'media',
        package: 'media-player-3.0-1.x86_64',
        dependency: 'libdvdread.so.8()(64bit)',
      }),
    },
    {
      rule: 'RP003',
      slug: 'ancestor-duplicate',
      level: 'error',
      node: 'navigation',
      package: 'openssl-libs-1:3.0.7-27.el9.x86_64',
      repo: 'demo',
      other: 'openssl-libs-1:3.0.7-27.el9.x86_64',
      otherNode: 'platform',
      message:
        '`openssl-libs-1:3.0.7-27.el9.x86_64` in node `navigation` duplicates `openssl-libs-1:3.0.7-27.el9.x86_64` already installed in ancestor `platform`',
      help: 'Remove `openssl-libs` from `navigation`: it already sees `openssl-libs-1:3.0.7-27.el9.x86_64` from `platform`',
      location: { file: FILE, line: 15, column: 37, endLine: 15, endColumn: 49 },
      evidence: [
        {
          role: 'ancestor',
          text: '`openssl-libs-1:3.0.7-27.el9.x86_64` in `platform`',
          package: 'openssl-libs-1:3.0.7-27.el9.x86_64',
          node: 'platform',
          location: { file: FILE, line: 12, column: 22, endLine: 12, endColumn: 34 },
        },
      ],
      fingerprint: fingerprint({
        rule: 'RP003',
        node: 'navigation',
        package: 'openssl-libs-1:3.0.7-27.el9.x86_64',
      }),
    },
    {
      rule: 'RP004',
      slug: 'shareable-duplicate',
      level: 'warning',
      node: 'media',
      package: 'libxml2-2.9.13-6.el9.x86_64',
      repo: 'demo',
      otherNode: 'platform',
      nodes: ['navigation', 'media'],
      message:
        '`libxml2-2.9.13-6.el9.x86_64` is installed in 2 nodes (media, navigation); one copy in their common ancestor `platform` would save 1.9 MiB',
      help: 'Install `libxml2-2.9.13-6.el9.x86_64` once in `platform` and remove it from media, navigation',
      location: { file: FILE, line: 18, column: 42 },
      evidence: [
        {
          role: 'copy',
          text: '`libxml2-2.9.13-6.el9.x86_64` in `navigation`',
          package: 'libxml2-2.9.13-6.el9.x86_64',
          node: 'navigation',
          location: { file: FILE, line: 15, column: 28 },
        },
      ],
      fingerprint: fingerprint({ rule: 'RP004', node: 'media', package: 'libxml2-2.9.13-6.el9.x86_64' }),
    },
  ];
}

/** A family check with three nodes on a host and the three findings above. */
export function familyResult(): CheckResult {
  return {
    command: 'check',
    tool: { name: 'redproof', version: '0.1.0', libsolv: '0.7.35' },
    target: 'demo',
    arch: 'x86_64',
    subjects: [
      subject(
        'host',
        'host',
        undefined,
        ['setup-2.13.7-10.el9.noarch', 'glibc-2.34-100.el9.x86_64', 'bash-5.1.8-9.el9.x86_64'],
        14_562_000,
        7,
      ),
      subject(
        'platform',
        'node',
        'host',
        ['zlib-1.2.11-40.el9.x86_64', 'openssl-libs-1:3.0.7-27.el9.x86_64'],
        6_900_000,
        10,
      ),
      subject(
        'navigation',
        'node',
        'platform',
        ['navigation-2.1-1.x86_64', 'libxml2-2.9.13-6.el9.x86_64', 'openssl-libs-1:3.0.7-27.el9.x86_64'],
        9_400_000,
        13,
      ),
      subject(
        'media',
        'node',
        'platform',
        ['gstreamer1-1.22.1-2.el9.x86_64', 'media-player-3.0-1.x86_64', 'libxml2-2.9.13-6.el9.x86_64'],
        4_200_000,
        16,
      ),
    ],
    findings: familyFindings(),
    errors: [],
    rules: rulesFor('check').map(toRuleMeta),
    stats: { packagesExamined: 11, nodes: 3, durationMs: 123 },
  };
}

/** repo-check of two repositories: two uninstallable packages in `apps`. */
export function repoCheckResult(): CheckResult {
  const finding = (pkg: string, line: number, problem: string): Finding => ({
    rule: 'RP030',
    slug: 'repo-uninstallable',
    level: 'error',
    package: pkg,
    repo: 'apps',
    message: `\`${pkg}\` of repository \`apps\` cannot be installed: ${problem}`,
    help: `Apply one of the solutions listed in the evidence, or remove \`${pkg}\` from \`apps\``,
    location: { file: 'repos/apps/repodata/primary.xml', line, column: 1 },
    evidence: [
      { role: 'rule', text: problem },
      { role: 'solution', text: `do not install \`${pkg}\`` },
    ],
    fingerprint: fingerprint({ rule: 'RP030', node: 'apps', package: pkg }),
  });
  return {
    command: 'repo-check',
    tool: { name: 'redproof', version: '0.1.0', libsolv: '0.7.35' },
    target: 'base+apps',
    arch: 'x86_64',
    subjects: [
      {
        id: 'apps',
        kind: 'repository',
        packages: [
          { nevra: 'x-1-1.noarch', repo: 'apps' },
          { nevra: 'w-2-1.x86_64', repo: 'apps' },
        ],
        checked: ['RP030'],
      },
      {
        id: 'base',
        kind: 'repository',
        packages: [
          { nevra: 'y-1-1.noarch', repo: 'base' },
          { nevra: 'z-1-1.noarch', repo: 'base' },
        ],
        checked: ['RP030'],
      },
    ],
    findings: [
      finding(
        'x-1-1.noarch',
        12,
        'package `x-1-1.noarch` requires `y`, but none of the providers can be installed',
      ),
      finding('w-2-1.x86_64', 40, 'nothing provides `libw.so.2()(64bit)` needed by `w-2-1.x86_64`'),
    ],
    errors: [],
    rules: rulesFor('repo-check').map(toRuleMeta),
    stats: { packagesExamined: 4 },
  };
}

/** A clean family check: everything proven, nothing found. */
export function cleanResult(): CheckResult {
  return { ...familyResult(), target: 'clean', findings: [], stats: { packagesExamined: 11 } };
}

/** A run that could not read one repository. */
export function toolErrorResult(): CheckResult {
  return {
    ...familyResult(),
    target: 'broken',
    findings: [],
    errors: [
      {
        kind: 'input',
        message: 'reading `repos/demo/repodata/repomd.xml`: checksum mismatch for primary.xml.gz',
        file: 'repos/demo/repodata/repomd.xml',
        line: 7,
        column: 5,
      },
      { kind: 'solver', message: 'libsolv: out of memory while creating the pool' },
    ],
  };
}

/** Deterministic Fisher-Yates shuffle (mulberry32), so "shuffled" tests are reproducible. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The same result with findings, subjects, packages and errors in another order. */
export function reordered(result: CheckResult, seed: number): CheckResult {
  return {
    ...result,
    findings: shuffled(result.findings, seed).map((f) => ({
      ...f,
      nodes: f.nodes ? shuffled(f.nodes, seed) : undefined,
    })),
    subjects: shuffled(result.subjects, seed + 1).map((s) => ({
      ...s,
      packages: shuffled(s.packages, seed + 2),
      checked: shuffled(s.checked, seed + 3),
    })),
    errors: shuffled(result.errors, seed + 4),
    rules: shuffled(result.rules, seed + 5),
  };
}
