/**
 * Header signatures of an installed package. rpm copies the signature header's RSA/DSA/PGP/GPG entries
 * into the installed header (`headerMergeLegacySigs`), so an rpmdb blob tells whether the package was
 * signed and by which key, without the .rpm file.
 */
import type { PackageSignature } from '../../policy/rules-file/model.js';
import { RpmHeader } from './header.js';

/** Signature tags as rpm stores them in installed headers (`rpmtag.h`). */
const SIGNATURE_TAGS: Record<number, string> = {
  259: 'SIGPGP',
  262: 'SIGGPG',
  267: 'DSAHEADER',
  268: 'RSAHEADER',
};
/** rpm ≥ 4.20 keeps base64 OpenPGP signatures in one string array. */
const OPENPGP_TAG = 278;

/** The signature entries of a header blob; throws HeaderError on a corrupt blob. */
export function headerSignature(blob: Uint8Array): PackageSignature {
  const h = RpmHeader.parse(blob);
  const tags: string[] = [];
  let keyId: string | undefined;
  for (const [tag, name] of Object.entries(SIGNATURE_TAGS)) {
    const v = h.tags.get(Number(tag));
    if (v === undefined) continue;
    tags.push(name);
    if (keyId === undefined && v.type === 'binary') keyId = issuerKeyId(v.value);
  }
  const pgp = h.strings(OPENPGP_TAG);
  if (pgp.length > 0) {
    tags.push('OPENPGP');
    keyId ??= issuerKeyId(Uint8Array.from(Buffer.from(pgp[0]!, 'base64')));
  }
  return keyId === undefined ? { tags } : { tags, keyId };
}

/**
 * The issuer key id of an OpenPGP signature packet (RFC 4880 §5.2): fixed in a v3 packet, the issuer
 * (16) or issuer fingerprint (33) subpacket in v4. Undefined when the packet is not readable.
 */
export function issuerKeyId(packet: Uint8Array): string | undefined {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const tagByte = packet[0];
  if (tagByte === undefined || (tagByte & 0x80) === 0) return undefined;
  let body = 0;
  if (tagByte & 0x40) {
    const l = packet[1] ?? 0;
    body = l < 192 ? 2 : l < 224 ? 3 : 6;
  } else {
    body = 1 + [1, 2, 4, 0][tagByte & 3]!;
  }
  const p = packet.subarray(body);
  const version = p[0];
  if (version === 3) return p.length >= 15 ? hex(p.subarray(7, 15)) : undefined;
  if (version !== 4 && version !== 5) return undefined;
  const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
  let at = 4;
  for (let area = 0; area < 2; area++) {
    if (at + 2 > p.length) return undefined;
    const len = view.getUint16(at);
    const end = Math.min(p.length, at + 2 + len);
    let s = at + 2;
    while (s < end) {
      const first = p[s]!;
      let size: number;
      let hdr: number;
      if (first < 192) [size, hdr] = [first, 1];
      else if (first < 255) [size, hdr] = [((first - 192) << 8) + (p[s + 1] ?? 0) + 192, 2];
      else [size, hdr] = [s + 5 <= p.length ? view.getUint32(s + 1) : 0, 5];
      const type = (p[s + hdr] ?? 0) & 0x7f;
      const data = p.subarray(s + hdr + 1, s + hdr + size);
      if (type === 16 && data.length === 8) return hex(data);
      if (type === 33 && data.length >= 9) return hex(data.subarray(data.length - 8));
      if (size === 0) return undefined;
      s += hdr + size;
    }
    at = end;
  }
  return undefined;
}
