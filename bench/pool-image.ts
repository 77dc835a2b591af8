/**
 * Pool image benchmark (src/solver/image.ts): what a prepared pool costs to make from the `.solv` files a
 * warm cache holds (Repo.add(SOLV) + Pool.prepare(), as every command does today) against restoring the
 * memory image of the same prepared pool, in fresh engines of one process, over CentOS Stream 9.
 *
 *   npx tsx bench/pool-image.ts               BaseOS, then BaseOS+AppStream; --runs 7
 *
 * The `.solv` bytes and the image are read before the clock starts (both are files of the cache).
 * Each run checks that the restored pool lists the same packages and finds the same uninstallable ones.
 * lock, check and update-check restore their pool this way (src/load/repo-pool.ts, decision 0009).
 */

import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine, type Engine, Format, type Pool } from '../src/solver/index.js';
import { CORPUS, loadBenchLib } from './lib/bench.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] ?? 7) || 7;

async function solvOf(repo: string): Promise<Uint8Array> {
  const e = await createEngine();
  const pool = e.createPool('x86_64');
  const { readFileSync, readdirSync } = await import('node:fs');
  const dir = join(CORPUS, repo, 'repodata');
  const r = pool.addRepo(repo);
  r.add(
    Format.RPMMD,
    readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('-primary.xml.gz'))!)),
    repo,
  );
  const bytes = r.writeSolv();
  pool.dispose();
  return bytes;
}

function fromSolv(e: Engine, solv: [string, Uint8Array][]): Pool {
  const pool = e.createPool('x86_64');
  for (const [name, bytes] of solv) pool.addRepo(name).add(Format.SOLV, bytes, name);
  pool.prepare();
  return pool;
}

async function main(): Promise<void> {
  const lib = await loadBenchLib();
  const rows: (string | number)[][] = [];
  for (const set of [['cs9-baseos-2024-04'], ['cs9-baseos-2024-04', 'cs9-appstream']]) {
    const solv: [string, Uint8Array][] = [];
    for (const r of set) solv.push([r, await solvOf(r)]);
    const ref = fromSolv(await createEngine(), solv);
    const refList = JSON.stringify(ref.list());
    const refBad = ref.installCheck(ref.installCheckCandidates(ref.repos), { derive: true }).length;
    const image = ref.saveImage();
    ref.dispose();
    const parse: number[] = [];
    const restore: number[] = [];
    for (let i = 0; i < runs; i++) {
      const a = await createEngine();
      let t = performance.now();
      fromSolv(a, solv).dispose();
      parse.push(performance.now() - t);
      const b = await createEngine();
      t = performance.now();
      const p = b.restorePool(image);
      restore.push(performance.now() - t);
      if (JSON.stringify(p.list()) !== refList) throw new Error('restored pool lists other packages');
      const bad = p.installCheck(p.installCheckCandidates(p.repos), { derive: true }).length;
      if (bad !== refBad) throw new Error(`restored pool: ${bad} uninstallable, expected ${refBad}`);
      p.dispose();
    }
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
    const solvBytes = solv.reduce((n, [, b]) => n + b.length, 0);
    rows.push([
      set.join(' + '),
      runs,
      `${lib.median(parse).toFixed(1)} ms`,
      `${lib.median(restore).toFixed(1)} ms`,
      `${(lib.median(parse) / lib.median(restore)).toFixed(1)}×`,
      mb(solvBytes),
      mb(image.length),
      refBad,
    ]);
  }
  console.log(
    lib.markdownTable(
      [
        'repos',
        'runs',
        '.solv read + prepare',
        'image restore',
        'speed-up',
        '.solv size',
        'image size',
        'uninstallable (equal)',
      ],
      rows,
    ),
  );
}

await main();
