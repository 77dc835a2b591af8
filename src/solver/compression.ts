/** Compression of a metadata file, detected from its first bytes (never from its name alone). */
export type Compression = 'gzip' | 'xz' | 'zstd' | 'bzip2' | 'none';

/** Detects the compression format from magic bytes. */
export function detectCompression(bytes: Uint8Array): Compression {
  const b = bytes;
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'gzip';
  if (
    b.length >= 6 &&
    b[0] === 0xfd &&
    b[1] === 0x37 &&
    b[2] === 0x7a &&
    b[3] === 0x58 &&
    b[4] === 0x5a &&
    b[5] === 0
  )
    return 'xz';
  if (b.length >= 4 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd) return 'zstd';
  if (b.length >= 3 && b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68) return 'bzip2';
  return 'none';
}

/** File name suffix that makes libsolv's solv_xfopen pick the matching decompressor. */
export function compressionSuffix(c: Compression): string {
  switch (c) {
    case 'gzip':
      return '.gz';
    case 'xz':
      return '.xz';
    case 'zstd':
      return '.zst';
    case 'bzip2':
      return '.bz2';
    case 'none':
      return '';
  }
}

/** True when the bytes look like compressed data of a kind libsolv cannot read (so we can say so). */
export function looksLikeUnknownCompression(bytes: Uint8Array): string | undefined {
  const b = bytes;
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) return 'zip';
  if (b.length >= 4 && b[0] === 0x04 && b[1] === 0x22 && b[2] === 0x4d && b[3] === 0x18) return 'lz4';
  if (b.length >= 3 && b[0] === 0x5d && b[1] === 0x00 && b[2] === 0x00) return 'lzma (legacy .lzma)';
  if (b.length >= 4 && b[0] === 0x5a && b[1] === 0x43 && b[2] === 0x4b && b[3] === 0x31) return 'zchunk';
  return undefined;
}
