/**
 * Family benchmark: `redproof check` (the built CLI, `node dist/bin/redproof.js`; run `npm run build` first) on
 * families of 10, 50 and 200 nodes generated deterministically from CentOS Stream 9 BaseOS + AppStream.
 *
 *   npx tsx bench/family.ts                      sizes 1,10,50,200 (1 = the fixed cost); --runs 3 (1 for 200 nodes)
 *   npx tsx bench/family.ts --kinds closed --sizes 10,50 --runs 5 --seed 7 --keep DIR
 *   npx tsx bench/family.ts --kinds closed --sizes 1000 --per-node 50-150 --runs 0 --html
 *
 * --per-node MIN-MAX sets how many packages a node holds (default 50-300). --html also writes, in one more
 * untimed run, the HTML report of each family and gives its size (issue 15: at most 5 MB for 1,000 nodes
 * and 100k package entries); --runs 0 skips the timed runs (then only the HTML run; without --html, only
 * the generation, which --keep DIR keeps).
 *
 * Two kinds of generated families (seeded xorshift, default seed 42), both with the 47-package minimal base
 * closure as host (bash, coreutils-single, glibc-minimal-langpack, util-linux-core; see
 * test/corpus/families/) and node i under the host (first 3 nodes) or under a random earlier node:
 * - closed (realistic): each node adds random seed packages with everything they need on top of its
 *   view, as libsolv solves it, until it holds 50-300 packages; written as NEVRAs. Few findings.
 * - random (worst case for reporting): each node takes the next 50-300 names of a seeded shuffle of every
 *   x86_64/noarch name of the two repos. Nothing is closed: thousands of findings (RP001, RP003, RP004,
 *   RP005), all found, explained and reported in the timed run.
 *
 * Every run uses a warm cache (a --cache-dir primed by one untimed run). Measured under /usr/bin/time:
 * wall, CPU, peak RSS. Prints a markdown table with seconds per node (is it linear?) and writes
 * bench/results/family.json (git-ignored); --keep DIR also keeps the generated manifests.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createNodeHost } from '../src/host/node-host.js';
import { loadRepository } from '../src/load/repository.js';
import { job, loadEngine, type PackageSummary, type Pool } from '../src/solver/index.js';
import { BASE, CORPUS, CS9_REPOS, loadBenchLib, mb, ROOT, rng, sec } from './lib/bench.js';

const CLI = join(ROOT, 'dist/bin/redproof.js');
const SELF = resolve(import.meta.dirname, 'family.ts');
const REPOS = CS9_REPOS;

/** The minimal base closure over CS9 (the host layer of test/corpus/families/cs9-coherent.yaml). */

