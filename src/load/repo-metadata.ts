/**
 * Reads one extra metadata file of an rpm-md repository as text: comps (`group`, `group_gz`,
 * `group_xz`) or modules (`modules`), which the libsolv loader does not take.
 *
 * API: `readRepoMetadata(host, repoDir, types, shown?) → {text, file, type} | undefined`.
 * Of the listed entries of those types (in the order of `types`), the first whose file exists is read,
 * since repositories often list both `group` and `group_gz` and mirrors keep one; its checksum is
 * checked against repomd.xml, and gzip and xz are decompressed (zstd and bzip2 are errors saying so).
 * Undefined when repomd.xml lists none of the types.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { Host } from '../host/host.js';
import { detectCompression } from '../solver/compression.js';
import { XzError, xzDecompress } from '../util/xz.js';
import { InputError } from './errors.js';
import { hashAlgorithm, parseRepomd } from './repomd.js';

export async function readRepoMetadata(
  host: Host,
  repoDir: string,
  types: readonly string[],
  shown = repoDir,
): Promise<{ text: string; file: string; type: string } | undefined> {
  const base = repoDir.replace(/\/+$/, '');
  const shownBase = shown.replace(/\/+$/, '');
  const repomdShown = `${shownBase}/repodata/repomd.xml`;
  const repomd = parseRepomd(await host.readText(`${base}/repodata/repomd.xml`), repomdShown);
  const entries = types.flatMap((t) => repomd.entries.filter((e) => e.type === t));
  if (entries.length === 0) return undefined;
  const unreadable: string[] = [];
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
    const c = detectCompression(bytes);
    if (c !== 'gzip' && c !== 'xz' && c !== 'none') {
      unreadable.push(`${e.href} (${c})`);
      continue;
    }
    let raw: Uint8Array;
    try {
      raw = c === 'gzip' ? gunzipSync(bytes) : c === 'xz' ? xzDecompress(bytes) : bytes;
    } catch (err) {
      const why = err instanceof XzError || err instanceof Error ? err.message : String(err);
      throw new InputError('metadata-corrupt', `cannot decompress ${c} data: ${why}`, {
        file,
        cause: err,
        expected: 'intact compressed data',
      });
    }
    return { text: new TextDecoder().decode(raw), file, type: e.type };
  }
  throw new InputError(
    'metadata-missing',
    unreadable.length
      ? `${types.join('/')} metadata is only in a compression redproof cannot read: ${unreadable.join(', ')}`
      : `repomd.xml lists ${entries.map((e) => e.href).join(', ')} but none of these files exists`,
    { file: repomdShown, expected: 'a plain, gzip or xz file of a type redproof reads' },
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
