/**
 * Lock benchmark: `redproof lock` (the built CLI, `node dist/bin/redproof.js`; run `npm run build` first) against
 * real dnf in the same run, over CentOS Stream 9 BaseOS + AppStream, warm caches on both sides.
 *
 *   npx tsx bench/lock.ts                 6-node family vs dnf, then the 1,000-node family; --runs 3
 *   npx tsx bench/lock.ts --nodes 200 --runs 1 --seed 7 --big-runs 1
 *
 * - 6 nodes: the whole lock, against `dnf install --assumeno` of the host's and one node's requests
 *   together (its metadata cache kept: the second and later runs are warm).
 * - N nodes (default 1,000): node i under the host (first 3) or a random earlier node, each requesting
 *   1-3 names of a fixed list of installable CS9 packages (seeded xorshift). Wall, CPU and peak RSS.
 * - `lock --hoist` on both families, against the plain lock of the same run (issue 14: at most +20% on
 *   the 6 nodes, at most the lock's own time on the N nodes), with the hoists it made.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS, CS9_REPOS, loadBenchLib, mb, ROOT, rng, sec } from './lib/bench.js';

const CLI = join(ROOT, 'dist/bin/redproof.js');
const HOST = ['bash', 'systemd', 'openssl'];
const NODES: [string, string, string[]][] = [
  ['platform', 'host', ['python3', 'nodejs']],
  ['web', 'platform', ['ruby', 'vim-enhanced']],
  ['tools', 'platform', ['git', 'tar']],
  ['net', 'platform', ['NetworkManager', 'iptables-nft']],
  ['media', 'host', ['gstreamer1', 'pipewire']],
  ['db', 'platform', ['sqlite-libs', 'lmdb-libs']],
];
const NAMES = [
  'python3',
  'nodejs',
  'ruby',
  'vim-enhanced',
  'git',
  'tar',
  'NetworkManager',
  'iptables-nft',
  'gstreamer1',
  'pipewire',
  'sqlite-libs',
  'lmdb-libs',
  'perl-interpreter',
  'zip',
  'unzip',
  'rsync',
  'jq',
  'tmux',
  'nano',
  'curl',
  'wget',
  'lsof',
  'strace',
  // not gdb-minimal: its best build cannot be installed over CS9 (RP052), which refused the whole lock
  'bzip2',
  'make',
  'patch',
  'diffutils',
  'file',
  'which',
  'less',
];

function manifest(nodes: [string, string, string[]][]): string {
  const list = (xs: string[]) => `[${xs.join(', ')}]`;
  return [
    'redproof: 1',
    'family: bench',
    'arch: x86_64',
    'repos:',
    ...CS9_REPOS.flatMap((r, i) => [`  - id: r${i}`, `    path: ${join(CORPUS, r)}`]),
    'host:',
    `  install: ${list(HOST)}`,
    'nodes:',
    ...nodes.flatMap(([a, p, xs]) => [`  - alias: ${a}`, `    parent: ${p}`, `    install: ${list(xs)}`]),
    '',
  ].join('\n');
}

function generated(n: number, seed: number): [string, string, string[]][] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const parent = i < 3 ? 'host' : `n${Math.floor(r() * i)}`;
    const k = 1 + Math.floor(r() * 3);
    const xs = [...new Set(Array.from({ length: k }, () => NAMES[Math.floor(r() * NAMES.length)]!))];
    return [`n${i}`, parent, xs];
  });
}

/** `N hoists, X MiB saved` from a JSON report of `lock --hoist`. */
function hoists(json: string): string {
  const r = JSON.parse(readFileSync(json, 'utf8')) as { hoist?: { hoists: unknown[]; savedBytes: number } };
  if (!r.hoist) return 'no hoist report';
  const n = r.hoist.hoists.length;
  return `${n} hoist${n === 1 ? '' : 's'}, ${(r.hoist.savedBytes / 1024 / 1024).toFixed(1)} MiB saved`;
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name: string, d: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : d;
  };
  const runs = opt('--runs', 3);
  const big = opt('--nodes', 1000);
  const seed = opt('--seed', 42);
  const bigRuns = opt('--big-runs', 1);
  const lib = await loadBenchLib();
  const dir = mkdtempSync(join(tmpdir(), 'redproof-bench-lock-'));
  const cache = join(dir, 'cache');
  try {
    writeFileSync(join(dir, 'six.yaml'), manifest(NODES));
    const lock = (file: string, ...extra: string[]) => [
      'lock',
      file,
      '-q',
      '--cache-dir',
      cache,
      '--lockfile',
      join(dir, 'out.lock.yaml'),
      ...extra,
    ];
    const six = await lib.measure('node', [CLI, ...lock(join(dir, 'six.yaml'))], {
      runs,
      warmup: 1,
      okCodes: [0, 1],
    });
    const sixHoist = await lib.measure(
      'node',
      [CLI, ...lock(join(dir, 'six.yaml'), '--hoist', '--json', join(dir, 'six.json'))],
      { runs, warmup: 0, okCodes: [0, 1] },
    );
    const sixHoists = hoists(join(dir, 'six.json'));
    const dnfCache = join(dir, 'dnf-cache');
    mkdirSync(join(dir, 'root'));
    mkdirSync(join(dir, 'none'));
    writeFileSync(join(dir, 'dnf.conf'), '[main]\ngpgcheck=0\n');
    const dnfArgs = [
      '--config',
      join(dir, 'dnf.conf'),
      '--installroot',
      join(dir, 'root'),
      `--setopt=reposdir=${join(dir, 'none')}`,
      `--setopt=cachedir=${dnfCache}`,
      '--noplugins',
      '--releasever',
      '9',
      '--forcearch',
      'x86_64',
      ...CS9_REPOS.flatMap((r, i) => ['--repofrompath', `r${i},${join(CORPUS, r)}`]),
      '--setopt=best=True',
      '--assumeno',
      'install',
      ...HOST,
      ...NODES[0]![2],
    ];
    const dnf = await lib.measure('dnf', dnfArgs, { runs, warmup: 1, okCodes: [0, 1] });
    writeFileSync(join(dir, 'big.yaml'), manifest(generated(big, seed)));
    const many = await lib.measure('node', [CLI, ...lock(join(dir, 'big.yaml'))], {
      runs: bigRuns,
      warmup: 0,
      okCodes: [0, 1],
    });
    const manyHoist = await lib.measure(
      'node',
      [CLI, ...lock(join(dir, 'big.yaml'), '--hoist', '--json', join(dir, 'big.json'))],
      { runs: bigRuns, warmup: 0, okCodes: [0, 1] },
    );
    const manyHoists = hoists(join(dir, 'big.json'));
    const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(0)}%`;
    console.log(
      lib.markdownTable(
        ['run', 'wall', 'CPU', 'peak RSS'],
        [
          ['redproof lock, 6 nodes, warm', sec(six.medianWallS), sec(six.medianCpuS), mb(six.medianRssKb)],
          [
            'dnf install --assumeno (host + platform), warm',
            sec(dnf.medianWallS),
            sec(dnf.medianCpuS),
            mb(dnf.medianRssKb),
          ],
          [
            `redproof lock, ${big} nodes, warm`,
            sec(many.medianWallS),
            sec(many.medianCpuS),
            mb(many.maxRssKb),
          ],
          [
            `redproof lock --hoist, 6 nodes, warm (${sixHoists})`,
            sec(sixHoist.medianWallS),
            sec(sixHoist.medianCpuS),
            mb(sixHoist.medianRssKb),
          ],
          [
            `redproof lock --hoist, ${big} nodes, warm (${manyHoists})`,
            sec(manyHoist.medianWallS),
            sec(manyHoist.medianCpuS),
            mb(manyHoist.maxRssKb),
          ],
        ],
      ),
    );
    console.log(
      `\n--hoist over the plain lock: 6 nodes ${pct(sixHoist.medianWallS, six.medianWallS)} wall, ${pct(sixHoist.medianCpuS, six.medianCpuS)} CPU; ${big} nodes ${pct(manyHoist.medianWallS, many.medianWallS)} wall, ${pct(manyHoist.medianCpuS, many.medianCpuS)} CPU; load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(' ')}${lib.benchEnvNote()}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
