// bench/lib/table.mjs — format a GitHub-flavoured markdown table.
//
//   markdownTable(['corpus', 'broken', 'wall'], [['cs9', 136, '1.2 s']], { align: ['l', 'r', 'r'] })
//
// Cells are stringified; `|` is escaped and newlines become spaces. Columns are padded so the raw
// text lines up too.
export function markdownTable(headers, rows, { align = [] } = {}) {
  const esc = (v) =>
    String(v ?? '')
      .replace(/\|/g, '\\|')
      .replace(/\r?\n/g, ' ');
  const h = headers.map(esc);
  const body = rows.map((r) => h.map((_, i) => esc(r[i])));
  const width = h.map((c, i) => Math.max(3, c.length, ...body.map((r) => r[i].length)));
  const pad = (s, i) => (align[i] === 'r' ? s.padStart(width[i]) : s.padEnd(width[i]));
  const sep = width.map((w, i) => {
    const a = align[i];
    if (a === 'r') return `${'-'.repeat(w - 1)}:`;
    if (a === 'c') return `:${'-'.repeat(w - 2)}:`;
    return '-'.repeat(w);
  });
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(h.map(pad)), line(sep), ...body.map((r) => line(r.map(pad)))].join('\n');
}
