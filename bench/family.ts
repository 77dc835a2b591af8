/**
 * Family benchmark: `redproof check` (the built CLI, `node dist/cli.js`; run `npm run build` first) on
 * families of 10, 50 and 200 nodes generated deterministically from CentOS Stream 9 BaseOS + AppStream.
 *
 *   npx tsx bench/family.ts                      sizes 1,10,50,200 (1 = the fixed cost); --runs 3 (1 for 200 nodes)
 *   npx tsx bench/family.ts --sizes 10,50 --runs 5 --seed 7 --keep DIR
 *
 * Generation (seeded xorshift, default seed 42): the host layer is the 47-package minimal base closure
 * (bash, coreutils-single, glibc-minimal-langpack, util-linux-core, see test/corpus/families/); node i
 * hangs under the host (first 3 nodes) or under a random earlier node, and takes the next 50-300 names
 * of a seeded shuffle of every x86_64/noarch package name of the two repos (wrapping around when all are
 * used). Packages are not closed over their dependencies, so the families have many findings (RP001,
 * RP003, RP004, RP005...): the point is the time, which includes finding and reporting them all.
 *
 * Every run uses a warm cache (a --cache-dir primed by one untimed run). Measured under /usr/bin/time:
 * wall, CPU, peak RSS. Prints a markdown table with seconds per node (is it linear?) and writes
 * bench/results/family.json (git-ignored); --keep DIR also keeps the generated manifests.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createNodeHost } from '../src/host/node-host.js';
import { loadRepository } from '../src/load/repository.js';
import { loadEngine } from '../src/solver/index.js';

interface Run {
  wallS: number;
  cpuS: number;
  maxRssKb: number;
  exitCode: number;
}
interface Measured {
  runs: Run[];
  medianWallS: number;
  medianCpuS: number;
  medianRssKb: number;
  maxRssKb: number;
  stdout: string;
}
interface BenchLib {
  measure(
    cmd: string,
    args: string[],
    opts?: { runs?: number; warmup?: number; okCodes?: number[]; keepStdout?: boolean },
  ): Promise<Measured>;
  markdownTable(headers: string[], rows: (string | number)[][], opts?: { align?: string[] }): string;
}

const ROOT = resolve(import.meta.dirname, '..');
const CORPUS = resolve(ROOT, '../shared/corpus');
const CLI = join(ROOT, 'dist/cli.js');
const SELF = resolve(import.meta.dirname, 'family.ts');
const REPOS = ['cs9-baseos-2024-04', 'cs9-appstream'];

/** The minimal base closure over CS9 (the host layer of test/corpus/families/cs9-coherent.yaml). */
const BASE = [
  'alternatives',
  'basesystem',
  'bash',
  'ca-certificates',
  'centos-gpg-keys',
  'centos-stream-release',
  'centos-stream-repos',
  'coreutils-single',
  'crypto-policies',
  'filesystem',
  'glibc',
  'glibc-common',
  'glibc-minimal-langpack',
  'grep',
  'libacl',
  'libattr',
  'libblkid',
  'libcap',
  'libffi',
  'libgcc',
  'libgcrypt',
  'libgpg-error',
  'libmount',
  'libselinux',
  'libsepol',
  'libsigsegv',
  'libsmartcols',
  'libtasn1',
  'libuuid',
  'libxcrypt',
  'libzstd',
  'lz4-libs',
  'ncurses-base',
  'ncurses-libs',
  'openssl-libs',
  'p11-kit',
  'p11-kit-trust',
  'pcre',
  'pcre2',
  'pcre2-syntax',
  'sed',
  'setup',
  'systemd-libs',
  'tzdata',
  'util-linux-core',
  'xz-libs',
  'zlib',
];

