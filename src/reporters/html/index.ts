import type { UpdatePlan } from '../../engine/update/plan.js';
import type { CheckResult } from '../../model/finding.js';
import { familyFootprint } from '../../model/footprint.js';
import { type FailOn, verdictOf } from '../../policy/exit-code.js';
import { boundResult, HUMAN_BOUNDS } from '../bound.js';
import { countLevels, footprintCell } from '../common.js';
import { hoistCell } from '../hoist.js';
import { escapeHtml as h } from './escape.js';
import { SCRIPT } from './script.js';
import { isFailedRun, type LockChanges, reportBody, runFacts, verdictBadge } from './sections.js';
import { CSS } from './style.js';

export type { LockDiff } from '../../engine/lock/diff.js';
export type { LockChanges } from './sections.js';

/** Options of the HTML reporter. */
export interface HtmlOptions {
  failOn?: FailOn;
  /** Source text per `Span.file`, for code frames. */
  sources?: ReadonlyMap<string, string>;
  /** Rule pages (markdown with front matter) by rule id. */
  ruleDocs?: ReadonlyMap<string, string>;
  /** update-check: the per-node plan and blast radius. */
  plan?: UpdatePlan;
  /** lock: what changes in the lock file, per node, and against which lock. */
  lockChanges?: LockChanges;
  /** A date to print (from SOURCE_DATE_EPOCH): the report has no clock of its own. */
  generated?: string;
}

// No request can leave the page: every resource is inline, and the policy forbids any other.
const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; connect-src data:";

function page(title: string, header: string, nav: [string, string][], body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}</title><style>${CSS}</style></head><body>`,
    '<a class="skip" href="#main">Skip to the report</a>',
    `<header class="top">${header}</header>`,
    `<nav class="toc" aria-label="sections">${nav.map(([id, label]) => `<a href="#${id}">${h(label)}</a>`).join('')}</nav>`,
    `<main id="main">${body}</main>`,
    `<script>${SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

/** A self-contained HTML report (inline CSS, JS and SVG; no network); byte-identical for identical input. */
export function htmlReporter(raw: CheckResult, options: HtmlOptions = {}): string {
  const result = boundResult(raw, HUMAN_BOUNDS);
  const failOn = options.failOn ?? 'error';
  const header = `<h1>redproof ${h(result.command)}: ${h(result.target)}</h1>${runFacts(result, failOn, options.generated)}`;
  const sections: [string, string | false][] = isFailedRun(result)
    ? [['errors', 'The run failed']]
    : [
        ['errors', result.errors.length > 0 && 'Tool errors'],
        ['repositories', 'Repositories'],
        ['tree', result.command === 'repo-check' ? 'Checked repositories' : 'Family tree'],
        ['hoist', result.hoist !== undefined && (result.hoist.mode === 'plan' ? 'Hoist plan' : 'Hoisting')],
        ['findings', 'Findings'],
        ['plan', options.plan !== undefined && 'Update plan'],
        ['lock', options.lockChanges !== undefined && 'Lock changes'],
        ['inventory', 'Inventory'],
        ['rules', 'Rules'],
      ];
  const nav = sections.filter((x): x is [string, string] => x[1] !== false);
  const body = reportBody(result, {
    failOn,
    idPrefix: '',
    ...(options.sources && { sources: options.sources }),
    ...(options.ruleDocs && { ruleDocs: options.ruleDocs }),
    ...(options.plan && { plan: options.plan }),
    ...(options.lockChanges && { lockChanges: options.lockChanges }),
  });
  return page(`redproof ${result.command}: ${result.target}`, header, nav, body);
}

/** One input of a merged report: a label (file name) and the run it holds. */
export interface MergedInput {
  label: string;
  result: CheckResult;
}

/** Several runs in one page: a table across the inputs (each its own footprint and hoisting), then each report. */
export function htmlMergedReporter(raw: readonly MergedInput[], options: HtmlOptions = {}): string {
  const failOn = options.failOn ?? 'error';
  // bounded for people, as htmlReporter bounds its one run (a report read back is bounded for programs)
  const inputs = raw.map((input) => ({
    label: input.label,
    result: boundResult(input.result, HUMAN_BOUNDS),
  }));
  const rows = inputs
    .map((input, i) => {
      const r = input.result;
      const c = countLevels(r.findings);
      return `<tr><td><a href="#run${i + 1}-body">${h(input.label)}</a></td><td>${h(r.command)}</td><td>${h(r.target)}</td><td>${h(r.arch)}</td><td>${verdictBadge(r, failOn)}</td><td class="num">${c.error}</td><td class="num">${c.warning}</td><td class="num">${c.note}</td><td class="num">${c.suppressed}</td><td class="num">${r.errors.length}</td><td class="num">${r.subjects.length}</td><td>${h(footprintCell(familyFootprint(r.subjects)))}</td><td>${r.hoist ? `<a href="#run${i + 1}-hoist">${h(hoistCell(r.hoist))}</a>` : '-'}</td></tr>`;
    })
    .join('');
  const failing = inputs.filter((i) => verdictOf(i.result, failOn) !== 'pass').length;
  const header = `<h1>redproof merge: ${inputs.length} runs</h1><p>${failing === 0 ? '<span class="verdict pass">PASS</span>' : `<span class="verdict fail">FAIL</span> ${failing} of ${inputs.length} runs`} · fail-on ${h(failOn)}${options.generated ? ` · generated ${h(options.generated)}` : ''}</p>`;
  const table = `<section id="runs"><h2>Runs</h2><div class="scroll"><table><thead><tr><th>input</th><th>command</th><th>target</th><th>arch</th><th>verdict</th><th class="num">errors</th><th class="num">warnings</th><th class="num">notes</th><th class="num">suppressed</th><th class="num">tool errors</th><th class="num">subjects</th><th>footprint: family, standalone (ratio)</th><th>hoisting</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
  const bodies = inputs.map((input, i) => {
    const prefix = `run${i + 1}-`;
    return `<section class="run" id="run${i + 1}"><h2>${h(input.label)}</h2>${runFacts(input.result, failOn)}${reportBody(
      input.result,
      {
        failOn,
        idPrefix: prefix,
        ...(options.ruleDocs && { ruleDocs: options.ruleDocs }),
      },
    )}</section>`;
  });
  return page(
    `redproof merge: ${inputs.length} runs`,
    header,
    [['runs', 'Runs'], ...inputs.map((input, i): [string, string] => [`run${i + 1}`, input.label])],
    table + bodies.join(''),
  );
}
