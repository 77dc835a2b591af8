/**
 * Runs libsolv's own test suite (test/testcases/**\/*.t of the pinned Debian libsolv 0.7.23 source)
 * through the wasm engine, the way libsolv's test/runtestcases.sh drives testsolv: pass, fail, or
 * skipped (exit 77: the case needs a feature that is not compiled in).
 *
 *   npm run conformance                      libsolv's suite (sources fetched by wasm/build.sh --sources-only)
 *   npm run conformance -- DIR...            the .t files found under other directories
 *   npm run conformance -- --native FILE     also require every case native passes (FILE: JSON written
 *                                            by bench/native/runtestcases.sh) to pass here
 *   npm run conformance -- --json FILE       write {case: "pass"|"fail"|"skip"} to FILE
 *
 * Last line: `N passed, N failed, N skipped`. Exit 1 when a case fails or differs from native.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadEngine } from '../src/solver/index.js';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
let nativeFile: string | undefined;
let jsonFile: string | undefined;
const dirs: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--native') nativeFile = args[++i];
  else if (a === '--json') jsonFile = args[++i];
  else if (a === '-h' || a === '--help') {
    console.log(readFileSync(new URL(import.meta.url), 'utf8').split('*/')[0]);
    process.exit(0);
  } else dirs.push(a);
}

if (dirs.length === 0) {
  const srcDir = join(root, '.cache', 'libsolv-src');
  const tc = join(srcDir, 'src', 'libsolv', 'test', 'testcases');
  if (!existsSync(tc)) {
    execFileSync('bash', [join(root, 'wasm', 'build.sh'), '--sources-only', '--work', srcDir], {
      stdio: 'inherit',
    });
  }
  dirs.push(tc);
}

function findCases(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findCases(p));
    else if (name.endsWith('.t')) out.push(p);
  }
  return out;
}

const engine = await loadEngine();
const results: Record<string, 'pass' | 'fail' | 'skip'> = {};
let passed = 0;
let failed = 0;
let skipped = 0;
for (const dir of dirs) {
  const cases = findCases(dir);
  if (cases.length === 0) {
    console.error(`conformance: no .t files under ${dir}`);
    process.exit(3);
  }
  for (const file of cases) {
    const name = relative(dir, file);
    const { status, output } = engine.runTestcase(file);
    results[name] = status;
    const label = `${name} `.padEnd(50, '.').slice(0, 50);
    if (status === 'pass') {
      passed++;
      console.log(`${label}   Passed`);
    } else if (status === 'skip') {
      skipped++;
      console.log(`${label}   Skipped`);
    } else {
      failed++;
      console.log(`${label}***Failed`);
      if (output) console.log(output.replace(/^/gm, '    '));
    }
  }
}

let differs = 0;
if (nativeFile) {
  const native = JSON.parse(readFileSync(nativeFile, 'utf8')) as Record<string, string>;
  for (const [name, status] of Object.entries(native)) {
    if (status === 'pass' && results[name] !== 'pass') {
      differs++;
      console.log(`native passes ${name}, wasm: ${results[name] ?? 'not run'}`);
    }
  }
  const np = Object.values(native).filter((s) => s === 'pass').length;
  console.log(`native reference: ${np} passed; wasm differs on ${differs}`);
}
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed || differs ? 1 : 0;