function parseArgs(argv: string[]) {
  const opts = { sizes: [1, 10, 50, 200], runs: 3, bigRuns: 1, seed: 42, keep: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sizes') opts.sizes = argv[++i]!.split(',').map(Number);
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--big-runs') opts.bigRuns = Number(argv[++i]);
    else if (a === '--seed') opts.seed = Number(argv[++i]);
    else if (a === '--keep') opts.keep = argv[++i]!;
    else if (a === '-h' || a === '--help') {
      console.log(readFileSync(SELF, 'utf8').split('*/')[0]);
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

/** xorshift32: deterministic across Node versions (Math.random is not seedable). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

async function packageNames(): Promise<string[]> {
  const engine = await loadEngine();
  const pool = engine.createPool('x86_64');
  try {
    for (const id of REPOS) {
      const dir = join(CORPUS, id);
      await loadRepository(
        createNodeHost(),
        engine,
        pool,
        { id, path: dir, absPath: dir },
        { noFilelists: true },
      );
    }
    pool.prepare();
    const base = new Set(BASE);
    const names = new Set<string>();
    for (const s of pool.list()) {
      if ((s.arch === 'x86_64' || s.arch === 'noarch') && !base.has(s.name)) names.add(s.name);
    }
    return [...names].sort();
  } finally {
    pool.dispose();
  }
}

function generate(nodes: number, names: string[], seed: number): { yaml: string; packages: number } {
  const rand = rng(seed * 1_000_003 + nodes);
  const order = [...names];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let cursor = 0;
  let packages = BASE.length;
  const lines = [
    `# generated by bench/family.ts: ${nodes} nodes, seed ${seed}`,
    'redproof: 1',
    `family: bench-${nodes}`,
    'arch: x86_64',
    'repos:',
    ...REPOS.flatMap((id) => [`  - id: ${id}`, `    path: ${join(CORPUS, id)}`]),
    'host:',
    `  packages: [${BASE.join(', ')}]`,
    'nodes:',
  ];
  for (let i = 0; i < nodes; i++) {
    const parent = i < 3 ? 'host' : `n${Math.floor(rand() * i)}`;
    const k = 50 + Math.floor(rand() * 251);
    const picked: string[] = [];
    for (let j = 0; j < k; j++) picked.push(order[cursor++ % order.length]!);
    packages += k;
    lines.push(`  - alias: n${i}`, `    parent: ${parent}`, `    packages: [${picked.join(', ')}]`);
  }
  return { yaml: `${lines.join('\n')}\n`, packages };
}

const sec = (s: number) => `${s.toFixed(2)} s`;
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) throw new Error('dist/cli.js missing: run `npm run build` first');
  const lib = (await import(new URL('./lib/index.mjs', import.meta.url).href)) as BenchLib;
  const tmp = mkdtempSync(join(tmpdir(), 'bench-family-'));
  const dir = opts.keep ? resolve(opts.keep) : tmp;
  mkdirSync(dir, { recursive: true });
  const cacheDir = join(tmp, 'cache');
  const started = new Date().toISOString();
  const load0 = loadavg();
  const rows: (string | number)[][] = [];
  const results: Record<string, unknown>[] = [];
  try {
    const names = await packageNames();
    console.error(`# ${names.length} package names to draw from`);
    for (const n of opts.sizes) {
      const { yaml, packages } = generate(n, names, opts.seed);
      const file = join(dir, `family-${n}.yaml`);
      writeFileSync(file, yaml);
      const runs = n >= 200 ? opts.bigRuns : opts.runs;
      console.error(`# ${n} nodes, ${packages} package entries, ${runs} run(s)`);
      const args = [CLI, 'check', file, '--cache-dir', cacheDir, '--format', 'json', '-q'];
      const m = await lib.measure(process.execPath, args, { runs, warmup: 1, okCodes: [0, 1] });
      const report = JSON.parse(m.stdout) as { findings: { rule: string }[] };
      const byRule = new Map<string, number>();
      for (const f of report.findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
      const findings = [...byRule]
        .sort()
        .map(([r, c]) => `${r} ${c}`)
        .join(', ');
      rows.push([
        n,
        packages,
        runs,
        sec(m.medianWallS),
        sec(m.medianCpuS),
        `${((m.medianWallS / n) * 1000).toFixed(0)} ms`,
        mb(m.medianRssKb),
        findings,
      ]);
      results.push({
        nodes: n,
        packages,
        runs: m.runs,
        medianWallS: m.medianWallS,
        medianCpuS: m.medianCpuS,
        medianRssKb: m.medianRssKb,
        findings: Object.fromEntries(byRule),
      });
    }
    const table = lib.markdownTable(
      [
        'nodes',
        'package entries',
        'runs',
        'wall (median)',
        'CPU (median)',
        'wall per node',
        'peak RSS',
        'findings',
      ],
      rows,
      { align: ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'] },
    );
    const header = `family benchmark (redproof check, warm cache), ${started}, ${cpus().length} CPUs, load average at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`;
    console.log(`${header}\n\n${table}`);
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(
      join(ROOT, 'bench/results/family.json'),
      `${JSON.stringify({ started, loadavgStart: load0, loadavgEnd: loadavg(), options: opts, results }, null, 2)}\n`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
