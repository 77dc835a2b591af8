import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { headerSignature, signatureIssuer } from '../../../src/load/rpmdb/signature.js';

// Real header signatures made by rpmsign with throwaway gpg keys (test/fixtures/signatures/build.sh
// regenerates them): the packet bytes `rpm -qp --qf '%{RSAHEADER}'` prints, and the key id gpg lists.
const fixture = (name: string) => new URL(`../../fixtures/signatures/${name}`, import.meta.url);
const packet = (algo: string) =>
  Uint8Array.from(Buffer.from(readFileSync(fixture(`${algo}.sig.hex`), 'utf8').trim(), 'hex'));
const keyIdOf = (algo: string) => readFileSync(fixture(`${algo}.keyid`), 'utf8').trim();
const pgpsig = (algo: string) => readFileSync(fixture(`${algo}.pgpsig`), 'utf8').trim();

/** A header blob (rpmdb layout: il, dl, index, data) with the given BIN (7) and STRING_ARRAY (8) tags. */
function headerBlob(entries: { tag: number; bin?: Uint8Array; strings?: string[] }[]): Uint8Array {
  const index: number[][] = [];
  const data: number[] = [];
  for (const e of entries) {
    const bytes = e.bin ?? Buffer.from(e.strings!.map((s) => `${s}\0`).join(''));
    index.push([e.tag, e.bin ? 7 : 8, data.length, e.bin ? e.bin.length : e.strings!.length]);
    data.push(...bytes);
  }
  const out = Buffer.alloc(8 + index.length * 16 + data.length);
  out.writeUInt32BE(index.length, 0);
  out.writeUInt32BE(data.length, 4);
  for (const [i, row] of index.entries()) {
    for (const [j, v] of row.entries()) out.writeUInt32BE(v, 8 + i * 16 + j * 4);
  }
  Buffer.from(data).copy(out, 8 + index.length * 16);
  return new Uint8Array(out);
}

describe('signatureIssuer on real rpmsign signatures', () => {
  for (const [algo, tag] of [
    ['rsa2048', 'RSAHEADER'],
    ['ed25519', 'DSAHEADER'],
  ] as const) {
    it(`${algo}: the key id gpg and rpm report`, () => {
      const want = keyIdOf(algo);
      expect(want).toMatch(/^[0-9a-f]{16}$/);
      // what rpm itself read from the same bytes when the fixture was made
      expect(pgpsig(algo)).toMatch(new RegExp(`^${tag}: .*Key ID ${want}$`));
      expect(signatureIssuer(packet(algo))).toEqual({ keyId: want });
    });
  }

  it('reads the signature from an installed header blob, under the tag rpm stores it in', () => {
    const blob = headerBlob([
      { tag: 1000, strings: ['signed'] },
      { tag: 268, bin: packet('rsa2048') },
    ]);
    expect(headerSignature(blob)).toEqual({ tags: ['RSAHEADER'], keyId: keyIdOf('rsa2048') });
    const ed = headerBlob([{ tag: 267, bin: packet('ed25519') }]);
    expect(headerSignature(ed)).toEqual({ tags: ['DSAHEADER'], keyId: keyIdOf('ed25519') });
    // rpm >= 4.20: base64 packets in OPENPGP
    const b64 = headerBlob([{ tag: 278, strings: [Buffer.from(packet('ed25519')).toString('base64')] }]);
    expect(headerSignature(b64)).toEqual({ tags: ['OPENPGP'], keyId: keyIdOf('ed25519') });
    expect(headerSignature(headerBlob([{ tag: 1000, strings: ['unsigned'] }]))).toEqual({ tags: [] });
  });

  it('takes the first readable of several signatures', () => {
    const blob = headerBlob([
      { tag: 267, bin: Uint8Array.from([0x89, 0x01]) },
      { tag: 268, bin: packet('rsa2048') },
    ]);
    expect(headerSignature(blob)).toEqual({ tags: ['DSAHEADER', 'RSAHEADER'], keyId: keyIdOf('rsa2048') });
  });
});

describe('signatureIssuer on malformed input: a reason, never a throw', () => {
  const real = packet('rsa2048');

  it('every truncation of a real packet is unparsable', () => {
    for (let n = 0; n < real.length; n++) {
      const got = signatureIssuer(real.subarray(0, n));
      expect(got, `first ${n} bytes`).toHaveProperty('unparsable');
    }
  });

  it('names what is wrong', () => {
    const reason = (b: number[] | Uint8Array) => {
      const got = signatureIssuer(Uint8Array.from(b));
      return 'unparsable' in got ? got.unparsable : `key ${got.keyId}`;
    };
    expect(reason([])).toBe('empty');
    expect(reason([0x00, 0x01, 0x02])).toBe('not an OpenPGP packet');
    // an old-format public key packet (tag 6) is not a signature
    expect(reason([0x99, 0x00, 0x01, 0x04])).toBe('packet tag 6, not a signature (2)');
    expect(reason([0xc2, 0xe0, 0x04])).toBe('partial body length');
    expect(reason([0x88, 0x03, 0x07, 0x00, 0x00])).toBe('signature version 7');
    expect(reason(real.subarray(0, real.length - 1))).toBe('truncated packet');
    // a hashed subpacket area that claims more than the packet holds (old-format header of 3 bytes,
    // then version, type, key and hash algorithms, then the area's two-octet count)
    expect(Array.from(real.subarray(0, 4))).toEqual([0x89, 0x01, real[2], 0x04]);
    const lying = Uint8Array.from(real);
    lying[7] = 0xff;
    expect(reason(lying)).toMatch(/^truncated subpacket/);
    // a v4 signature with empty subpacket areas names no issuer
    expect(reason([0x88, 0x0a, 0x04, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0xab, 0xcd])).toBe(
      'no issuer subpacket',
    );
    // a zero-length subpacket would loop forever in a naive reader
    expect(reason([0x88, 0x09, 0x04, 0x00, 0x01, 0x08, 0x00, 0x01, 0x00, 0x00, 0x00])).toBe(
      'truncated subpacket',
    );
  });

  it('reads a v3 signature (fixed key id) and a v6 issuer fingerprint (high 64 bits)', () => {
    const id = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88];
    const v3 = [0x03, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, ...id, 0x01, 0x08, 0xab, 0xcd];
    expect(signatureIssuer(Uint8Array.from([0x88, v3.length, ...v3]))).toEqual({ keyId: '1122334455667788' });
    const fpr = Array.from({ length: 32 }, (_, i) => i);
    const sub = [34, 33, 6, ...fpr];
    const v6 = [0x06, 0x00, 0x01, 0x08, 0, 0, 0, sub.length, ...sub, 0, 0, 0, 0, 0xab, 0xcd];
    expect(signatureIssuer(Uint8Array.from([0xc2, v6.length, ...v6]))).toEqual({ keyId: '0001020304050607' });
  });

  it('a header whose signature tags hold garbage says the signature is unparsable', () => {
    const blob = headerBlob([{ tag: 268, bin: Uint8Array.from([0x89, 0x01, 0x0c, 0x03]) }]);
    const got = headerSignature(blob);
    expect(got.tags).toEqual(['RSAHEADER']);
    expect(got.keyId).toBeUndefined();
    expect(got.unparsable).toMatch(/^unparsable signature \(RSAHEADER: truncated packet\)$/);
    const text = headerBlob([{ tag: 278, strings: ['not base64!'] }]);
    expect(headerSignature(text).unparsable).toBe('unparsable signature (OPENPGP: not binary data)');
  });
});
