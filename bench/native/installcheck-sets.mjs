#!/usr/bin/env node
// bench/native/installcheck-sets.mjs — the SORTED set of uninstallable NEVRAs that native libsolv
// installcheck reports (its `can't install <NEVRA>:` lines), for comparison with the wasm engine.
//
// Usage:
//   node bench/native/installcheck-sets.mjs --arch ARCH [options] REPO... [--nocheck REPO]...
//     REPO            an rpm-md repo dir (primary found through repodata/repomd.xml) or a metadata
//                     file installcheck reads directly (primary.xml[.gz|.zst], .solv, ...).
//     --nocheck REPO  repo used only to resolve, never reported (installcheck's --nocheck tier).
//     --runs N        time N runs with /usr/bin/time (median wall, peak RSS) — default 1
//     --installcheck CMD   installcheck command (default: native .cache/native/bin/installcheck)
//     --json FILE     write {arch, repos, nocheck, command, count, nevras, timing}
//     --full FILE     write the full installcheck text output of the last run
// stdout: one NEVRA per line, sorted by code point (same as `LC_ALL=C sort -u`).
// stderr: the command line, the count, and timing.
// Exit: 0 when installcheck ran (it exits 0 = all installable or 1 = some broken), 2 otherwise.
//
// Note: installcheck reads only primary.xml, not filelists: file requirements resolve only against
// the paths primary carries (/etc/*, */bin/*, /usr/lib/sendmail).
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fmtRss, fmtSeconds, measure } from '../lib/measure.mjs';
import { ensureNative, nativeTool } from '../lib/native.mjs';
import { primaryPath } from '../lib/repomd.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    arch: { type: 'string' },
    nocheck: { type: 'string', multiple: true, default: [] },
    runs: { type: 'string', default: '1' },
    installcheck: { type: 'string' },
    json: { type: 'string' },
    full: { type: 'string' },
  },
});
if (!values.arch || positionals.length === 0) {
  console.error('usage: installcheck-sets.mjs --arch ARCH [--runs N] [--json F] REPO... [--nocheck REPO]...');
  process.exit(2);
}

const toMeta = (p) => {
  const abs = resolve(p);
  if (!existsSync(abs)) throw new Error(`no such repo: ${p}`);
  return statSync(abs).isDirectory() ? primaryPath(abs) : abs;
};
const repos = positionals.map(toMeta);
const nocheck = values.nocheck.map(toMeta);

let cmd;
if (values.installcheck) {
  cmd = values.installcheck.split(' ').filter(Boolean);
} else {
  ensureNative({ quiet: true });
  cmd = [nativeTool('installcheck')];
}
const args = [...cmd.slice(1), values.arch, ...repos, ...(nocheck.length ? ['--nocheck', ...nocheck] : [])];
console.error(`$ ${[cmd[0], ...args].join(' ')}`);

const runs = Math.max(1, Number.parseInt(values.runs, 10) || 1);
const m = await measure(cmd[0], args, { runs });
if (m.runs.some((r) => r.exitCode !== 0 && r.exitCode !== 1)) {
  console.error(`installcheck failed (exit ${m.exitCode})`);
  process.exit(2);
}
const nevras = [...new Set([...m.stdout.matchAll(/^can't install (.+):$/gm)].map((x) => x[1]))].sort(
  (a, b) => (a < b ? -1 : a > b ? 1 : 0),
);

process.stdout.write(nevras.map((n) => `${n}\n`).join(''));
console.error(`${nevras.length} uninstallable (installcheck exit ${m.exitCode})`);
console.error(
  `timing over ${runs} run(s): median wall ${fmtSeconds(m.medianWallS)}, median CPU ${fmtSeconds(m.medianCpuS)}, median max RSS ${fmtRss(m.medianRssKb)}, peak ${fmtRss(m.maxRssKb)}; runs (wall/cpu/rss): ${m.runs.map((r) => `${r.wallS}s/${r.cpuS}s/${r.maxRssKb}KB`).join(', ')}`,
);
if (values.full) writeFileSync(values.full, m.stdout);
if (values.json) {
  const json = {
    arch: values.arch,
    repos,
    nocheck,
    command: [cmd[0], ...args],
    count: nevras.length,
    nevras,
    timing: {
      runs: m.runs,
      medianWallS: m.medianWallS,
      medianCpuS: m.medianCpuS,
      medianRssKb: m.medianRssKb,
      maxRssKb: m.maxRssKb,
    },
  };
  writeFileSync(values.json, `${JSON.stringify(json, null, 2)}\n`);
}
