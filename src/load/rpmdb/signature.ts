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
  const packets: { tag: string; bytes: Uint8Array | undefined }[] = [];
  for (const [tag, name] of Object.entries(SIGNATURE_TAGS)) {
    const v = h.tags.get(Number(tag));
    if (v === undefined) continue;
    tags.push(name);
    packets.push({ tag: name, bytes: v.type === 'binary' ? v.value : undefined });
  }
  for (const text of h.strings(OPENPGP_TAG)) {
    if (!tags.includes('OPENPGP')) tags.push('OPENPGP');
    packets.push({ tag: 'OPENPGP', bytes: /^[A-Za-z0-9+/=\s]+$/.test(text) ? base64(text) : undefined });
  }
  if (packets.length === 0) return { tags };
  // The first readable signature names the key; only when none is readable is the signature unparsable.
  const problems: string[] = [];
  for (const { tag, bytes } of packets) {
    const got = bytes === undefined ? { unparsable: 'not binary data' } : signatureIssuer(bytes);
    if ('keyId' in got) return { tags, keyId: got.keyId };
    problems.push(`${tag}: ${got.unparsable}`);
  }
  return { tags, unparsable: `unparsable signature (${problems.join('; ')})` };
}

const base64 = (text: string) => Uint8Array.from(Buffer.from(text, 'base64'));

/** What an OpenPGP signature packet says of its issuer: the long key id, or why it cannot tell. */
export type SignatureIssuer = { keyId: string } | { unparsable: string };

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * The issuer key id of an OpenPGP signature packet (RFC 4880 §5.2, RFC 9580 §5.2): fixed in a v3
 * packet, the issuer (16) or issuer fingerprint (33) subpacket in v4-v6. Never throws: truncated or
 * foreign bytes give `{ unparsable: reason }`.
 */
export function signatureIssuer(packet: Uint8Array): SignatureIssuer {
  const bad = (why: string): SignatureIssuer => ({ unparsable: why });
  const tagByte = packet[0];
  if (tagByte === undefined) return bad('empty');
  if ((tagByte & 0x80) === 0) return bad('not an OpenPGP packet');
  let tag: number;
  let header: number;
  let length: number | undefined;
  if (tagByte & 0x40) {
    tag = tagByte & 0x3f;
    const l = packet[1];
    if (l === undefined) return bad('truncated packet');
    if (l < 192) [header, length] = [2, l];
    else if (l < 224)
      [header, length] = [3, packet[2] === undefined ? undefined : ((l - 192) << 8) + packet[2] + 192];
    else if (l === 255) [header, length] = [6, packet.length >= 6 ? be32(packet, 2) : undefined];
    else return bad('partial body length');
  } else {
    tag = (tagByte >> 2) & 0x0f;
    const n = [1, 2, 4, 0][tagByte & 3]!;
    header = 1 + n;
    length = n === 0 ? packet.length - 1 : packet.length >= header ? beN(packet, 1, n) : undefined;
  }
  if (tag !== 2) return bad(`packet tag ${tag}, not a signature (2)`);
  if (length === undefined || header + length > packet.length) return bad('truncated packet');
  const p = packet.subarray(header, header + length);
  const version = p[0];
  if (version === 3) {
    if (p.length < 15) return bad('truncated v3 signature');
    return { keyId: hex(p.subarray(7, 15)) };
  }
  if (version !== 4 && version !== 5 && version !== 6)
    return bad(`signature version ${version ?? 'missing'}`);
  // v6 counts its subpacket areas in four octets, v4 and v5 in two.
  const countSize = version === 6 ? 4 : 2;
  let at = 4;
  let fromFingerprint: string | undefined;
  for (let area = 0; area < 2; area++) {
    if (at + countSize > p.length) return bad('truncated subpacket area');
    const len = beN(p, at, countSize);
    const end = at + countSize + len;
    if (end > p.length) return bad('truncated subpacket area');
    let s = at + countSize;
    while (s < end) {
      const first = p[s]!;
      let size: number;
      let hdr: number;
      if (first < 192) [size, hdr] = [first, 1];
      else if (first < 255) [size, hdr] = [((first - 192) << 8) + (p[s + 1] ?? 0) + 192, 2];
      else [size, hdr] = [s + 5 <= end ? be32(p, s + 1) : 0, 5];
      if (size === 0 || s + hdr + size > end) return bad('truncated subpacket');
      const type = p[s + hdr]! & 0x7f;
      const data = p.subarray(s + hdr + 1, s + hdr + size);
      if (type === 16 && data.length === 8) return { keyId: hex(data) };
      if (type === 33 && data.length >= 9 && fromFingerprint === undefined) {
        // A v4 key id is the fingerprint's low 64 bits, a v5/v6 one its high 64 bits.
        const fpr = data.subarray(1);
        fromFingerprint = hex(data[0] === 4 ? fpr.subarray(fpr.length - 8) : fpr.subarray(0, 8));
      }
      s += hdr + size;
    }
    at = end;
  }
  return fromFingerprint !== undefined ? { keyId: fromFingerprint } : bad('no issuer subpacket');
}

function be32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
}

function beN(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + (b[at + i] ?? 0);
  return v;
}
