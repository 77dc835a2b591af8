/**
 * repo-check benchmark: the built CLI (`node dist/bin/redproof.js repo-check`, run `npm run build` first) against
 * native libsolv installcheck (bench/native/build.sh) and Debian's dnf repoclosure
 * (bench/native/dnf-repoclosure.sh), as whole processes under /usr/bin/time: wall, CPU, peak RSS.
 *
 *   npx tsx bench/repo-check.ts                BaseOS (--runs, default 3) and BaseOS+AppStream (--full-runs, default 1)
 *   npx tsx bench/repo-check.ts --quick        BaseOS only
 *
 * redproof runs with --no-filelists (the input native installcheck reads: primary.xml only) and with
 * filelists (its default), each with a cold cache (a fresh empty --cache-dir per run) and a warm one
 * (the same --cache-dir, primed by one untimed run), with the default --jobs (the available cores). The
 * filelists variant runs only on BaseOS (AppStream's filelists is an empty stub). Then, warm and without
 * filelists: --jobs 1 (single-threaded), and --full-explanations (one solve per uninstallable package, as
 * native installcheck) with the default jobs and with --jobs 1. dnf repoclosure runs cold (fresh state dir per run) and warm (DNF_TMP
 * primed once). Note that repoclosure checks only that each requirement has a provider (closure), while
 * installcheck and redproof solve each package (installability): it does less work.
 *
 * Prints a markdown table and writes bench/results/repo-check.json (git-ignored).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CORPUS, loadBenchLib, type Measured, mb, ROOT, type Run, sec } from './lib/bench.js';

const CLI = join(ROOT, 'dist/bin/redproof.js');
const SELF = resolve(import.meta.dirname, 'repo-check.ts');

function parseArgs(argv: string[]) {
  const opts = { quick: false, runs: 3, fullRuns: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--full-runs') opts.fullRuns = Number(argv[++i]);
    else if (a === '-h' || a === '--help') {
      console.log(readFileSync(SELF, 'utf8').split('*/')[0]);
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) throw new Error('dist/bin/redproof.js missing: run `npm run build` first');
  const lib = await loadBenchLib();
  lib.ensureNative({ quiet: true });
  const installcheck = lib.nativeTool('installcheck');
  const tmp = mkdtempSync(join(tmpdir(), 'bench-repo-check-'));
  const corpora = [
    { name: 'cs9-baseos-2024-04', repos: ['cs9-baseos-2024-04'], runs: opts.runs, filelists: true },
  ];
  if (!opts.quick) {
    corpora.push({
      name: 'cs9-baseos-2024-04 + cs9-appstream',
      repos: ['cs9-baseos-2024-04', 'cs9-appstream'],
      runs: opts.fullRuns,
      filelists: false,
    });
  }
  const started = new Date().toISOString();
  const load0 = loadavg();
  const rows: (string | number)[][] = [];
  const results: Record<string, unknown>[] = [];
  let seq = 0;
  try {
    for (const c of corpora) {
      const dirs = c.repos.map((r) => join(CORPUS, r));
      console.error(`# ${c.name}: ${c.runs} run(s) each`);
      const found = (m: Measured) => {
        try {
          return (JSON.parse(m.stdout) as { stats: { uninstallable: number } }).stats.uninstallable;
        } catch {
          return Number.NaN;
        }
      };
      const redproof = async (filelists: boolean, extra: string[] = [], cold = true) => {
        const args = (cacheDir: string) => [
          CLI,
          'repo-check',
          ...dirs.flatMap((d) => ['--repo', d]),
          '--arch',
          'x86_64',
          ...(filelists ? [] : ['--no-filelists']),
          '--cache-dir',
          cacheDir,
          '--format',
          'json',
          '-q',
          ...extra,
        ];
        const coldRuns: Run[] = [];
        let coldRun: Measured | undefined;
        for (let i = 0; cold && i < c.runs; i++) {
          coldRun = await lib.measure(process.execPath, args(join(tmp, `cold-${++seq}`)), {
            runs: 1,
            okCodes: [0, 1],
          });
          coldRuns.push(...coldRun.runs);
        }
        const warmDir = join(tmp, `warm-${++seq}`);
        const warm = await lib.measure(process.execPath, args(warmDir), {
          runs: c.runs,
          warmup: 1,
          okCodes: [0, 1],
        });
        return { cold: coldRun && { ...coldRun, runs: coldRuns, ...medians(coldRuns) }, warm };
      };
      const variants: [string, Measured, number][] = [];
      const nf = await redproof(false);
      variants.push(['redproof repo-check --no-filelists, cold cache', nf.cold!, found(nf.cold!)]);
      variants.push(['redproof repo-check --no-filelists, warm cache', nf.warm, found(nf.warm)]);
      if (c.filelists) {
        const fl = await redproof(true);
        variants.push(['redproof repo-check (filelists), cold cache', fl.cold!, found(fl.cold!)]);
        variants.push(['redproof repo-check (filelists), warm cache', fl.warm, found(fl.warm)]);
      }
      const single = await redproof(false, ['--jobs', '1'], false);
      variants.push([
        'redproof repo-check --no-filelists --jobs 1, warm cache',
        single.warm,
        found(single.warm),
      ]);
      const full = await redproof(false, ['--full-explanations'], false);
      variants.push([
        'redproof repo-check --no-filelists --full-explanations, warm cache',
        full.warm,
        found(full.warm),
      ]);
      const fullSingle = await redproof(false, ['--full-explanations', '--jobs', '1'], false);
      variants.push([
        'redproof repo-check --no-filelists --full-explanations --jobs 1, warm cache',
        fullSingle.warm,
        found(fullSingle.warm),
      ]);
      const native = await lib.measure(installcheck, ['x86_64', ...dirs.map((d) => lib.primaryPath(d))], {
        runs: c.runs,
        okCodes: [0, 1],
      });
      const nativeBad = new Set([...native.stdout.matchAll(/^can't install (\S+):/gm)].map((m) => m[1])).size;
      variants.push(['native installcheck (primary)', native, nativeBad]);
      const dnfScript = join(ROOT, 'bench/native/dnf-repoclosure.sh');
      const dnfCold = await lib.measure('bash', [dnfScript, 'x86_64', ...dirs], {
        runs: c.runs,
        okCodes: [0, 1],
      });
      const dnfWarm = await lib.measure('bash', [dnfScript, 'x86_64', ...dirs], {
        runs: c.runs,
        warmup: 1,
        okCodes: [0, 1],
        env: { ...process.env, DNF_TMP: join(tmp, `dnf-${++seq}`) },
      });
      const dnfPkgs = (m: Measured) =>
        new Set([...m.stdout.matchAll(/^package: (\S+)/gm)].map((x) => x[1])).size;
      variants.push(['dnf repoclosure, cold cache', dnfCold, dnfPkgs(dnfCold)]);
      variants.push(['dnf repoclosure, warm cache', dnfWarm, dnfPkgs(dnfWarm)]);
      for (const [what, m, n] of variants) {
        rows.push([
          c.name,
          c.runs,
          what,
          sec(m.medianWallS),
          sec(m.medianCpuS),
          mb(m.medianRssKb),
          `${(m.medianWallS / native.medianWallS).toFixed(2)}×`,
          `${(m.medianCpuS / native.medianCpuS).toFixed(2)}×`,
          n,
        ]);
        results.push({
          corpus: c.name,
          what,
          runs: m.runs,
          medianWallS: m.medianWallS,
          medianCpuS: m.medianCpuS,
          medianRssKb: m.medianRssKb,
          reported: n,
        });
      }
    }
    const table = lib.markdownTable(
      [
        'corpus',
        'runs',
        'tool',
        'wall (median)',
        'CPU (median)',
        'peak RSS',
        'wall / native',
        'CPU / native',
        'reported',
      ],
      rows,
      { align: ['l', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'r'] },
    );
    const header = `repo-check benchmark, ${started}, ${cpus().length} CPUs, load average at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}${lib.benchEnvNote()}`;
    console.log(
      `${header}\n\n${table}\n\nreported: uninstallable NEVRAs (redproof, installcheck) or packages with unresolved dependencies (repoclosure).`,
    );
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(
      join(ROOT, 'bench/results/repo-check.json'),
      `${JSON.stringify({ started, loadavgStart: load0, loadavgEnd: loadavg(), options: opts, results }, null, 2)}\n`,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function medians(runs: Run[]) {
  const med = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const m = s.length >> 1;
    return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  };
  return {
    medianWallS: med(runs.map((r) => r.wallS)),
    medianCpuS: med(runs.map((r) => r.cpuS)),
    medianRssKb: med(runs.map((r) => r.maxRssKb)),
    maxRssKb: Math.max(...runs.map((r) => r.maxRssKb)),
  };
}

await main();
