import type { HoistLeft, HoistReport } from '../../model/hoist.js';
import { formatBytes, plural } from '../common.js';
import { hoistHeadline } from '../hoist.js';
import { escapeAttr, escapeHtml as h } from './escape.js';

/**
 * Node names shown in one list (a hoist's `from`, a duplicate's `nodes`): a package 900 siblings hold
 * would otherwise fill the page with 900 names, once per package. The JSON report lists them all.
 */
export const HOIST_NAMES_SHOWN = 20;

/** Rows of each table (hoists, duplicates left) in the page; the JSON report lists them all. */
export const HOIST_ROWS_SHOWN = 500;

/** Node names shown for a package that moved with a hoist, when they are not the hoist's own. */
export const WITH_NAMES_SHOWN = 5;

/** `<code>a</code>, <code>b</code> and 3 more`, at most `max` names. */
function names(xs: readonly string[], max = HOIST_NAMES_SHOWN): string {
  const shown = xs
    .slice(0, max)
    .map((x) => `<code>${h(x)}</code>`)
    .join(', ');
  return xs.length > max ? `${shown} and ${xs.length - max} more` : shown;
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** What a table leaves out, or nothing. */
function rest(total: number, word: string): string {
  return total > HOIST_ROWS_SHOWN
    ? `<p class="muted">${HOIST_ROWS_SHOWN} of ${plural(total, word)} shown; the JSON report (<code>--json</code>) lists them all.</p>`
    : '';
}

function leftItem(l: HoistLeft): string {
  const blockers = l.blockers.length
    ? l.blockers.map((b) => `<li data-blocker="${escapeAttr(b.kind)}"><b>${h(b.kind)}</b>: ${h(b.text)}</li>`)
    : ['<li class="muted">nothing to save</li>'];
  return `<li data-left-package="${escapeAttr(l.package)}" data-ancestor="${escapeAttr(l.ancestor)}" data-saved-bytes="${l.savedBytes}"><code>${h(l.package)}</code> in ${names(l.nodes)} (hoisting to <code>${h(l.ancestor)}</code> would save ${h(formatBytes(l.savedBytes))})<ul class="hoist-blockers">${blockers.join('')}</ul></li>`;
}

/**
 * The Hoisting (`lock --hoist`) or Hoist plan (`check --suggest-hoist`) section: the family's bytes
 * before and after, every hoist with what moved with it, every duplicate left with its blockers; what
 * text and Markdown show (src/reporters/hoist.ts), in plain HTML that needs no script.
 */
export function hoistSection(r: HoistReport, idPrefix: string): string {
  const isPlan = r.mode === 'plan';
  const saved = r.bytesBefore - r.bytesAfter;
  const lead = isPlan
    ? 'A plan (<code>redproof check --suggest-hoist</code>): nothing was written, and the family above is as it is.'
    : 'Applied (<code>redproof lock --hoist</code>): the family above is the hoisted one.';
  const figures: [string, string][] = [
    ['family before hoisting', formatBytes(r.bytesBefore)],
    [isPlan ? 'family after the plan' : 'family after hoisting', formatBytes(r.bytesAfter)],
    [isPlan ? 'would save' : 'saved', formatBytes(saved)],
  ];
  const parts = [
    `<section id="${idPrefix}hoist" data-hoist-mode="${r.mode}" data-bytes-before="${r.bytesBefore}" data-bytes-after="${r.bytesAfter}" data-saved-bytes="${saved}">`,
    `<h2>${isPlan ? 'Hoist plan' : 'Hoisting'}</h2>`,
    `<p>${lead}</p>`,
    `<p>${h(hoistHeadline(r))}.</p>`,
    `<table class="hoist-figures"><tbody>${figures.map(([k, v]) => `<tr><th scope="row">${h(k)}</th><td class="num">${h(v)}</td></tr>`).join('')}</tbody></table>`,
  ];
  if (r.hoists.length) {
    const rows = r.hoists.slice(0, HOIST_ROWS_SHOWN).map((x) => {
      const moved = x.with.slice(0, HOIST_NAMES_SHOWN).map((w) => {
        // most move from the very nodes the hoist does: said once, not once per package
        const from = sameList(w.from, x.from) ? 'the same nodes' : names(w.from, WITH_NAMES_SHOWN);
        return `<li>with <code>${h(w.package)}</code> <span class="muted">(from ${from})</span></li>`;
      });
      if (x.with.length > HOIST_NAMES_SHOWN) {
        moved.push(`<li class="muted">and ${x.with.length - HOIST_NAMES_SHOWN} more</li>`);
      }
      const withList = moved.length ? `<ul class="hoist-with">${moved.join('')}</ul>` : '';
      return `<tr data-hoist-package="${escapeAttr(x.package)}" data-hoist-to="${escapeAttr(x.to)}" data-saved-bytes="${x.savedBytes}" data-with="${x.with.length}"><td><code>${h(x.package)}</code>${withList}</td><td>${names(x.from)}</td><td><code>${h(x.to)}</code></td><td class="num">${h(formatBytes(x.savedBytes))}</td></tr>`;
    });
    parts.push(
      `<h3>${isPlan ? 'Hoists planned' : 'Hoists'}</h3>`,
      `<div class="scroll"><table class="hoists"><thead><tr><th>package (and what moves with it)</th><th>from</th><th>to</th><th class="num">${isPlan ? 'would save' : 'saved'}</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`,
      rest(r.hoists.length, 'hoist'),
    );
  }
  if (r.left.length) {
    parts.push(
      '<h3>Duplicates left</h3>',
      `<ul class="hoist-left">${r.left.slice(0, HOIST_ROWS_SHOWN).map(leftItem).join('')}</ul>`,
      rest(r.left.length, 'duplicate'),
    );
  }
  parts.push('</section>');
  return parts.join('');
}
