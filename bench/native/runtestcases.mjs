#!/usr/bin/env node
// bench/native/runtestcases.mjs — run libsolv 0.7.23's own test suite (test/testcases/**/*.t of
// the patched Debian source tree kept by build.sh) through a testsolv, exactly like upstream
// test/runtestcases.sh: each case is `<testsolv> <file.t>`; exit 0 = pass, 77 = skipped (needs a
// feature not compiled in), anything else = fail.
//
// Usage: node bench/native/runtestcases.mjs [--testsolv CMD] [--dir DIR] [--json FILE] [--quiet]
//   --testsolv CMD  testsolv command (default: native .cache/native/bin/testsolv, built on demand).
//                   May contain arguments, split on spaces, e.g. "node wasm/dist/testsolv.js".
//   --dir DIR       testcases dir (default: .cache/native/src/test/testcases)
//   --json FILE     also write {"<relative/case.t>": "pass"|"fail"|"skip"} (keys sorted)
//   --quiet         only print failures and the summary
// Prints one line per case, then a last line "N passed, N failed, N skipped".
// Exit code: 0 when nothing failed, 1 otherwise (like runtestcases.sh).
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureNative, nativeSrc, nativeTool } from '../lib/native.mjs';

const { values } = parseArgs({
  options: {
    testsolv: { type: 'string' },
    dir: { type: 'string' },
    json: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});

let cmd;
if (values.testsolv) {
  cmd = values.testsolv.split(' ').filter(Boolean);
} else {
  ensureNative({ quiet: true });
  cmd = [nativeTool('testsolv')];
}
const dir = values.dir ?? join(nativeSrc(), 'test/testcases');

function findT(d) {
  const out = [];
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) out.push(...findT(p));
    else if (e.name.endsWith('.t')) out.push(p);
  }
  return out;
}
const cases = findT(dir).sort();

const results = {};
let pass = 0;
let fail = 0;
let skip = 0;
for (const tc of cases) {
  const rel = relative(dir, tc);
  const r = spawnSync(cmd[0], [...cmd.slice(1), tc], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const code = r.error ? -1 : (r.status ?? 128);
  let state;
  if (code === 0) {
    state = 'pass';
    pass++;
  } else if (code === 77) {
    state = 'skip';
    skip++;
  } else {
    state = 'fail';
    fail++;
  }
  results[rel] = state;
  const name = `${rel} ${'.'.repeat(50)}`.slice(0, 50);
  const label = { pass: '   Passed', skip: '   Skipped', fail: `***Failed (exit ${code})` }[state];
  if (!values.quiet || state === 'fail') console.log(`${name}${label}`);
  if (state === 'fail' && r.stderr) process.stderr.write(r.stderr.slice(-2000));
}
if (values.json) writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
console.log(`${pass} passed, ${fail} failed, ${skip} skipped`);
process.exit(fail ? 1 : 0);