function parseArgs(argv: string[]) {
  const opts = {
    sizes: [1, 10, 50, 200],
    runs: 3,
    bigRuns: 1,
    seed: 42,
    keep: '',
    kinds: ['closed', 'random'],
    perNode: [50, 300] as [number, number],
    html: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sizes') opts.sizes = argv[++i]!.split(',').map(Number);
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--big-runs') opts.bigRuns = Number(argv[++i]);
    else if (a === '--seed') opts.seed = Number(argv[++i]);
    else if (a === '--keep') opts.keep = argv[++i]!;
    else if (a === '--kinds') opts.kinds = argv[++i]!.split(',');
    else if (a === '--per-node') {
      const [lo, hi] = argv[++i]!.split('-').map(Number);
      if (!(lo! >= 1 && hi! >= lo!)) throw new Error('--per-node: expected MIN-MAX, e.g. 50-150');
      opts.perNode = [lo!, hi!];
    } else if (a === '--html') opts.html = true;
    else if (a === '-h' || a === '--help') {
      console.log(readFileSync(SELF, 'utf8').split('*/')[0]);
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

interface Universe {
  /** Every x86_64/noarch name outside the base, sorted. */
  names: string[];
  /** The best candidate of a name (highest version, x86_64 before noarch before i686), as id and NEVRA. */
  best: Map<string, { id: number; nevra: string }>;
  pool: Pool;
  byId: Map<number, PackageSummary>;
}

async function universe(): Promise<Universe> {
  const engine = await loadEngine();
  const pool = engine.createPool('x86_64');
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
  pool.setArch('x86_64');
  pool.prepare();
  const all = pool.list();
  const byId = new Map(all.map((s) => [s.id, s]));
  const best = new Map<string, { id: number; nevra: string }>();
  const rank = (a: string) => (a === 'x86_64' ? 0 : 1);
  for (const s of all) {
    if (!s.installable || (s.arch !== 'x86_64' && s.arch !== 'noarch')) continue;
    const cur = best.get(s.name);
    const curS = cur && byId.get(cur.id)!;
    const cmp = curS ? pool.evrcmp(s.evr, curS.evr) : 1;
    if (!curS || cmp > 0 || (cmp === 0 && rank(s.arch) < rank(curS.arch)))
      best.set(s.name, { id: s.id, nevra: s.nevra });
  }
  const base = new Set(BASE);
  const names = [...best.keys()].filter((n) => !base.has(n)).sort();
  return { names, best, pool, byId };
}

/**
 * A family whose every node is closed: node i takes random seed packages one at a time, each with what it
 * needs on top of the node's view (ancestors + host) as libsolv solves it, until the node holds 50-300
 * packages (or 40 seeds were tried). Written as exact NEVRAs, as a lock file would. Such a family has few
 * findings (siblings may share packages: RP004; shared paths: RP005): the realistic case.
 */
function generateClosed(
  nodes: number,
  u: Universe,
  seed: number,
  [lo, hi]: [number, number],
): { yaml: string; packages: number } {
  const rand = rng(seed * 7_000_003 + nodes);
  const baseIds = BASE.map((n) => u.best.get(n)!.id);
  const views = new Map<string, number[]>([['host', baseIds]]);
  let packages = BASE.length;
  const lines = header(
    nodes,
    seed,
    'closed',
    BASE.map((n) => u.best.get(n)!.nevra),
  );
  for (let i = 0; i < nodes; i++) {
    const parent = i < 3 ? 'host' : `n${Math.floor(rand() * i)}`;
    const k = lo + Math.floor(rand() * (hi - lo + 1));
    const below = views.get(parent)!;
    const inView = new Set(below);
    let own: number[] = [];
    const seeds: number[] = [];
    for (let tries = 0; tries < 40 && own.length < k; tries++) {
      const name = u.names[Math.floor(rand() * u.names.length)]!;
      const id = u.best.get(name)!.id;
      if (inView.has(id) || own.includes(id)) continue;
      const jobs = [...below, ...seeds, id].map((x) => job.install(x));
      const r = u.pool.solve(jobs, { ignoreRecommended: true });
      if (r.problems.length) continue;
      const added = r.transaction.map((s) => s.id).filter((x) => !inView.has(x));
      if (own.length > 0 && added.length > k * 1.5) continue;
      seeds.push(id);
      own = added;
    }
    views.set(`n${i}`, [...below, ...own]);
    packages += own.length;
    const nevras = own.map((x) => u.byId.get(x)!.nevra).sort();
    lines.push(`  - alias: n${i}`, `    parent: ${parent}`, `    packages: [${nevras.join(', ')}]`);
  }
  return { yaml: `${lines.join('\n')}\n`, packages };
}

function header(nodes: number, seed: number, kind: string, host: string[]): string[] {
  return [
    `# generated by bench/family.ts: ${kind}, ${nodes} nodes, seed ${seed}`,
    'redproof: 1',
    `family: bench-${kind}-${nodes}`,
    'arch: x86_64',
    'repos:',
    ...REPOS.flatMap((id) => [`  - id: ${id}`, `    path: ${join(CORPUS, id)}`]),
    'host:',
    `  packages: [${host.join(', ')}]`,
    'nodes:',
  ];
}

function generate(
  nodes: number,
  names: string[],
  seed: number,
  [lo, hi]: [number, number],
): { yaml: string; packages: number } {
  const rand = rng(seed * 1_000_003 + nodes);
  const order = [...names];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let cursor = 0;
  let packages = BASE.length;
  const lines = header(nodes, seed, 'random', BASE);
  for (let i = 0; i < nodes; i++) {
    const parent = i < 3 ? 'host' : `n${Math.floor(rand() * i)}`;
    const k = lo + Math.floor(rand() * (hi - lo + 1));
    const picked: string[] = [];
    for (let j = 0; j < k; j++) picked.push(order[cursor++ % order.length]!);
    packages += k;
    lines.push(`  - alias: n${i}`, `    parent: ${parent}`, `    packages: [${picked.join(', ')}]`);
  }
  return { yaml: `${lines.join('\n')}\n`, packages };
}

/** One untimed run with `--html`: the report's size in bytes (and the JSON report, for the findings). */
async function htmlRun(
  args: string[],
  file: string,
): Promise<{ bytes: number; json: string; wallS: number }> {
  const { execFileSync } = await import('node:child_process');
  const t0 = process.hrtime.bigint();
  let json: string;
  try {
    json = execFileSync(process.execPath, [...args, '--html', file], {
      maxBuffer: 1 << 30,
      encoding: 'utf8',
    });
  } catch (err) {
    const e = err as { status?: number; stdout?: string };
    if (e.status !== 1 || e.stdout === undefined) throw err;
    json = e.stdout;
  }
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  return { bytes: statSync(file).size, json, wallS };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) throw new Error('dist/bin/redproof.js missing: run `npm run build` first');
  const lib = await loadBenchLib();
  const tmp = mkdtempSync(join(tmpdir(), 'bench-family-'));
  const dir = opts.keep ? resolve(opts.keep) : tmp;
  mkdirSync(dir, { recursive: true });
  const cacheDir = join(tmp, 'cache');
  const started = new Date().toISOString();
  const load0 = loadavg();
  const rows: (string | number)[][] = [];
  const results: Record<string, unknown>[] = [];
  try {
    const u = await universe();
    console.error(`# ${u.names.length} package names to draw from`);
    for (const kind of opts.kinds) {
      for (const n of opts.sizes) {
        const { yaml, packages } =
          kind === 'closed'
            ? generateClosed(n, u, opts.seed, opts.perNode)
            : generate(n, u.names, opts.seed, opts.perNode);
        const file = join(dir, `family-${kind}-${n}.yaml`);
        writeFileSync(file, yaml);
        const runs = opts.runs === 0 ? 0 : n >= 200 ? opts.bigRuns : opts.runs;
        console.error(`# ${kind}: ${n} nodes, ${packages} package entries, ${runs} run(s)`);
        // a 1,000-node manifest is above the 2 MiB a hand-written one may be (docs/limits.md)
        const args = [
          CLI,
          'check',
          file,
          '--cache-dir',
          cacheDir,
          '--format',
          'json',
          '-q',
          '--limit',
          'policy-size=64MiB',
        ];
        // --runs 0 without --html: the families are only generated (with --keep, to be timed by hand)
        if (runs === 0 && !opts.html) continue;
        const html = opts.html ? await htmlRun(args, join(dir, `family-${kind}-${n}.html`)) : undefined;
        const m =
          runs > 0
            ? await lib.measure(process.execPath, args, { runs, warmup: 1, okCodes: [0, 1] })
            : {
                stdout: html!.json,
                runs: 0,
                medianWallS: Number.NaN,
                medianCpuS: Number.NaN,
                medianRssKb: 0,
              };
        const report = JSON.parse(m.stdout) as { findings: { rule: string }[] };
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
          runs,
          ...(runs > 0
            ? [
                sec(m.medianWallS),
                sec(m.medianCpuS),
                `${((m.medianCpuS / n) * 1000).toFixed(0)} ms`,
                mb(m.medianRssKb),
              ]
            : ['-', '-', '-', '-']),
          ...(html ? [`${(html.bytes / 1e6).toFixed(2)} MB`] : []),
          findings,
        ]);
        results.push({
          kind,
          nodes: n,
          packages,
          runs: m.runs,
          medianWallS: m.medianWallS,
          medianCpuS: m.medianCpuS,
          medianRssKb: m.medianRssKb,
          ...(html && { htmlBytes: html.bytes, htmlWallS: html.wallS }),
          findings: Object.fromEntries(byRule),
        });
      }
    }
    u.pool.dispose();
    const table = lib.markdownTable(
      [
        'kind',
        'nodes',
        'package entries',
        'runs',
        'wall (median)',
        'CPU (median)',
        'CPU per node',
        'peak RSS',
        ...(opts.html ? ['HTML report'] : []),
        'findings',
      ],
      rows,
      { align: ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', ...(opts.html ? ['r' as const] : []), 'l'] },
    );
    const header = `family benchmark (redproof check, warm cache), ${started}, ${cpus().length} CPUs, load average at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}${lib.benchEnvNote()}`;
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
