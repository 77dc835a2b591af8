import { gzipSync } from 'node:zlib';
import { jsonForScript, visible } from './escape.js';
import type { NodeView } from './family-view.js';

/** Above this many bytes of JSON, the inventory is embedded gzip-compressed (base64). */
export const INLINE_JSON_LIMIT = 256 * 1024;

/** `manifest entry `bash` at family.yaml:12:5`, as src/engine/family.ts entryReason writes it. */
const ENTRY_REASON = /^manifest entry `(.*)` at (.*):(\d+):(\d+)$/s;

/** The name of a NEVRA `name-[epoch:]version-release.arch`. */
function nameOf(nevra: string): string {
  return nevra.replace(/-[^-]*-[^-]*$/, '');
}

/**
 * The per-node inventory as compact JSON for the inline script. A 1,000-node family lists 100k package
 * entries, most of them the same few thousand packages in many nodes, each with the manifest entry that
 * asked for it; so every text goes to one string table, every package's facts to a package table, and the
 * entries are columns (which compress far better than rows), positions as differences to the previous:
 *
 * `{ v: 2, strings, packages: [[nevra, repo, size, license, srpm], ...], nodes: [[id, parentIndex, count], ...],
 *    pkg: [...], entry: [...], file: [...], line: [...], col: [...] }`
 *
 * with one column value per entry, nodes in order, `count` entries each. `pkg` is an index in `packages`,
 * or -1 for the next package not seen before. In `packages`, texts but the NEVRA are string indexes (-1:
 * none) and a size is bytes (-1: unknown). A reason is `entry` alone (its text; -1 none) when `file` is
 * -1, else ``manifest entry `<entry>` at <file>:<line>:<col>`` with `entry` -2 for the entry's NEVRA, -3
 * for its name, and `line`, `col` running sums.
 */
export function inventoryData(views: readonly NodeView[]): unknown {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const ref = (raw: string | undefined) => {
    if (raw === undefined) return -1;
    // the script puts these in the DOM as text: control and bidi characters must show, not act
    const text = visible(raw);
    let i = index.get(text);
    if (i === undefined) {
      i = strings.length;
      strings.push(text);
      index.set(text, i);
    }
    return i;
  };
  const packages: unknown[][] = [];
  const packageIndex = new Map<string, number>();
  const cols = {
    pkg: [] as number[],
    entry: [] as number[],
    file: [] as number[],
    line: [] as number[],
    col: [] as number[],
  };
  let line = 0;
  let col = 0;
  const nodes = views.map((v) => {
    for (const p of v.subject.packages) {
      const facts = [visible(p.nevra), ref(p.repo), p.installSize ?? -1, ref(p.license), ref(p.sourceRpm)];
      const key = JSON.stringify(facts);
      const k = packageIndex.get(key);
      if (k === undefined) {
        packageIndex.set(key, packages.length);
        packages.push(facts);
        cols.pkg.push(-1);
      } else cols.pkg.push(k);
      const m = p.reason === undefined ? null : ENTRY_REASON.exec(p.reason);
      if (m) {
        const [, entry, file, l, c] = m;
        cols.entry.push(entry === p.nevra ? -2 : entry === nameOf(p.nevra) ? -3 : ref(entry));
        cols.file.push(ref(file));
        cols.line.push(Number(l) - line);
        cols.col.push(Number(c) - col);
        line = Number(l);
        col = Number(c);
      } else {
        cols.entry.push(ref(p.reason));
        cols.file.push(-1);
        cols.line.push(0);
        cols.col.push(0);
      }
    }
    return [visible(v.subject.id), v.parentIndex, v.subject.packages.length];
  });
  return { v: 2, strings, packages, nodes, ...cols };
}

/** The `<script>` element carrying the inventory: plain JSON when small, gzip + base64 when large. */
export function inventoryScript(id: string, data: unknown): string {
  return dataScript(id, 'data-inventory', data);
}

/** A `<script>` element carrying data for the page's script (marked by `attribute`), compressed when large. */
export function dataScript(id: string, attribute: string, data: unknown): string {
  const json = jsonForScript(data);
  if (json.length <= INLINE_JSON_LIMIT) {
    return `<script type="application/json" id="${id}" ${attribute} data-encoding="json">${json}</script>`;
  }
  // zlib's output depends only on its input and level here (no timestamp in the gzip header).
  const packed = gzipSync(Buffer.from(json, 'utf8'), { level: 9 }).toString('base64');
  return `<script type="application/octet-stream" id="${id}" ${attribute} data-encoding="gzip-base64">${packed}</script>`;
}
