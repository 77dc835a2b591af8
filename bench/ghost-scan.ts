/**
 * Cost of the `%ghost` scan (src/load/ghost-entries.ts) on CS9 BaseOS, cold: each run is a fresh child
 * process with no redproof cache, as a first `check` would see it. Per run: the whole repository load
 * (libsolv parse of primary and filelists, directory entries, ghost scan), and the ghost scan alone on
 * the shipped gzip files and on the same XML recompressed as xz, zstd and bzip2 (xz-utils, zstd and
 * bzip2 must be installed). Prints medians of --runs (default 3), in ms of wall time.
 *
 *   npx tsx bench/ghost-scan.ts [--runs 3]
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';

const corpus = resolve(import.meta.dirname, '../../shared/corpus');
const dir = `${corpus}/cs9-baseos-2024-04`;
const args = process.argv.slice(2);

const file = (type: string) => {
  const name = readdirSync(`${dir}/repodata`).find((n) => n.includes(`-${type}.xml`));
  if (!name) throw new Error(`no ${type} in ${dir}`);
  return readFileSync(`${dir}/repodata/${name}`);
};

const PACK: Record<string, string[]> = {
  xz: ['xz', '-6', '-T1', '-c'],
  zstd: ['zstd', '-19', '-q', '-c'],
  bzip2: ['bzip2', '-9', '-c'],
};

async function once(): Promise<Record<string, number>> {
  const { ghostEntries } = await import('../src/load/ghost-entries.js');
  const { loadRepository } = await import('../src/load/repository.js');
  const { createNodeHost } = await import('../src/host/node-host.js');
  const { loadEngine } = await import('../src/solver/index.js');
  const out: Record<string, number> = {};
  const engine = await loadEngine();
  const pool = engine.createPool('x86_64');
  let t = performance.now();
  await loadRepository(createNodeHost(), engine, pool, { id: 'baseos', path: 'baseos', absPath: dir });
  out['load (primary + filelists, cold)'] = performance.now() - t;
  pool.dispose();
  const gz = [file('primary'), file('filelists')];
  t = performance.now();
  for (const b of gz) ghostEntries(b);
  out['ghost scan, gzip (as shipped)'] = performance.now() - t;
  for (const [c, cmd] of Object.entries(PACK)) {
    const packed = gz.map((b) =>
      execFileSync(cmd[0]!, cmd.slice(1), { input: gunzipSync(b), maxBuffer: 1 << 28 }),
    );
    t = performance.now();
    for (const b of packed) ghostEntries(b);
    out[`ghost scan, ${c}`] = performance.now() - t;
  }
  return out;
}

if (args[0] === '--once') {
  process.stdout.write(`${JSON.stringify(await once())}\n`);
} else {
  const runs = Number(args[args.indexOf('--runs') + 1] ?? 3) || 3;
  const all: Record<string, number>[] = [];
  for (let i = 0; i < runs; i++) {
    const got = execFileSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--once'], {
      encoding: 'utf8',
    });
    all.push(JSON.parse(got.trim().split('\n').at(-1)!));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
  console.log(`| CS9 BaseOS (1,125 packages), median of ${runs} | ms |\n|---|---:|`);
  for (const k of Object.keys(all[0]!)) console.log(`| ${k} | ${median(all.map((r) => r[k]!)).toFixed(0)} |`);
}
