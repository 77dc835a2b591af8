/**
 * Engine benchmark: libsolv compiled to WebAssembly (the src/solver facade) against the native build
 * of the same libsolv source (bench/native/build.sh), in the same run, on CentOS Stream 9 metadata.
 *
 *   npx tsx bench/engine.ts                 BaseOS (--runs, default 3) and BaseOS+AppStream (--full-runs, default 1)
 *   npx tsx bench/engine.ts --quick         BaseOS only
 *   npx tsx bench/engine.ts --runs 5 --full-runs 3 --load-runs 10
 *
 * What is timed, for each corpus:
 * - parse P: primary.xml.gz of every repo into one pool, then what makes it queryable (file provides and
 *   the whatprovides index). wasm: Repo.add(RPMMD) + Pool.prepare() in a child process, timed inside it
 *   (performance.now() and process.cpuUsage(), module load excluded). native: `installcheck ARCH
 *   empty-primary.xml --nocheck PRIMARY...`, which parses the same files, runs pool_addfileprovides +
 *   pool_createwhatprovides and checks nothing (the one checked repo is empty); timed as a process.
 * - parse P+F: the same with filelists.xml.gz after each primary (native installcheck extends a primary
 *   with the filelists file that follows it, like Repo.add(FILELISTS)).
 * - solve: installability of every candidate package, primary only (the input of the golden sets in
 *   bench/native/expected/). wasm: Pool.installCheckCandidates + Pool.installCheck (problems included,
 *   and their parsing into objects), timed inside the child. native: a full `installcheck ARCH PRIMARY...`
 *   minus the median of its parse-only run (CPU and wall separately).
 * - peak RSS: the whole process under /usr/bin/time: the wasm child (node + module + pool) for a full
 *   parse+solve run, native installcheck for the full run.
 * - module load: performance.now() around loadEngine() in a fresh process, median of --load-runs (10).
 *
 * Prints markdown tables and writes bench/results/engine.json (git-ignored).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Format, loadEngine } from '../src/solver/index.js';
import { CORPUS, loadBenchLib, mb, ROOT, sec } from './lib/bench.js';

const SELF = resolve(import.meta.dirname, 'engine.ts');

// ---------------------------------------------------------------------------------------------------
// Child mode: one measurement inside a fresh process (so /usr/bin/time sees its peak RSS).
// ---------------------------------------------------------------------------------------------------

interface ChildResult {
  loadMs?: number;
  parseMs?: number;
  parseCpuMs?: number;
  parseWarmMs?: number;
  parseWarmCpuMs?: number;
  solveMs?: number;
  solveCpuMs?: number;
  packages?: number;
  examined?: number;
  uninstallable?: number;
}

async function child(argv: string[]): Promise<void> {
  const mode = argv[0];
  if (mode === 'load') {
    const t0 = performance.now();
    await loadEngine();
    const out: ChildResult = { loadMs: performance.now() - t0 };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const arch = argv[1]!;
  const files = argv.slice(2); // primary[,filelists] per repo
  const engine = await loadEngine();
  const inputs = files.map((f) => f.split(',').map((p) => readFileSync(p)));
  const parse = () => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const pool = engine.createPool(arch);
    const repos = inputs.map(([primary, filelists], i) => {
      const repo = pool.addRepo(`repo${i}`);
      repo.add(Format.RPMMD, primary!, `repo${i} primary`);
      if (filelists) repo.add(Format.FILELISTS, filelists, `repo${i} filelists`);
      return repo;
    });
    pool.prepare();
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    return { pool, repos, ms: t1 - t0, cpuMs: (c1.user + c1.system) / 1000 };
  };
  const { pool, repos, ms, cpuMs } = parse();
  const out: ChildResult = {
    parseMs: ms,
    parseCpuMs: cpuMs,
    packages: repos.reduce((n, r) => n + r.size, 0),
  };
  if (mode === 'parse') {
    // The same parse again in the same process: V8 has tiered the hot wasm functions up by then
    // (Liftoff baseline code first, TurboFan later), which a one-shot CLI run does not get.
    const again = parse();
    out.parseWarmMs = again.ms;
    out.parseWarmCpuMs = again.cpuMs;
    again.pool.dispose();
  }
  if (mode === 'full') {
    const c2 = process.cpuUsage();
    const t2 = performance.now();
    const candidates = pool.installCheckCandidates(repos);
    const bad = pool.installCheck(candidates);
    const t3 = performance.now();
    const c3 = process.cpuUsage(c2);
    Object.assign(out, {
      solveMs: t3 - t2,
      solveCpuMs: (c3.user + c3.system) / 1000,
      examined: candidates.length,
      uninstallable: new Set(bad.map((b) => b.nevra)).size,
    });
  }
  pool.dispose();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

// ---------------------------------------------------------------------------------------------------
// Driver.
// ---------------------------------------------------------------------------------------------------

interface Corpus {
  name: string;
  arch: string;
  repos: string[];
  runs: number;
}

function parseArgs(argv: string[]) {
  const opts = { quick: false, runs: 3, fullRuns: 1, loadRuns: 10 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--full-runs') opts.fullRuns = Number(argv[++i]);
    else if (a === '--load-runs') opts.loadRuns = Number(argv[++i]);
    else if (a === '-h' || a === '--help') {
      console.log(readFileSync(SELF, 'utf8').split('*/')[0]);
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const lib = await loadBenchLib();
  lib.ensureNative({ quiet: true });
  const installcheck = lib.nativeTool('installcheck');
  const tmp = mkdtempSync(join(tmpdir(), 'bench-engine-'));
  const empty = join(tmp, 'empty-primary.xml');
  writeFileSync(
    empty,
    '<?xml version="1.0" encoding="UTF-8"?>\n<metadata xmlns="http://linux.duke.edu/metadata/common" packages="0"></metadata>\n',
  );
  const node = (args: string[]) => [process.execPath, ['--import', 'tsx', SELF, '--child', ...args]] as const;

  const corpora: Corpus[] = [
    { name: 'cs9-baseos-2024-04', arch: 'x86_64', repos: ['cs9-baseos-2024-04'], runs: opts.runs },
  ];
  if (!opts.quick) {
    corpora.push({
      name: 'cs9-baseos-2024-04 + cs9-appstream',
      arch: 'x86_64',
      repos: ['cs9-baseos-2024-04', 'cs9-appstream'],
      runs: opts.fullRuns,
    });
  }

  const started = new Date().toISOString();
  const load0 = loadavg();
  const results: {
    corpus: string;
    arch: string;
    runs: number;
    wasm: Record<string, number>;
    native: Record<string, number>;
    raw: unknown;
  }[] = [];
  try {
    for (const c of corpora) {
      const meta = c.repos.map((r) => lib.repomdData(join(CORPUS, r)));
      const primaries = meta.map((m) => m.primary!);
      const withFl = meta.flatMap((m) => [m.primary!, ...(m.filelists ? [m.filelists] : [])]);
      const childP = meta.map((m) => m.primary!);
      const childPF = meta.map((m) => [m.primary!, ...(m.filelists ? [m.filelists] : [])].join(','));
      console.error(`# ${c.name}: ${c.runs} run(s) each`);

      const nParseP = await lib.measure(installcheck, [c.arch, empty, '--nocheck', ...primaries], {
        runs: c.runs,
        okCodes: [0],
      });
      const nParsePF = await lib.measure(installcheck, [c.arch, empty, '--nocheck', ...withFl], {
        runs: c.runs,
        okCodes: [0],
      });
      const nFull = await lib.measure(installcheck, [c.arch, ...primaries], {
        runs: c.runs,
        okCodes: [0, 1],
      });
      const nativeBad = new Set([...nFull.stdout.matchAll(/^can't install (\S+):/gm)].map((m) => m[1])).size;

      // measure() keeps only the last run's stdout: one child per run keeps every in-process timing.
      const wasmRuns = async (mode: 'parse' | 'full', files: string[]) => {
        const out: { r: ChildResult; rssKb: number }[] = [];
        for (let i = 0; i < c.runs; i++) {
          const [cmd, args] = node([mode, c.arch, ...files]);
          const m = await lib.measure(cmd, [...args], { runs: 1, okCodes: [0] });
          out.push({ r: JSON.parse(m.stdout.trim()) as ChildResult, rssKb: m.maxRssKb });
        }
        return out;
      };
      const parseRuns = (await wasmRuns('parse', childP)).map((x) => x.r);
      const parseFlRuns = (await wasmRuns('parse', childPF)).map((x) => x.r);
      const full = await wasmRuns('full', childP);
      const fullRuns = full.map((x) => x.r);
      const wFullRss = full.map((x) => x.rssKb);
      const med = (xs: (number | undefined)[]) => lib.median(xs.map((x) => (x ?? Number.NaN) / 1000));
      const w: Record<string, number> = {
        parseWallS: med(parseRuns.map((r) => r.parseMs)),
        parseCpuS: med(parseRuns.map((r) => r.parseCpuMs)),
        parseFlWallS: med(parseFlRuns.map((r) => r.parseMs)),
        parseFlCpuS: med(parseFlRuns.map((r) => r.parseCpuMs)),
        parseWarmWallS: med(parseRuns.map((r) => r.parseWarmMs)),
        parseWarmCpuS: med(parseRuns.map((r) => r.parseWarmCpuMs)),
        parseFlWarmWallS: med(parseFlRuns.map((r) => r.parseWarmMs)),
        parseFlWarmCpuS: med(parseFlRuns.map((r) => r.parseWarmCpuMs)),
        solveWallS: med(fullRuns.map((r) => r.solveMs)),
        solveCpuS: med(fullRuns.map((r) => r.solveCpuMs)),
        rssKb: lib.median(wFullRss),
        packages: fullRuns[0]?.packages ?? Number.NaN,
        examined: fullRuns[0]?.examined ?? Number.NaN,
        uninstallable: fullRuns[0]?.uninstallable ?? Number.NaN,
      };
      const n: Record<string, number> = {
        parseWallS: nParseP.medianWallS,
        parseCpuS: nParseP.medianCpuS,
        parseFlWallS: nParsePF.medianWallS,
        parseFlCpuS: nParsePF.medianCpuS,
        parseWarmWallS: nParseP.medianWallS,
        parseWarmCpuS: nParseP.medianCpuS,
        parseFlWarmWallS: nParsePF.medianWallS,
        parseFlWarmCpuS: nParsePF.medianCpuS,
        solveWallS: Math.max(0, nFull.medianWallS - nParseP.medianWallS),
        solveCpuS: Math.max(0, nFull.medianCpuS - nParseP.medianCpuS),
        fullWallS: nFull.medianWallS,
        fullCpuS: nFull.medianCpuS,
        rssKb: nFull.medianRssKb,
        uninstallable: nativeBad,
      };
      results.push({
        corpus: c.name,
        arch: c.arch,
        runs: c.runs,
        wasm: w,
        native: n,
        raw: {
          parseRuns,
          parseFlRuns,
          fullRuns,
          wFullRss,
          nParseP: nParseP.runs,
          nParsePF: nParsePF.runs,
          nFull: nFull.runs,
        },
      });
      if (w.uninstallable !== n.uninstallable) {
        console.error(`!! uninstallable differ: wasm ${w.uninstallable}, native ${n.uninstallable}`);
      }
    }

    const loads: number[] = [];
    for (let i = 0; i < opts.loadRuns; i++) {
      const [cmd, args] = node(['load']);
      const r = spawnSync(cmd, [...args], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`load child failed: ${r.stderr}`);
      loads.push((JSON.parse(r.stdout.trim()) as ChildResult).loadMs!);
    }
    const loadMs = lib.median(loads);
    const [bcmd, bargs] = node(['load']);
    const baseRssKb = (await lib.measure(bcmd, [...bargs], { runs: 3, okCodes: [0] })).medianRssKb;

    const rows: (string | number)[][] = [];
    for (const r of results) {
      const w = r.wasm;
      const n = r.native;
      const line = (what: string, wk: string, nk: string, target: string) => {
        rows.push([
          r.corpus,
          r.runs,
          what,
          sec(w[wk]!),
          sec(n[wk]!),
          ratio(w[wk]!, n[wk]!),
          sec(w[nk]!),
          sec(n[nk]!),
          ratio(w[nk]!, n[nk]!),
          target,
        ]);
      };
      line('parse primary (+prepare)', 'parseCpuS', 'parseWallS', '≤ 1.4×');
      line('parse primary+filelists', 'parseFlCpuS', 'parseFlWallS', '≤ 1.4×');
      line('parse primary, 2nd in process (wasm tiered up)', 'parseWarmCpuS', 'parseWarmWallS', '(info)');
      line('parse primary+filelists, 2nd in process', 'parseFlWarmCpuS', 'parseFlWarmWallS', '(info)');
      line(`solve: installcheck of ${w.examined} candidates`, 'solveCpuS', 'solveWallS', '≤ 1.2×');
      rows.push([
        r.corpus,
        r.runs,
        'peak RSS (parse+solve process)',
        mb(w.rssKb!),
        mb(n.rssKb!),
        ratio(w.rssKb!, n.rssKb!),
        '',
        '',
        '',
        '≤ 2×',
      ]);
      const inc = w.rssKb! - baseRssKb;
      rows.push([
        r.corpus,
        r.runs,
        'peak RSS above the idle process (node+tsx+module loaded)',
        mb(inc),
        mb(n.rssKb!),
        ratio(inc, n.rssKb!),
        '',
        '',
        '',
        '(info)',
      ]);
      rows.push([
        r.corpus,
        r.runs,
        'uninstallable NEVRAs',
        String(w.uninstallable),
        String(n.uninstallable),
        w.uninstallable === n.uninstallable ? 'equal' : 'DIFFER',
        '',
        '',
        '',
        'equal',
      ]);
    }
    const table = lib.markdownTable(
      [
        'corpus',
        'runs',
        'what',
        'wasm CPU',
        'native CPU',
        'ratio',
        'wasm wall',
        'native wall',
        'ratio',
        'target',
      ],
      rows,
      { align: ['l', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l'] },
    );
    const header = `engine benchmark, ${started}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}${lib.benchEnvNote()}`;
    console.log(
      `${header}\n\n${table}\n\nmodule load (loadEngine() in a fresh process, median of ${opts.loadRuns}): ${loadMs.toFixed(1)} ms (runs: ${loads.map((x) => x.toFixed(0)).join(', ')} ms)`,
    );
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(
      join(ROOT, 'bench/results/engine.json'),
      `${JSON.stringify({ started, loadavgStart: load0, loadavgEnd: loadavg(), cpus: cpus().length, options: opts, loadMs, loads, baseRssKb, results }, null, 2)}\n`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv.slice(3));
else await main();
