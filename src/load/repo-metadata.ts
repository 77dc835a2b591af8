/**
 * Reads one extra metadata file of an rpm-md repository as text: comps (`group`, `group_gz`,
 * `group_xz`) or modules (`modules`), which the libsolv loader does not take.
 *
 * API: `readRepoMetadata(host, repoDir, types, shown?) → {text, file, type} | undefined`, or in two
 * steps `readRepoMetadataBytes` (verified, still compressed) then `decodeMetadata`, for a caller that may
 * not need the text (a cache of its parse keyed on the verified bytes).
 * Of the listed entries of those types (in the order of `types`), the first whose file exists is read,
 * since repositories often list both `group` and `group_gz` and mirrors keep one; its checksum is
 * checked against repomd.xml, and it is decompressed (any compression, src/load/decompress.ts) within
 * `maxBytes`.
 * Undefined when repomd.xml lists none of the types.
 */
import { createHash } from 'node:crypto';
import { type Host, HostError } from '../host/host.js';
import { DEFAULT_LIMITS, decompressedCap } from '../limits/limits.js';
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';
import { DecompressLimitError, decompress } from './decompress.js';
import { InputError } from './errors.js';
import { resolveInside } from './inside.js';
import { hashAlgorithm, parseRepomd } from './repomd.js';

export async function readRepoMetadata(
  host: Host,
  repoDir: string,
  types: readonly string[],
  shown = repoDir,
  maxBytes?: number,
): Promise<{ text: string; file: string; type: string } | undefined> {
  const got = await readRepoMetadataBytes(host, repoDir, types, shown);
  return got && { text: decodeMetadata(host, got, maxBytes), file: got.file, type: got.type };
}

/** One metadata file as it is on disk (still compressed), its checksum verified against repomd.xml. */
export interface VerifiedMetadata {
  /** As shown to the user. */
  file: string;
  type: string;
  bytes: Uint8Array;
  /** sha256 of `bytes`, hex: what a cache of its parse is keyed on. */
  sha256: string;
}

/** The first present file of `types` that repomd.xml lists, verified but not decompressed. */
export async function readRepoMetadataBytes(
  host: Host,
  repoDir: string,
  types: readonly string[],
  shown = repoDir,
): Promise<VerifiedMetadata | undefined> {
  const shownBase = shown.replace(/\/+$/, '');
  const repomdShown = `${shownBase}/repodata/repomd.xml`;
  // As for primary and filelists (repository.ts): every file is resolved inside the repository
  // directory, and one a symlink leads out of it is refused before it is read.
  const root = await host.realpath(repoDir.replace(/\/+$/, '') || '/');
  const repomdAbs = await inside(host, root, 'repodata/repomd.xml', repomdShown);
  const repomd = parseRepomd(await host.readText(repomdAbs), repomdShown);
  const entries = types.flatMap((t) => repomd.entries.filter((e) => e.type === t));
  if (entries.length === 0) return undefined;
  for (const e of entries) {
    if (e.href.includes('..') || e.href.startsWith('/')) continue;
    if (!(await host.lstat(`${root}/${e.href}`))) continue;
    const file = `${shownBase}/${e.href}`;
    let abs: string;
    try {
      abs = await inside(host, root, e.href, file);
    } catch (err) {
      if (err instanceof HostError && (err.code === 'ENOENT' || err.code === 'ENOTDIR')) continue;
      throw err;
    }
    const bytes = await host.readFile(abs);
    const algo = e.checksum && hashAlgorithm(e.checksum.type);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const actual = algo === 'sha256' ? sha256 : algo && createHash(algo).update(bytes).digest('hex');
    if (e.checksum && actual && actual !== e.checksum.value.toLowerCase()) {
      throw new InputError(
        'checksum-mismatch',
        `checksum mismatch: repomd.xml expects ${clip(e.checksum.type)} ${clip(e.checksum.value)}`,
        { file, expected: 'the file repomd.xml describes' },
      );
    }
    return { file, type: e.type, bytes, sha256 };
  }
  throw new InputError(
    'metadata-missing',
    `repomd.xml lists ${clip(entries.map((e) => e.href).join(', '), CLIP_TEXT_LENGTH)} but none of these files exists`,
    { file: repomdShown, expected: 'a file of a type redproof reads' },
  );
}

/** The text of a verified metadata file, decompressed (any compression) within `maxBytes`. */
export function decodeMetadata(host: Host, got: VerifiedMetadata, maxBytes?: number): string {
  let raw: Uint8Array;
  try {
    raw = decompress(
      got.bytes,
      maxBytes ?? decompressedCap(host.limits ?? DEFAULT_LIMITS, got.bytes.byteLength),
    ).bytes;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new InputError(
      err instanceof DecompressLimitError ? 'metadata-too-large' : 'metadata-corrupt',
      why,
      {
        file: got.file,
        cause: err,
        expected: err instanceof DecompressLimitError ? 'a smaller file' : 'intact compressed data',
      },
    );
  }
  return new TextDecoder().decode(raw);
}

/** `rel` resolved inside `root`, or an InputError when a symlink leads out of it (nothing is read). */
async function inside(host: Host, root: string, rel: string, shown: string): Promise<string> {
  const real = await resolveInside(host, root, rel);
  if (real === undefined) {
    throw new InputError('outside-repository', 'a symlink leads outside the repository; it is not read', {
      file: shown,
      expected: 'every metadata file inside the repository directory',
    });
  }
  return real;
}
