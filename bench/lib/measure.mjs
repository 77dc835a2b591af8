// bench/lib/measure.mjs — run a command N times under GNU time; median wall time + peak RSS.
//
//   import { measure } from './measure.mjs';
//   const m = await measure('installcheck', ['x86_64', 'primary.xml.gz'], { runs: 3 });
//   // m = { runs: [{ wallS, cpuS, maxRssKb, exitCode }...], medianWallS, medianCpuS, medianRssKb,
//   //       maxRssKb, exitCode, stdout }  (stdout of the LAST run; { keepStdout: false } drops it)
//
// Uses `/usr/bin/time -f '%e %M %U %S'` (%e = elapsed wall seconds, %M = max resident set in KiB
// of the child, %U + %S = user + system CPU seconds; CPU time is the steadier figure on a busy
// machine, wall time is what users feel). Non-zero exit codes are recorded, not thrown (installcheck exits 1 when it finds broken
// packages); pass { okCodes: [0, 1] } to throw on anything else.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

/** Ensure GNU time is present (Debian package `time`); installs it when running as root. */
export function ensureGnuTime() {
  if (existsSync(GNU_TIME)) return GNU_TIME;
  const r = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-q', 'time'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.status !== 0 || !existsSync(GNU_TIME)) {
    throw new Error('GNU time missing: apt-get install time');
  }
  return GNU_TIME;
}

/**
 * Variables removed from the environment of every measured process. NODE_EXTRA_CA_CERTS: Node 20 reads
 * and parses that CA bundle at start-up, before any script runs (+0.05-0.09 s a process where this
 * sandbox sets it); a machine with Node, npm and git, which the targets are about, does not set it, and
 * redproof makes no network connection (docs/decisions/0008-code-cache.md).
 */
export const REMOVED_ENV = ['NODE_EXTRA_CA_CERTS'];

/** The environment measured processes get: this one without REMOVED_ENV. */
export function benchEnv(env = process.env) {
  const out = { ...env };
  for (const k of REMOVED_ENV) delete out[k];
  return out;
}

/** '' or `; NAME removed from the measured processes' environment`, for report headers. */
export function benchEnvNote() {
  const set = REMOVED_ENV.filter((k) => process.env[k]);
  return set.length ? `; ${set.join(', ')} (set here) removed from the measured processes' environment` : '';
}

/** Median of numbers (mean of the two middle values for an even count). */
export function median(xs) {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Run `cmd args` `runs` times (default 3), optionally after `warmup` untimed runs (default 0).
 * Options: cwd, env (default: benchEnv()), runs, warmup, okCodes (array; throw if an exit code is not in it),
 * keepStdout (default true), maxBuffer (default 512 MiB).
 */
export async function measure(cmd, args = [], opts = {}) {
  const { cwd, env, runs = 3, warmup = 0, okCodes, keepStdout = true } = opts;
  const maxBuffer = opts.maxBuffer ?? 512 * 1024 * 1024;
  ensureGnuTime();
  const dir = mkdtempSync(join(tmpdir(), 'measure-'));
  const out = join(dir, 'time.txt');
  const results = [];
  let stdout = '';
  try {
    for (let i = 0; i < warmup + runs; i++) {
      const r = spawnSync(GNU_TIME, ['-f', '%e %M %U %S', '-o', out, cmd, ...args], {
        cwd,
        env: env ?? benchEnv(),
        maxBuffer,
        encoding: 'utf8',
      });
      if (r.error) throw r.error;
      const code = r.status ?? 128;
      if (okCodes && !okCodes.includes(code)) {
        throw new Error(`${cmd} exited ${code}: ${(r.stderr || '').slice(-2000)}`);
      }
      // GNU time prints "Command exited with non-zero status N" before the format line.
      const line = readFileSync(out, 'utf8').trim().split('\n').pop();
      const [wall, rss, user, sys] = line.split(/\s+/).map(Number);
      const cpuS = Math.round((user + sys) * 100) / 100;
      if (i >= warmup) results.push({ wallS: wall, cpuS, maxRssKb: rss, exitCode: code });
      if (keepStdout) stdout = r.stdout;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    runs: results,
    medianWallS: median(results.map((r) => r.wallS)),
    medianCpuS: median(results.map((r) => r.cpuS)),
    medianRssKb: median(results.map((r) => r.maxRssKb)),
    maxRssKb: Math.max(...results.map((r) => r.maxRssKb)),
    exitCode: results.at(-1)?.exitCode,
    stdout,
  };
}

/** "12.3 MB" from KiB (1 MB = 1024 KiB here, like `time -v`'s kbytes / 1024). */
export function fmtRss(kb) {
  return `${(kb / 1024).toFixed(1)} MB`;
}

/** "1.23 s" */
export function fmtSeconds(s) {
  return `${s.toFixed(2)} s`;
}
