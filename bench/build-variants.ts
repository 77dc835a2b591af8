/**
 * Compares builds of the engine made with other optimisation flags (wasm/build.sh with RP_WASM_OPT and
 * --out DIR), on the same inputs, each in fresh child processes: parse of CS9 BaseOS + AppStream primary
 * (+ whatprovides), installability of the first 1,500 AppStream candidates, and the .wasm size.
 *
 *   RP_WASM_OPT="-O3 -flto" bash wasm/build.sh --out /tmp/lto-out --work /tmp/wb-lto
 *   RP_WASM_OPT=-O2 bash wasm/build.sh --out /tmp/o2-out --work /tmp/wb-o2
 *   npx tsx bench/build-variants.ts wasm/dist /tmp/o2-out /tmp/lto-out [--runs 3]
 *
 * It calls the module's rp_* functions directly (the facade always loads wasm/dist).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const corpus = resolve(import.meta.dirname, '../../shared/corpus');
const args = process.argv.slice(2);

interface Raw {
  FS: { writeFile(p: string, d: Uint8Array): void; mkdir(p: string): void };
  stringToUTF8(s: string, p: number, n: number): void;
  _malloc(n: number): number;
  [k: string]: unknown;
}

function primaryOf(repo: string): string {
  const repomd = readFileSync(join(corpus, repo, 'repodata/repomd.xml'), 'utf8');
  const href = /<data type="primary">[\s\S]*?<location href="([^"]+)"/.exec(repomd)?.[1];
  if (!href) throw new Error(`no primary in ${repo}`);
  return join(corpus, repo, href);
}

async function child(dir: string): Promise<void> {
  const create = (await import(pathToFileURL(join(dir, 'libsolv.mjs')).href)).default;
  const m = (await create({
    wasmBinary: readFileSync(join(dir, 'libsolv.wasm')),
    print() {},
    printErr() {},
  })) as Raw;
  const call = (name: string, ...a: number[]) => (m[`_${name}`] as (...x: number[]) => number)(...a);
  const str = (s: string) => {
    const p = m._malloc(s.length * 3 + 1);
    m.stringToUTF8(s, p, s.length * 3 + 1);
    return p;
  };
  m.FS.mkdir('/in');
  const files = ['cs9-baseos-2024-04', 'cs9-appstream'].map((r) => readFileSync(primaryOf(r)));
  for (const [i, f] of files.entries()) m.FS.writeFile(`/in/p${i}.xml.gz`, f);
  const t0 = performance.now();
  const pool = call('rp_pool_create', str('x86_64'));
  const repos = files.map((_, i) => {
    const repo = call('rp_repo_create', pool, str(`r${i}`), 0);
    if (call('rp_repo_add_file', repo, str(`/in/p${i}.xml.gz`), 1, 0) !== 0) throw new Error('load failed');
    return repo;
  });
  call('rp_pool_prepare', pool);
  const parseMs = performance.now() - t0;
  // installability of the BaseOS candidates in the BaseOS+AppStream pool
  const n = call(
    'rp_installcheck_candidates',
    pool,
    call('rp_repo_start', repos[0]!),
    call('rp_repo_end', repos[0]!),
    str('x86_64'),
  );
  const ids = new Int32Array(n);
  const outPtr = call('rp_out_ptr');
  const text = new TextDecoder().decode(
    (m.HEAPU8 as Uint8Array).subarray(outPtr, outPtr + call('rp_out_len')),
  );
  text
    .split('\n')
    .filter(Boolean)
    .forEach((l, i) => {
      ids[i] = Number(l);
    });
  const p = m._malloc(n * 4);
  (m.HEAP32 as Int32Array).set(ids, p >> 2);
  const t1 = performance.now();
  const bad = call('rp_installcheck', pool, p, n, str('x86_64'));
  const solveMs = performance.now() - t1;
  process.stdout.write(`${JSON.stringify({ parseMs, solveMs, candidates: n, bad })}\n`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

if (args[0] === '--child') {
  await child(args[1]!);
} else {
  const runsIdx = args.indexOf('--runs');
  const runs = runsIdx >= 0 ? Number(args[runsIdx + 1]) : 3;
  const dirs = args.filter((a, i) => !a.startsWith('--') && (runsIdx < 0 || i !== runsIdx + 1));
  console.log(
    '| build | BUILDINFO optimisation | .wasm size | parse CS9 primary (median) | installcheck of 1,500 AppStream candidates (median) | uninstallable |',
  );
  console.log('|---|---|---:|---:|---:|---:|');
  for (const dir of dirs) {
    const opt = /optimisation: (.*)/.exec(readFileSync(join(dir, 'BUILDINFO'), 'utf8'))?.[1] ?? '?';
    const res: { parseMs: number; solveMs: number; bad: number }[] = [];
    for (let i = 0; i < runs; i++) {
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', import.meta.filename, '--child', resolve(dir)],
        { encoding: 'utf8' },
      );
      res.push(JSON.parse(out));
    }
    const size = (statSync(join(dir, 'libsolv.wasm')).size / 1024).toFixed(0);
    console.log(
      `| ${dir} | ${opt} | ${size} KiB | ${(median(res.map((r) => r.parseMs)) / 1000).toFixed(2)} s | ${(median(res.map((r) => r.solveMs)) / 1000).toFixed(2)} s | ${res[0]!.bad} |`,
    );
  }
}
