/**
 * The hoist section of the reports (`lock --hoist`, `check --suggest-hoist`): every hoist (package, from,
 * to, bytes saved) and every duplicate left with what blocks it, as text, Markdown and result-v1 JSON
 * (the HTML section is src/reporters/html/hoist-section.ts, with the same headline).
 */
import type { HoistBlockerInfo, HoistReport } from '../model/hoist.js';
import { formatBytes, plural } from './common.js';

const list = (xs: readonly string[]) => xs.join(', ');

/** `2 hoists save 1.0 MiB (family 3.0 MiB → 2.0 MiB), 1 duplicate left`: the same in every format. */
export function hoistHeadline(r: HoistReport): string {
  const saved = r.bytesBefore - r.bytesAfter;
  const verb = r.mode === 'plan' ? 'would save' : r.hoists.length === 1 ? 'saves' : 'save';
  const what = r.hoists.length
    ? `${plural(r.hoists.length, 'hoist')} ${verb} ${formatBytes(saved)}`
    : 'nothing to hoist';
  return `${what} (family ${formatBytes(r.bytesBefore)} → ${formatBytes(r.bytesAfter)}), ${plural(r.left.length, 'duplicate')} left`;
}

/** Text lines (no trailing newline), indented as the summary is. */
export function hoistTextLines(r: HoistReport): string[] {
  const lines = [`${r.mode === 'plan' ? 'hoist plan (nothing written)' : 'hoisted'}: ${hoistHeadline(r)}`];
  for (const h of r.hoists) {
    lines.push(
      `  ${h.package}: ${list(h.from)} → ${h.to}, ${formatBytes(h.savedBytes)} ${r.mode === 'plan' ? 'to save' : 'saved'}`,
    );
    for (const w of h.with) lines.push(`    with ${w.package} (from ${list(w.from)})`);
  }
  for (const l of r.left) {
    lines.push(
      `  left: ${l.package} in ${list(l.nodes)} (→ ${l.ancestor} would save ${formatBytes(l.savedBytes)})`,
    );
    for (const b of l.blockers) lines.push(`    blocked by ${b.kind}: ${b.text}`);
    if (!l.blockers.length) lines.push('    nothing to save');
  }
  return lines;
}

/**
 * The hoist column of merge's table across runs: each run's own figures, never summed across runs (the
 * families differ); `-` for a run that did not hoist.
 */
export function hoistCell(r: HoistReport | undefined): string {
  if (!r) return '-';
  const saved = r.bytesBefore - r.bytesAfter;
  const what = r.hoists.length
    ? `${plural(r.hoists.length, 'hoist')} ${r.mode === 'plan' ? 'would save' : 'saved'} ${formatBytes(saved)}`
    : 'nothing to hoist';
  return `${r.mode === 'plan' ? 'plan' : 'applied'}: ${what}, ${plural(r.left.length, 'duplicate')} left`;
}

/** Markdown lines of a `### Hoisting` section; `cell` escapes text for the page. */
export function hoistMarkdownLines(r: HoistReport, cell: (s: string) => string): string[] {
  const code = (s: string) => `\`${cell(s)}\``;
  const out = [`### ${r.mode === 'plan' ? 'Hoist plan' : 'Hoisting'}`, '', `${cell(hoistHeadline(r))}.`, ''];
  if (r.hoists.length) {
    out.push('| Package | From | To | Saved |', '|---|---|---|---:|');
    for (const h of r.hoists) {
      const withText = h.with.length ? `<br>with ${h.with.map((w) => code(w.package)).join(', ')}` : '';
      out.push(
        `| ${code(h.package)}${withText} | ${h.from.map(code).join(', ')} | ${code(h.to)} | ${formatBytes(h.savedBytes)} |`,
      );
    }
    out.push('');
  }
  if (r.left.length) {
    out.push('Duplicates left:', '');
    for (const l of r.left) {
      out.push(
        `- ${code(l.package)} in ${l.nodes.map(code).join(', ')} (hoisting to ${code(l.ancestor)} would save ${formatBytes(l.savedBytes)})`,
      );
      for (const b of l.blockers) out.push(`  - ${b.kind}: ${cell(b.text)}`);
    }
    out.push('');
  }
  return out;
}

function blocker(b: HoistBlockerInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { kind: b.kind, text: b.text };
  if (b.package !== undefined) out.package = b.package;
  if (b.node !== undefined) out.node = b.node;
  if (b.dependency !== undefined) out.dependency = b.dependency;
  if (b.pattern !== undefined) out.pattern = b.pattern;
  return out;
}

/** The result-v1 `hoist` object, in a fixed key order. */
export function hoistDocument(r: HoistReport): Record<string, unknown> {
  return {
    mode: r.mode,
    bytesBefore: r.bytesBefore,
    bytesAfter: r.bytesAfter,
    savedBytes: r.bytesBefore - r.bytesAfter,
    hoists: r.hoists.map((h) => ({
      package: h.package,
      from: [...h.from],
      to: h.to,
      savedBytes: h.savedBytes,
      with: h.with.map((w) => ({ package: w.package, from: [...w.from] })),
    })),
    left: r.left.map((l) => ({
      package: l.package,
      nodes: [...l.nodes],
      ancestor: l.ancestor,
      savedBytes: l.savedBytes,
      blockers: l.blockers.map(blocker),
    })),
  };
}
