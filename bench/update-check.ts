/**
 * update-check benchmark: `redproof update-check --upgrade-all` (the built CLI, `node dist/cli.js`; run
 * `npm run build` first) over a generated 50-node family on CentOS Stream 9 BaseOS + AppStream.
 *
 *   npx tsx bench/update-check.ts                      kinds closed,random; 50 nodes, 3 runs, seed 42
 *   npx tsx bench/update-check.ts --nodes 10,50 --runs 5 --seed 7 --keep DIR --cli OTHER/dist/cli.js
 *
 * Generation (seeded xorshift): the host layer is the 47-package minimal base closure of bench/family.ts;
 * node i hangs under the host (first 3 nodes) or under a random earlier node. Two kinds (--kinds):
 *  - closed (realistic): 10-60 seed names, closed over their dependencies on top of the node's view by
 *    libsolv with only the OLDEST version of every name considered; listed by NEVRA;
 *  - random (worst case): the next 50-300 names of a seeded shuffle of the AppStream names that exist in
 *    two or more versions, each by the exact NEVRA of its OLDEST version, not closed. AppStream keeps every
 * version, so the newest ones are the candidates; no --to is needed (the state's repositories stay
 * available). The time includes the 50 per-node transactions, the proof of the result and the reports.
 *
 * Every run uses a warm cache (a --cache-dir primed by one untimed run). Measured under /usr/bin/time:
 * wall, CPU, peak RSS. Prints a markdown table; writes bench/results/update-check.json (git-ignored).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createNodeHost } from '../src/host/node-host.js';
import { loadRepository } from '../src/load/repository.js';
import { JobFlag, job, loadEngine } from '../src/solver/index.js';

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
const SELF = resolve(import.meta.dirname, 'update-check.ts');
const REPOS = ['cs9-baseos-2024-04', 'cs9-appstream'];
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
  const opts = {
    nodes: [50],
    runs: 3,
    seed: 42,
    keep: '',
    cli: join(ROOT, 'dist/cli.js'),
    kinds: ['closed', 'random'],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--nodes') opts.nodes = argv[++i]!.split(',').map(Number);
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--seed') opts.seed = Number(argv[++i]);
    else if (a === '--keep') opts.keep = argv[++i]!;
    else if (a === '--cli') opts.cli = resolve(argv[++i]!);
    else if (a === '--kinds') opts.kinds = argv[++i]!.split(',');
    else if (a === '-h' || a === '--help') {
      console.log(readFileSync(SELF, 'utf8').split('*/')[0]);
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

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

/** For every AppStream x86_64/noarch name with 2+ versions: the NEVRA of its oldest version. */
async function oldest(): Promise<Map<string, string>> {
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
    const byName = new Map<string, { evr: string; nevra: string; count: number }>();
    for (const s of pool.list()) {
      if (s.repo !== 'cs9-appstream' || base.has(s.name)) continue;
      if (s.arch !== 'x86_64' && s.arch !== 'noarch') continue;
      const cur = byName.get(s.name);
      if (!cur) byName.set(s.name, { evr: s.evr, nevra: s.nevra, count: 1 });
      else {
        cur.count++;
        if (pool.evrcmp(s.evr, cur.evr) < 0) {
          cur.evr = s.evr;
          cur.nevra = s.nevra;
        }
      }
    }
    return new Map(
      [...byName]
        .filter(([, v]) => v.count >= 2)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, v.nevra]),
    );
  } finally {
    pool.dispose();
  }
}

function generate(nodes: number, old: Map<string, string>, seed: number) {
  const rand = rng(seed * 1_000_003 + nodes);
  const order = [...old.keys()];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let cursor = 0;
  let packages = BASE.length;
  const lines = [
    `# generated by bench/update-check.ts: ${nodes} nodes, seed ${seed}, oldest AppStream versions`,
    'redproof: 1',
    `family: update-bench-${nodes}`,
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
    const picked = new Set<string>();
    for (let j = 0; j < k; j++) picked.add(old.get(order[cursor++ % order.length]!)!);
    packages += picked.size;
    lines.push(`  - alias: n${i}`, `    parent: ${parent}`, `    packages: [${[...picked].join(', ')}]`);
  }
  return { yaml: `${lines.join('\n')}\n`, packages };
}

/**
 * closed kind: node i takes seeds (the next 10-60 names of the shuffle, oldest versions) and what they
 * need on top of the node's view, as libsolv solves it with only the oldest version of every name (and
 * BaseOS) considered, recommends ignored, seeds that cannot go in skipped (weak jobs).
 */
