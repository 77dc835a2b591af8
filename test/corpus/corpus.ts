/**
 * Shared helpers of the real-data suite (`npm run test:corpus`). The corpus lives outside the repository
 * in ../shared/corpus (relative to the repository root); CI runs this suite only where it exists, so a
 * missing corpus is a failure with a clear message, never a silent skip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RepoSpec } from '../../src/load/repository.js';

/** Repository root, with a trailing slash. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** ../shared/corpus relative to the repository root, with a trailing slash. */
export const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
export const EXPECTED = fileURLToPath(new URL('../../bench/native/expected/', import.meta.url));

/** Absolute path of a corpus folder; throws a clear error when the corpus is not there. */
export function corpus(name: string): string {
  const dir = `${CORPUS}${name}`;
  if (!existsSync(dir)) {
    throw new Error(
      `real-data corpus missing: ${dir} does not exist. The corpus suite needs ../shared/corpus next to the ` +
        'repository (see ../shared/corpus/README.md); run `npm test` for the unit suite alone.',
    );
  }
  return dir;
}

export function spec(name: string, id = name): RepoSpec {
  return { id, path: `../shared/corpus/${name}`, absPath: corpus(name) };
}

/** A golden native installcheck set (bench/native/expected/), one NEVRA per line, sorted. */
export function expectedSet(file: string): string[] {
  return readFileSync(`${EXPECTED}${file}`, 'utf8').split('\n').filter(Boolean);
}

/** Sorted by code point, deduplicated: the order of `LC_ALL=C sort -u`. */
export function sortedSet(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source (`node --import tsx src/bin.ts ARGS`) in the repository root. */
export function cli(args: string[], cwd = ROOT): CliRun {
  return runNode(['--import', 'tsx', `${ROOT}src/bin.ts`, ...args], cwd);
}

/**
 * Runs the shipped program (dist/bin/redproof.js, the bundle `npm run build` writes, which `npm ci` runs): worker threads
 * (--jobs) exist only there, the sources run everything in one thread.
 */
export function distCli(args: string[], cwd = ROOT): CliRun {
  const bin = `${ROOT}dist/bin/redproof.js`;
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first`);
  return runNode([bin, ...args], cwd);
}

function runNode(args: string[], cwd: string): CliRun {
  const r = spawnSync(process.execPath, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Parses the JSON report of a CLI run, with the run's stderr in the error when it is not JSON. */
export function report(run: CliRun): {
  arch: string;
  stats: Record<string, number>;
  findings: {
    rule: string;
    level: string;
    node?: string;
    package?: string;
    dependency?: string;
    other?: string;
    entry?: string;
    fingerprint: string;
    evidence: { role: string; text: string; package?: string }[];
  }[];
} {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`exit ${run.code}, no JSON on stdout; stderr:\n${run.stderr.slice(-4000)}`);
  }
}
