import { createGunzip } from 'node:zlib';
import { detectCompression } from '../solver/compression.js';

/** How much decompressed text is looked at to find the root element. */
export const SNIFF_BYTES = 64 * 1024;

/**
 * The first `n` decompressed bytes of gzip or plain data, decoded here (node:zlib); undefined for the
 * formats only the engine decodes (the caller then asks the engine, which gives at most 8 KiB).
 */
export function jsHead(bytes: Uint8Array, n = SNIFF_BYTES): Promise<string | undefined> {
  const c = detectCompression(bytes);
  if (c === 'none') return Promise.resolve(new TextDecoder().decode(bytes.subarray(0, n)));
  if (c !== 'gzip') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const z = createGunzip();
    const chunks: Buffer[] = [];
    let got = 0;
    const done = () => resolve(new TextDecoder().decode(Buffer.concat(chunks).subarray(0, n)));
    z.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      got += chunk.byteLength;
      if (got >= n) {
        z.removeAllListeners();
        z.destroy();
        done();
      }
    });
    z.on('end', done);
    z.on('error', done); // what was decoded before the error is still a head; the reader reports the error
    z.end(bytes.subarray(0, Math.min(bytes.byteLength, 4 * 1024 * 1024)));
  });
}

/**
 * Name of the root element of an XML text, skipping the BOM, whitespace, processing instructions,
 * comments and a DOCTYPE; undefined when the text ends first (or is not XML).
 */
export function rootElement(text: string): string | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return undefined;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return undefined;
      i = end + 3;
    } else if (text.startsWith('<!DOCTYPE', i)) {
      const end = text.indexOf('>', i);
      if (end < 0) return undefined;
      i = end + 1;
    } else {
      return /^<([A-Za-z_][\w:.-]*)[\s/>]/.exec(text.slice(i, i + 256))?.[1];
    }
  }
}
