/**
 * Reads one extra metadata file of an rpm-md repository as text: comps (`group`, `group_gz`,
 * `group_xz`) or modules (`modules`), which the libsolv loader does not take.
 *
 * API: `readRepoMetadata(host, repoDir, types, shown?) → {text, file, type} | undefined`.
 * Of the listed entries of those types (in the order of `types`), the first whose file exists is read,
 * since repositories often list both `group` and `group_gz` and mirrors keep one; its checksum is
 * checked against repomd.xml, and it is decompressed (any compression, src/load/decompress.ts) within
 * `maxBytes`.
 * Undefined when repomd.xml lists none of the types.
 */
import { createHash } from 'node:crypto';
import type { Host } from '../host/host.js';
import { DEFAULT_LIMITS, decompressedCap } from '../limits/limits.js';
import { DecompressLimitError, decompress } from './decompress.js';
import { InputError } from './errors.js';
import { hashAlgorithm, parseRepomd } from './repomd.js';

export async function readRepoMetadata(
  host: Host,
  repoDir: string,
  types: readonly string[],
  shown = repoDir,
  maxBytes?: number,
): Promise<{ text: string; file: string; type: string } | undefined> {
  const base = repoDir.replace(/\/+$/, '');
  const shownBase = shown.replace(/\/+$/, '');
  const repomdShown = `${shownBase}/repodata/repomd.xml`;
  const repomd = parseRepomd(await host.readText(`${base}/repodata/repomd.xml`), repomdShown);
  const entries = types.flatMap((t) => repomd.entries.filter((e) => e.type === t));
  if (entries.length === 0) return undefined;
  for (const e of entries) {
    if (e.href.includes('..') || e.href.startsWith('/')) continue;
    const abs = `${base}/${e.href}`;
    if (!(await host.stat(abs))) continue;
    const file = `${shownBase}/${e.href}`;
    const bytes = await host.readFile(abs);
    const algo = e.checksum && hashAlgorithm(e.checksum.type);
    if (
      e.checksum &&
      algo &&
      createHash(algo).update(bytes).digest('hex') !== e.checksum.value.toLowerCase()
    ) {
      throw new InputError(
        'checksum-mismatch',
        `checksum mismatch: repomd.xml expects ${e.checksum.type} ${e.checksum.value}`,
        { file, expected: 'the file repomd.xml describes' },
      );
    }
    let raw: Uint8Array;
    try {
      raw = decompress(
        bytes,
        maxBytes ?? decompressedCap(host.limits ?? DEFAULT_LIMITS, bytes.byteLength),
      ).bytes;
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new InputError(
        err instanceof DecompressLimitError ? 'metadata-too-large' : 'metadata-corrupt',
        why,
        {
          file,
          cause: err,
          expected: err instanceof DecompressLimitError ? 'a smaller file' : 'intact compressed data',
        },
      );
    }
    return { text: new TextDecoder().decode(raw), file, type: e.type };
  }
  throw new InputError(
    'metadata-missing',
    `repomd.xml lists ${entries.map((e) => e.href).join(', ')} but none of these files exists`,
    { file: repomdShown, expected: 'a file of a type redproof reads' },
  );
}

/** The modules.yaml text of a repository (repomd type `modules`), or undefined when it has none. */
export async function readRepoModules(
  host: Host,
  repoDir: string,
  shown = repoDir,
): Promise<{ text: string; file: string } | undefined> {
  const got = await readRepoMetadata(host, repoDir, ['modules'], shown);
  return got && { text: got.text, file: got.file };
}
