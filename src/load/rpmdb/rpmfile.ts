import { HeaderError, RpmHeader, RpmTag } from './header.js';

const LEAD_SIZE = 96;
const HEADER_MAGIC = [0x8e, 0xad, 0xe8, 0x01] as const;

/**
 * Header digests of an rpm package file, from its signature header: SHA256HEADER (tag 273) and
 * SHA1HEADER (tag 269), hex, empty when absent. rpm copies both into the installed header, so
 * they identify an installed package's header exactly (unlike rpm-md's `pkgid`, the SHA-256 of the
 * whole file). Throws `HeaderError` when the file is not an rpm.
 */
export function rpmFileHeaderDigests(bytes: Uint8Array): { sha256: string; sha1: string } {
  const lead = bytes.subarray(0, 4);
  if (
    bytes.byteLength < LEAD_SIZE + 16 ||
    lead[0] !== 0xed ||
    lead[1] !== 0xab ||
    lead[2] !== 0xee ||
    lead[3] !== 0xdb
  ) {
    throw new HeaderError('corrupt', 'not an rpm package (bad lead magic)');
  }
  const sig = bytes.subarray(LEAD_SIZE);
  if (HEADER_MAGIC.some((b, i) => sig[i] !== b)) {
    throw new HeaderError('corrupt', 'rpm package without a signature header');
  }
  const h = RpmHeader.parse(sig.subarray(8));
  return { sha256: h.string(RpmTag.SHA256HEADER), sha1: h.string(RpmTag.SHA1HEADER) };
}
