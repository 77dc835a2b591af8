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

/**
 * First line of the cache text. Entries written before it (no such line) said `?` for xz, zstd and
 * bzip2 metadata and lost ghosts listed in filelists.xml only: they are stale, never read.
 */
const CACHE_HEADER = 'ghosts 2\n';

/** Ghost entries as cache text: a header, then `NEVRA<TAB>path` lines, or `?` alone when unreadable. */
export function ghostsToText(ghosts: ReadonlyMap<string, readonly string[]> | undefined): string {
  if (ghosts === undefined) return `${CACHE_HEADER}?\n`;
  const lines: string[] = [];
  for (const [nevra, paths] of [...ghosts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)))
    for (const p of paths) lines.push(`${nevra}\t${p}`);
  return CACHE_HEADER + (lines.length ? `${lines.join('\n')}\n` : '');
}

/** Parses `ghostsToText`; throws on an entry of another format, which the loader then rebuilds. */
export function ghostsFromText(cached: string): Map<string, string[]> | undefined {
  if (!cached.startsWith(CACHE_HEADER)) throw new Error('stale ghost cache entry');
  const text = cached.slice(CACHE_HEADER.length);
  if (text === '?\n') return undefined;
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab <= 0) continue;
    const nevra = line.slice(0, tab);
    const list = out.get(nevra);
    if (list) list.push(line.slice(tab + 1));
    else out.set(nevra, [line.slice(tab + 1)]);
  }
  return out;
}

/** Merges `more` into `into`; `undefined` (unreadable) wins. */
export function mergeGhosts(
  into: Map<string, string[]> | undefined,
  more: Map<string, string[]> | undefined,
): Map<string, string[]> | undefined {
  if (into === undefined || more === undefined) return undefined;
  for (const [nevra, paths] of more) {
    const list = into.get(nevra);
    if (!list) into.set(nevra, [...paths]);
    else for (const p of paths) if (!list.includes(p)) list.push(p);
  }
  return into;
}
