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

/** The signature header of an rpm is small (digests and signatures); more than this is not an rpm. */
const MAX_SIGNATURE_BYTES = 4 * 1024 * 1024;

/**
 * How many leading bytes of an rpm file `rpmFileHeaderDigests` needs, from its first 112 bytes (the
 * lead and the signature header's intro); undefined when they are not those of an rpm.
 */
export function rpmSignatureEnd(head: Uint8Array): number | undefined {
  if (head.byteLength < LEAD_SIZE + 16) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const nindex = view.getUint32(LEAD_SIZE + 8);
  const hsize = view.getUint32(LEAD_SIZE + 12);
  const len = nindex * 16 + hsize;
  return len > MAX_SIGNATURE_BYTES ? undefined : LEAD_SIZE + 16 + len;
}

/** First bytes of an rpm file to read before `rpmSignatureEnd` says how many are needed. */
export const RPM_HEAD_PROBE = LEAD_SIZE + 16;
