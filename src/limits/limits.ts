/**
 * Resource bounds for hostile input (docs/limits.md). Every reader takes its bound from here, so one
 * table says what redproof will refuse; the CLI sets them with `--limit NAME=VALUE`.
 */
import { clip } from '../util/clip.js';
export interface Limits {
  /** Largest file read whole (repository metadata, `.solv`, rpm databases, manifests). */
  fileSize: number;
  /** Largest decompressed size of one metadata file. */
  decompressedSize: number;
  /** Largest decompressed/compressed ratio, above `ratioFloor`. */
  ratio: number;
  /** Decompressed sizes up to this are accepted whatever the ratio (small files compress very well). */
  ratioFloor: number;
  /** Largest red-pak node file (`.rednode.yaml`, `etc/redpak.yaml`, `etc/status.yaml`). */
  configSize: number;
  /** Largest family manifest or waivers file (a 200-node family is ≈ 120 KiB). */
  policySize: number;
  /** Total header bytes an rpm database may yield, as a multiple of its file size. */
  rpmdbAmplification: number;
  /** Largest input read from a pipe given on the command line (`<(...)`, `/dev/stdin`). */
  pipeSize: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  fileSize: 1 * GiB,
  decompressedSize: 2 * GiB,
  ratio: 100,
  ratioFloor: 64 * MiB,
  configSize: 1 * MiB,
  policySize: 2 * MiB,
  rpmdbAmplification: 2,
  pipeSize: 256 * MiB,
});

/** `--limit` names (kebab-case) and the field each sets. */
export const LIMIT_NAMES: Readonly<Record<string, keyof Limits>> = {
  'file-size': 'fileSize',
  'decompressed-size': 'decompressedSize',
  ratio: 'ratio',
  'ratio-floor': 'ratioFloor',
  'config-size': 'configSize',
  'policy-size': 'policySize',
  'rpmdb-amplification': 'rpmdbAmplification',
  'pipe-size': 'pipeSize',
};

const UNITS: Record<string, number> = { '': 1, k: KiB, m: MiB, g: GiB, t: 1024 * GiB };

/** `512`, `64k`, `4M`, `2G` (binary units, optional trailing `B`/`iB`); undefined when malformed. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : undefined;
}

/** `1.5 GiB`-style rendering for messages. */
export function formatSize(n: number): string {
  if (n < KiB) return `${n} B`;
  const [unit, div] = n >= GiB ? ['GiB', GiB] : n >= MiB ? ['MiB', MiB] : ['KiB', KiB];
  const v = n / div;
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${unit}`;
}

/**
 * Parse `--limit NAME=VALUE` arguments over the defaults; returns the error text for a bad one
 * (the CLI turns it into a usage error).
 */
export function parseLimits(args: readonly string[]): Limits | string {
  const out: Limits = { ...DEFAULT_LIMITS };
  for (const a of args) {
    const eq = a.indexOf('=');
    const key = LIMIT_NAMES[eq > 0 ? a.slice(0, eq) : a];
    if (key === undefined) {
      return `--limit \`${clip(a)}\`: expected NAME=VALUE with NAME one of ${Object.keys(LIMIT_NAMES).join(', ')}`;
    }
    const value = parseSize(a.slice(eq + 1));
    if (value === undefined) return `--limit \`${clip(a)}\`: expected a positive size such as 512, 64M or 2G`;
    out[key] = value;
  }
  return out;
}

/** The decompressed size allowed for a file of `compressed` bytes. */
export function decompressedCap(limits: Limits, compressed: number): number {
  return Math.min(limits.decompressedSize, Math.max(limits.ratioFloor, limits.ratio * compressed));
}
