import { gzipSync } from 'node:zlib';
import { jsonForScript, visible } from './escape.js';
import type { NodeView } from './family-view.js';

/** Above this many bytes of JSON, the inventory is embedded gzip-compressed (base64). */
export const INLINE_JSON_LIMIT = 256 * 1024;

/**
 * The per-node inventory as compact JSON for the inline script: repeated texts (repositories, licenses,
 * source rpms, reasons) go to one string table and rows refer to them by index.
 *
 * `{ v: 1, strings, nodes: [[id, parentIndex], ...], rows: [[[nevra, repo, size, license, srpm, reason], ...], ...] }`
 * with -1 for an unknown text, and rows[i] the packages of nodes[i].
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
  const nodes = views.map((v) => [visible(v.subject.id), v.parentIndex]);
  const rows = views.map((v) =>
    v.subject.packages.map((p) => [
      visible(p.nevra),
      ref(p.repo),
      p.installSize ?? -1,
      ref(p.license),
      ref(p.sourceRpm),
      ref(p.reason),
    ]),
  );
  return { v: 1, strings, nodes, rows };
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
