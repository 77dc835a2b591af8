import type { Footprint } from '../../model/footprint.js';
import { formatBytes, formatKnownBytes, formatRatio, plural } from '../common.js';
import { escapeAttr, escapeHtml } from './escape.js';
import type { NodeView } from './family-view.js';

const ROW = 46;
const INDENT = 28;
const BOX_W = 560;
const BOX_H = 38;
const PAD = 8;

function status(v: NodeView): 'error' | 'warning' | 'note' | 'ok' {
  if (v.findings.error) return 'error';
  if (v.findings.warning) return 'warning';
  if (v.findings.note) return 'note';
  return 'ok';
}

function findingText(v: NodeView): string {
  const parts = [];
  if (v.findings.error) parts.push(plural(v.findings.error, 'error'));
  if (v.findings.warning) parts.push(plural(v.findings.warning, 'warning'));
  if (v.findings.note) parts.push(plural(v.findings.note, 'note'));
  if (v.findings.suppressed) parts.push(`${v.findings.suppressed} suppressed`);
  return parts.length ? parts.join(', ') : 'no finding';
}

/**
 * The family tree as an indented SVG picture: one row per node in tree order, an elbow from each parent.
 * Rows keep a 1,000-node family readable and printable, where a top-down tree would be thousands of
 * pixels wide. Each node is focusable and selects itself in the inventory (inline script).
 */
export function treeSvg(views: readonly NodeView[]): string {
  const maxDepth = views.reduce((m, v) => Math.max(m, v.depth), 0);
  const width = PAD * 2 + maxDepth * INDENT + BOX_W;
  const height = PAD * 2 + Math.max(1, views.length) * ROW;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="tree" role="group" aria-label="family tree" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
  ];
  const x = (v: NodeView) => PAD + v.depth * INDENT;
  const y = (v: NodeView) => PAD + v.index * ROW;
  for (const v of views) {
    if (v.parentIndex < 0) continue;
    const p = views[v.parentIndex]!;
    const px = x(p) + 12;
    const py = y(p) + BOX_H;
    const cy = y(v) + BOX_H / 2;
    out.push(`<path class="edge" d="M${px} ${py}V${cy}H${x(v)}"/>`);
  }
  for (const v of views) {
    const s = v.subject;
    const name = s.alias && s.alias !== s.id ? `${s.alias} (${s.id})` : s.id;
    const sizes =
      s.kind === 'repository'
        ? `${plural(v.ownCount, 'package')} · ${formatKnownBytes(v.ownSize, v.ownUnknown, v.ownCount)} installed`
        : `${plural(v.ownCount, 'package')} · own ${formatKnownBytes(v.ownSize, v.ownUnknown, v.ownCount)} · view ${formatKnownBytes(v.viewSize, v.viewUnknown, v.viewCount)} (${v.viewCount})`;
    const unknown = v.viewUnknown ? `; ${plural(v.viewUnknown, 'package')} of unknown size in the view` : '';
    const label = `${s.kind} ${name}: ${sizes}${unknown}; ${findingText(v)}`;
    out.push(
      `<g class="node ${status(v)}" data-node="${escapeAttr(s.id)}" tabindex="0" role="button" aria-label="${escapeAttr(label)}" transform="translate(${x(v)} ${y(v)})">`,
      `<title>${escapeHtml(label)}</title>`,
      `<rect width="${BOX_W}" height="${BOX_H}" rx="5"/>`,
      `<text class="name" x="10" y="16">${escapeHtml(name)}<tspan class="kind" dx="8">${s.kind}</tspan></text>`,
      `<text class="sizes" x="10" y="31">${escapeHtml(sizes)}</text>`,
      `<text class="count" x="${BOX_W - 10}" y="16" text-anchor="end">${escapeHtml(findingText(v))}</text>`,
      '</g>',
    );
  }
  out.push('</svg>');
  return out.join('');
}

/** Two bars: the family's installed bytes against one standalone container per node. */
export function footprintSvg(f: Footprint): string {
  const w = 560;
  const max = Math.max(1, f.familyBytes, f.standaloneBytes);
  const standaloneUnknown = f.layers.reduce((n, l) => n + (l.kind === 'node' ? l.viewUnknown : 0), 0);
  const bar = (label: string, bytes: number, unknown: number, y: number, cls: string) => {
    const len = Math.max(2, Math.round(((w - 20) * bytes) / max));
    return `<g class="bar ${cls}"><text x="10" y="${y - 6}">${escapeHtml(`${label}: ${formatKnownBytes(bytes, unknown)}`)}</text><rect x="10" y="${y}" width="${len}" height="18" rx="3"/></g>`;
  };
  const lower = f.unknownSizePackages > 0 ? ' (of known sizes)' : '';
  const summary =
    f.containers === 0
      ? 'no node: nothing to compare'
      : f.sharingRatio === undefined
        ? 'no known size: nothing to compare'
        : `${plural(f.containers, 'standalone container')} would install ${formatRatio(f.sharingRatio)} the family's bytes${lower}, ${formatBytes(Math.abs(f.savedBytes))} ${f.savedBytes < 0 ? 'less' : 'more'}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="footprint" role="img" aria-label="${escapeAttr(summary)}" width="${w}" height="110" viewBox="0 0 ${w} 110">`,
    `<title>${escapeHtml(summary)}</title>`,
    bar('family: each layer once', f.familyBytes, f.unknownSizePackages, 24, 'family'),
    bar(
      `${plural(f.containers, 'standalone container')}: each node its whole view`,
      f.standaloneBytes,
      standaloneUnknown,
      68,
      'standalone',
    ),
    `<text class="saved" x="10" y="104">${escapeHtml(summary)}</text>`,
    '</svg>',
  ].join('');
}
