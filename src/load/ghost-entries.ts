import { decompress } from './decompress.js';

/**
 * `%ghost` files of rpm-md file-list data (`<file type="ghost">` in primary.xml or filelists.xml), by
 * package NEVRA as libsolv prints it (`name-[epoch:]version-release.arch`). libsolv's reader keeps the
 * path and drops its type, and rpm never reports a conflict on a ghost (rpmfilesCompare returns 0
 * when either file is one), so RP005 needs them.
 *
 * Any compression is read (src/load/decompress.ts), up to `maxBytes` of decompressed data. Returns
 * `undefined` when the data cannot be decompressed within that bound: the caller then says that ghost
 * files could not be told apart.
 */
export function ghostEntries(bytes: Uint8Array, maxBytes?: number): Map<string, string[]> | undefined {
  let text: string;
  try {
    text = new TextDecoder().decode(decompress(bytes, maxBytes).bytes);
  } catch {
    return undefined; // libsolv has read these bytes already: nothing more to say about them here
  }
  const out = new Map<string, string[]>();
  const tag = '<file type="ghost">';
  let lastPackageAt = -1;
  let nevra: string | undefined;
  for (let i = text.indexOf(tag); i >= 0; i = text.indexOf(tag, i + tag.length)) {
    const end = text.indexOf('</file>', i);
    if (end < 0) break;
    // `<package ` with its space: primary.xml also has `<packager>`.
    const packageAt = text.lastIndexOf('<package ', i);
    if (packageAt < 0) continue;
    if (packageAt !== lastPackageAt) {
      lastPackageAt = packageAt;
      nevra = packageNevra(text, packageAt, i);
    }
    if (nevra === undefined) continue;
    const path = unescapeXml(text.slice(i + tag.length, end));
    const list = out.get(nevra);
    if (list) list.push(path);
    else out.set(nevra, [path]);
  }
  return out;
}

/** The NEVRA of the `<package>` element starting at `at`, from filelists (attributes) or primary (elements). */
function packageNevra(text: string, at: number, limit: number): string | undefined {
  const head = text.slice(at, limit);
  const version = /<version\s+([^>]*)\/?>/.exec(head)?.[1];
  if (version === undefined) return undefined;
  const attr = (s: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(s)?.[1];
  const open = /^<package\b([^>]*)>/.exec(head)?.[1] ?? '';
  const name = attr(open, 'name') ?? /<name>([^<]*)<\/name>/.exec(head)?.[1];
  const arch = attr(open, 'arch') ?? /<arch>([^<]*)<\/arch>/.exec(head)?.[1];
  const ver = attr(version, 'ver');
  const rel = attr(version, 'rel');
  if (name === undefined || arch === undefined || ver === undefined) return undefined;
  const epoch = attr(version, 'epoch');
  const e = epoch && epoch !== '0' ? `${epoch}:` : '';
  return unescapeXml(`${name}-${e}${ver}${rel ? `-${rel}` : ''}.${arch}`);
}

function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

export { ghostsFromText, ghostsToText, mergeGhosts } from './ghost-cache.js';
