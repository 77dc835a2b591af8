/**
 * What the TypeScript benchmark scripts share: the types of the plain-JS helpers in bench/lib/*.mjs, the
 * paths, the CentOS Stream 9 inputs, a seedable random generator and number formats.
 */
import { resolve } from 'node:path';

export interface Run {
  wallS: number;
  cpuS: number;
  maxRssKb: number;
  exitCode: number;
}
export interface Measured {
  runs: Run[];
  medianWallS: number;
  medianCpuS: number;
  medianRssKb: number;
  maxRssKb: number;
  stdout: string;
}
export interface BenchLib {
  measure(
    cmd: string,
    args: string[],
    opts?: {
      runs?: number;
      warmup?: number;
      okCodes?: number[];
      keepStdout?: boolean;
      cwd?: string;
      env?: NodeJS.ProcessEnv;
    },
  ): Promise<Measured>;
  median(xs: number[]): number;
  benchEnv(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  benchEnvNote(): string;
  markdownTable(headers: string[], rows: (string | number)[][], opts?: { align?: string[] }): string;
  ensureNative(opts?: { quiet?: boolean }): string;
  nativeTool(name: string): string;
  repomdData(dir: string): Record<string, string | undefined>;
  primaryPath(dir: string): string;
}

/** The measuring and table helpers of bench/lib/index.mjs, typed. */
export async function loadBenchLib(): Promise<BenchLib> {
  return (await import(new URL('./index.mjs', import.meta.url).href)) as BenchLib;
}

export const ROOT = resolve(import.meta.dirname, '../..');
export const CORPUS = resolve(ROOT, '../shared/corpus');
/** CentOS Stream 9 BaseOS + AppStream, the corpus the family and update benchmarks generate from. */
export const CS9_REPOS = ['cs9-baseos-2024-04', 'cs9-appstream'];

/** The 47-package minimal base closure used as the host layer of generated families. */
export const BASE = [
  'alternatives',
  'basesystem',
  'bash',
  'ca-certificates',
  'centos-gpg-keys',
  'centos-stream-release',
  'centos-stream-repos',
  'coreutils-single',
  'crypto-policies',
  'filesystem',
  'glibc',
  'glibc-common',
  'glibc-minimal-langpack',
  'grep',
  'libacl',
  'libattr',
  'libblkid',
  'libcap',
  'libffi',
  'libgcc',
  'libgcrypt',
  'libgpg-error',
  'libmount',
  'libselinux',
  'libsepol',
  'libsigsegv',
  'libsmartcols',
  'libtasn1',
  'libuuid',
  'libxcrypt',
  'libzstd',
  'lz4-libs',
  'ncurses-base',
  'ncurses-libs',
  'openssl-libs',
  'p11-kit',
  'p11-kit-trust',
  'pcre',
  'pcre2',
  'pcre2-syntax',
  'sed',
  'setup',
  'systemd-libs',
  'tzdata',
  'util-linux-core',
  'xz-libs',
  'zlib',
];

/** xorshift32: deterministic across Node versions (Math.random is not seedable). */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

export const sec = (s: number) => `${s.toFixed(2)} s`;
export const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
