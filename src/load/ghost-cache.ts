/**
 * The cache text of `%ghost` entries (src/load/ghost-entries.ts finds them in rpm-md data). Apart from
 * the scan so that a warm run, which only reads this text, does not load the decompressors behind it.
 */

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
