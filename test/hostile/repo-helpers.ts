import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory for one test file. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `redproof-${prefix}-`));
}

export interface MetaFile {
  type: string;
  /** File name under repodata/. */
  name: string;
  bytes: Uint8Array;
  openSize?: number;
}

/** repomd.xml text describing `files` (sizes and sha256 from their bytes). */
export function repomdFor(files: readonly MetaFile[]): string {
  const data = files
    .map((f) => {
      const sum = createHash('sha256').update(f.bytes).digest('hex');
      return `  <data type="${f.type}">
    <checksum type="sha256">${sum}</checksum>
    <location href="repodata/${f.name}"/>
    <size>${f.bytes.byteLength}</size>${f.openSize === undefined ? '' : `\n    <open-size>${f.openSize}</open-size>`}
  </data>
`;
    })
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<repomd xmlns="http://linux.duke.edu/metadata/repo">
  <revision>1</revision>
${data}</repomd>
`;
}

/** Writes a repository directory `dir` holding `files` and their repomd.xml. */
export function writeRepo(dir: string, files: readonly MetaFile[]): string {
  mkdirSync(join(dir, 'repodata'), { recursive: true });
  for (const f of files) writeFileSync(join(dir, 'repodata', f.name), f.bytes);
  writeFileSync(join(dir, 'repodata', 'repomd.xml'), repomdFor(files));
  return dir;
}

/**
 * A valid zstd frame (no declared content size) of `blocks` RLE blocks, each regenerating 128 KiB of
 * `byte`: 4 bytes per block, so a tiny file decodes to `blocks` × 128 KiB (a decompression bomb).
 */
export function zstdRleBomb(blocks: number, byte = 0x20): Uint8Array {
  const out = new Uint8Array(4 + 2 + blocks * 4);
  out.set([0x28, 0xb5, 0x2f, 0xfd], 0);
  out[4] = 0x00; // FHD: no FCS, not single segment, no checksum, no dictionary
  out[5] = 0x58; // window descriptor: 2^(10+11) = 2 MiB
  let p = 6;
  for (let i = 0; i < blocks; i++) {
    const last = i === blocks - 1 ? 1 : 0;
    const h = last | (1 << 1) | ((128 * 1024) << 3); // RLE block of 128 KiB
    out[p++] = h & 0xff;
    out[p++] = (h >> 8) & 0xff;
    out[p++] = (h >> 16) & 0xff;
    out[p++] = byte;
  }
  return out;
}