async function generateClosed(nodes: number, seed: number) {
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
    const all = pool.list();
    const oldestId = new Map<string, { id: number; evr: string }>();
    for (const p of all) {
      if (p.arch !== 'x86_64' && p.arch !== 'noarch') continue;
      const o = oldestId.get(p.name);
      if (!o || pool.evrcmp(p.evr, o.evr) < 0) oldestId.set(p.name, { id: p.id, evr: p.evr });
    }
    const considered = [...oldestId.values()].map((o) => o.id);
    const byId = new Map(all.map((p) => [p.id, p]));
    const base = new Set(BASE);
    const names = [...oldestId.keys()].filter((n) => !base.has(n)).sort();
    const rand = rng(seed * 1_000_003 + nodes);
    for (let i = names.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [names[i], names[j]] = [names[j]!, names[i]!];
    }
    pool.setConsidered(considered);
    const hostIds = BASE.map((n) => oldestId.get(n)!.id);
    const layers = new Map<string, number[]>([['host', hostIds]]);
    const parents = new Map<string, string>();
    let cursor = 0;
    let packages = BASE.length;
    const out: string[] = [];
    for (let i = 0; i < nodes; i++) {
      const parent = i < 3 ? 'host' : `n${Math.floor(rand() * i)}`;
      const view = new Set<number>();
      for (let l: string | undefined = parent; l; l = parents.get(l))
        for (const id of layers.get(l)!) view.add(id);
      const k = 10 + Math.floor(rand() * 51);
      const jobs = [...view].map((id) => job.install(id));
      for (let j = 0; j < k; j++) {
        const id = oldestId.get(names[cursor++ % names.length]!)!.id;
        jobs.push({ how: job.install(id).how | JobFlag.WEAK, what: id });
      }
      const { transaction } = pool.solve(jobs, { ignoreRecommended: true });
      const own = [...new Set(transaction.map((t) => t.id))].filter((id) => !view.has(id) && byId.has(id));
      layers.set(`n${i}`, own);
      parents.set(`n${i}`, parent);
      packages += own.length;
      out.push(
        `  - alias: n${i}`,
        `    parent: ${parent}`,
        `    packages: [${own.map((id) => byId.get(id)!.nevra).join(', ')}]`,
      );
    }
    const lines = [
      `# generated by bench/update-check.ts: ${nodes} closed nodes, seed ${seed}, oldest versions`,
      'redproof: 1',
      `family: update-bench-closed-${nodes}`,
      'arch: x86_64',
      'repos:',
      ...REPOS.flatMap((id) => [`  - id: ${id}`, `    path: ${join(CORPUS, id)}`]),
      'host:',
      `  packages: [${hostIds.map((id) => byId.get(id)!.nevra).join(', ')}]`,
      'nodes:',
      ...out,
    ];
    return { yaml: `${lines.join('\n')}\n`, packages };
  } finally {
    pool.dispose();
  }
}

const sec = (s: number) => `${s.toFixed(2)} s`;
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const CLI = opts.cli;
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: run \`npm run build\` first`);
  const lib = (await import(new URL('./lib/index.mjs', import.meta.url).href)) as BenchLib;
  const tmp = mkdtempSync(join(tmpdir(), 'bench-update-'));
  const dir = opts.keep ? resolve(opts.keep) : tmp;
  mkdirSync(dir, { recursive: true });
  const cacheDir = join(tmp, 'cache');
  const started = new Date().toISOString();
  const load0 = loadavg();
  const rows: (string | number)[][] = [];
  const results: Record<string, unknown>[] = [];
  try {
    const old = await oldest();
    console.error(`# ${old.size} AppStream names with 2+ versions`);
    for (const [kind, n] of opts.kinds.flatMap((k) => opts.nodes.map((n) => [k, n] as const))) {
      const { yaml, packages } =
        kind === 'closed' ? await generateClosed(n, opts.seed) : generate(n, old, opts.seed);
      const file = join(dir, `update-family-${kind}-${n}.yaml`);
      const plan = join(dir, `plan-${kind}-${n}.json`);
      writeFileSync(file, yaml);
      console.error(`# ${kind}: ${n} nodes, ${packages} package entries, ${opts.runs} run(s)`);
      const args = [
        CLI,
        'update-check',
        file,
        '--upgrade-all',
        '--plan',
        plan,
        '--cache-dir',
        cacheDir,
        '--format',
        'json',
        '-q',
      ];
      const m = await lib.measure(process.execPath, args, { runs: opts.runs, warmup: 1, okCodes: [0, 1] });
      const report = JSON.parse(m.stdout) as { findings: { rule: string }[] };
      const p = JSON.parse(readFileSync(plan, 'utf8')) as {
        nodes: { status: string; transaction: unknown[] }[];
      };
      const steps = p.nodes.reduce((s, x) => s + x.transaction.length, 0);
      const byRule = new Map<string, number>();
      for (const f of report.findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
      const findings = [...byRule]
        .sort()
        .map(([r, c]) => `${r} ${c}`)
        .join(', ');
      rows.push([
        kind,
        n,
        packages,
        steps,
        opts.runs,
        sec(m.medianWallS),
        sec(m.medianCpuS),
        mb(m.medianRssKb),
        mb(m.maxRssKb),
        findings,
      ]);
      results.push({
        kind,
        nodes: n,
        packages,
        planSteps: steps,
        runs: m.runs,
        medianWallS: m.medianWallS,
        medianCpuS: m.medianCpuS,
        medianRssKb: m.medianRssKb,
        findings: Object.fromEntries(byRule),
      });
    }
    const table = lib.markdownTable(
      [
        'kind',
        'nodes',
        'package entries',
        'plan steps',
        'runs',
        'wall (median)',
        'CPU (median)',
        'peak RSS (median)',
        'peak RSS (max)',
        'findings',
      ],
      rows,
      { align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l'] },
    );
    const header = `update-check benchmark (--upgrade-all, warm cache), ${started}, ${cpus().length} CPUs, load average at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`;
    console.log(`${header}\n\n${table}`);
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(
      join(ROOT, 'bench/results/update-check.json'),
      `${JSON.stringify({ started, loadavgStart: load0, loadavgEnd: loadavg(), options: opts, results }, null, 2)}\n`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
