import { isEmptyDiff, type LockDiff } from '../../engine/lock/diff.js';
import type { UpdatePlan } from '../../engine/update/plan.js';
import type { CheckResult, Finding, RepositoryInfo, ToolErrorInfo } from '../../model/finding.js';
import type { Footprint } from '../../model/footprint.js';
import { type FailOn, verdictOf } from '../../policy/exit-code.js';
import {
  countLevels,
  docPathOf,
  footprintSentence,
  formatBytes,
  formatCounts,
  formatKnownBytes,
  formatRatio,
  formatSpan,
  plural,
  ruleMetaOf,
  sortErrors,
  sortFindings,
} from '../common.js';
import { splitFrontMatter } from '../explain.js';
import { codeFrame } from '../frame.js';
import { escapeAttr, fragmentId, escapeHtml as h, visible } from './escape.js';
import { familyView } from './family-view.js';
import { hoistSection } from './hoist-section.js';
import { dataScript, inventoryData, inventoryScript } from './inventory-data.js';
import { footprintSvg, treeSvg } from './tree-svg.js';

/**
 * What a lock run changes in the lock file, node by node (`lock`: against the file it replaces;
 * `lock --update`: against the lock it updates; `lock --check`: the committed lock against what `lock`
 * would write now).
 */
export interface LockChanges {
  /** The lock file compared with, as the user named it. */
  file: string;
  mode: 'write' | 'update' | 'check';
  /** The difference; absent when there was no previous lock to compare with. */
  diff?: LockDiff;
  /** Why there is nothing to compare with (the file is missing, or is not a lock redproof reads). */
  noPrevious?: string;
}

/** Widest source line a code frame shows in full; longer ones show a window around the span. */
export const FRAME_WIDTH = 160;

/** Findings rendered as articles in the page itself; the script renders the others on demand. */
export const FULL_FINDINGS = 300;

/** Options of one report body. */
export interface BodyOptions {
  failOn: FailOn;
  sources?: ReadonlyMap<string, string>;
  ruleDocs?: ReadonlyMap<string, string>;
  plan?: UpdatePlan;
  lockChanges?: LockChanges;
  /** Prefix of every fragment id, so that several bodies (merge) fit in one page. */
  idPrefix: string;
}

export function verdictBadge(result: CheckResult, failOn: FailOn): string {
  const v = verdictOf(result, failOn);
  return `<span class="verdict ${v}">${v.toUpperCase()}</span>`;
}

function facts(pairs: [string, string | undefined][]): string {
  return `<dl class="facts">${pairs
    .filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '')
    .map(([k, v]) => `<dt>${h(k)}</dt><dd>${v}</dd>`)
    .join('')}</dl>`;
}

/** The facts of a run: family, arch, tool and libsolv versions, verdict, counts. */
export function runFacts(result: CheckResult, failOn: FailOn, generated?: string): string {
  return facts([
    ['command', `<code>redproof ${h(result.command)}</code>`],
    [result.command === 'repo-check' ? 'target' : 'family', h(result.target)],
    ['arch', h(result.arch)],
    ['tool', `${h(result.tool.name)} ${h(result.tool.version)}`],
    ['libsolv', h(result.tool.libsolv)],
    ['verdict', `${verdictBadge(result, failOn)} fail-on ${h(failOn)}`],
    [
      'findings',
      `${h(formatCounts(countLevels(result.findings)))}, ${countLevels(result.findings).suppressed} suppressed`,
    ],
    [
      'subjects',
      h(
        `${plural(result.subjects.length, 'subject')}, ${plural(
          result.subjects.reduce((n, s) => n + s.packages.length, 0),
          'package',
        )}`,
      ),
    ],
    ['generated', generated && h(generated)],
  ]);
}

function repositoriesTable(repos: readonly RepositoryInfo[]): string {
  if (repos.length === 0) return '<p class="muted">No repository information in this result.</p>';
  const rows = repos
    .map(
      (r) =>
        `<tr><td class="mono">${h(r.id)}</td><td>${h(r.kind)}</td><td class="mono">${h(r.path ?? '')}</td><td class="mono">${h(r.revision ?? '')}</td><td class="mono">${h(r.repomdChecksum ?? '')}</td><td class="num">${r.packages}</td></tr>`,
    )
    .join('');
  return `<div class="scroll"><table><thead><tr><th>id</th><th>kind</th><th>path</th><th>revision</th><th>repomd.xml checksum (snapshot)</th><th class="num">packages</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** What a finding shows, as plain text: rendered here for the first findings, by the page's script for the rest. */
interface FindingView {
  n: number;
  level: Finding['level'];
  rule: string;
  suppressed: boolean;
  message: string;
  where: [string, string][];
  frame?: string;
  evidence: [string, string, string | undefined][];
  suppression?: [string, string];
  help?: string;
  ruleLabel: string;
  ruleAnchor: string;
  docPath: string;
  fingerprint: string;
}

function findingView(f: Finding, result: CheckResult, o: BodyOptions, n: number): FindingView {
  const meta = ruleMetaOf(result, f.rule, f);
  const where: [string, string | undefined][] = [
    ['location', f.location && formatSpan(f.location)],
    ['node', f.node],
    ['package', f.package],
    ['repository', f.repo],
    ['dependency', f.dependency],
  ];
  const source = f.location && o.sources?.get(f.location.file);
  return {
    n,
    level: f.level,
    rule: f.rule,
    suppressed: f.suppression !== undefined,
    message: f.message,
    where: where.filter((w): w is [string, string] => w[1] !== undefined && w[1] !== ''),
    ...(f.location &&
      source !== undefined && {
        frame: codeFrame(source, f.location, String(f.location.line).length, undefined, FRAME_WIDTH).join(
          '\n',
        ),
      }),
    evidence: f.evidence.map((e) => [e.role, e.text, e.location && formatSpan(e.location)]),
    ...(f.suppression && {
      suppression: [f.suppression.kind === 'waiver' ? 'waived' : 'baseline', f.suppression.justification],
    }),
    ...(f.help !== undefined && { help: f.help }),
    ruleLabel: `${meta.id} ${meta.slug}`,
    ruleAnchor: fragmentId(`${o.idPrefix}rule`, f.rule),
    docPath: docPathOf(result, f.rule),
    fingerprint: f.fingerprint,
  };
}

/** The article of a finding; src/reporters/html/script.ts builds the same one from `findingRow`. */
function findingArticle(v: FindingView, o: BodyOptions): string {
  const parts: string[] = [
    `<article class="finding ${v.level}${v.suppressed ? ' suppressed' : ''}" data-rule="${escapeAttr(v.rule)}" id="${o.idPrefix}finding-${v.n}">`,
    `<h3><span class="level ${v.level}">${h(v.rule)} ${v.level}</span> ${h(v.message)}</h3>`,
    facts(v.where.map(([k, x]) => [k, `<code>${h(x)}</code>`])),
  ];
  if (v.frame !== undefined) parts.push(`<pre class="frame">${h(v.frame)}</pre>`);
  if (v.evidence.length) {
    parts.push(
      `<ul class="evidence">${v.evidence
        .map(
          ([role, text, at]) =>
            `<li><b>${h(role)}</b>: ${h(text)}${at ? ` <span class="muted">(${h(at)})</span>` : ''}</li>`,
        )
        .join('')}</ul>`,
    );
  }
  if (v.suppression) parts.push(`<p><b>${v.suppression[0]}</b>: ${h(v.suppression[1])}</p>`);
  if (v.help !== undefined) parts.push(`<p><b>fix</b>: ${h(v.help)}</p>`);
  parts.push(
    `<p class="muted">rule <a href="#${v.ruleAnchor}">${h(v.ruleLabel)}</a> (${h(v.docPath)}) · fingerprint <code>${h(v.fingerprint)}</code></p>`,
    '</article>',
  );
  return parts.join('');
}

/** A finding for the script: flat arrays, every text with control and bidi characters made visible. */
function findingRow(v: FindingView): unknown[] {
  const t = (x: string | undefined) => (x === undefined ? '' : visible(x));
  return [
    v.n,
    v.level,
    t(v.rule),
    v.suppressed ? 1 : 0,
    t(v.message),
    v.where.flatMap(([k, x]) => [k, t(x)]),
    v.frame === undefined ? null : t(v.frame),
    v.evidence.flatMap(([role, text, at]) => [t(role), t(text), t(at)]),
    v.suppression ? [v.suppression[0], t(v.suppression[1])] : null,
    v.help === undefined ? null : t(v.help),
    t(v.ruleLabel),
    v.ruleAnchor,
    t(v.docPath),
    t(v.fingerprint),
  ];
}

/**
 * Findings in full as articles: the first FULL_FINDINGS; the rest go to the page as data (compressed when
 * large), which the script renders on demand, so that a family with thousands of findings stays a few MB.
 */
function findingsSection(result: CheckResult, findings: readonly Finding[], o: BodyOptions): string {
  const parts: string[] = [`<section id="${o.idPrefix}findings"><h2>Findings</h2>`];
  if (findings.length === 0) {
    parts.push(
      result.errors.length
        ? '<p>No finding, but the run had tool errors (above): its results are incomplete, and nothing here is proven.</p>'
        : '<p>No finding: every rule listed below holds for every subject.</p>',
    );
  }
  const views = findings.map((f, i) => findingView(f, result, o, i + 1));
  parts.push(...views.slice(0, FULL_FINDINGS).map((v) => findingArticle(v, o)));
  const rest = views.slice(FULL_FINDINGS);
  if (rest.length) {
    parts.push(
      `<div class="findings-rest"></div><p class="findings-status" role="status" aria-live="polite">${FULL_FINDINGS} of ${findings.length} findings shown; the others need JavaScript</p>`,
      '<button type="button" class="findings-more noprint" hidden>Show more findings</button>',
      dataScript(`${o.idPrefix}findings-data`, 'data-findings', {
        v: 1,
        total: findings.length,
        rows: rest.map(findingRow),
      }),
    );
  }
  parts.push('</section>');
  return parts.join('');
}

function toolErrorItem(e: ToolErrorInfo): string {
  const where = e.file
    ? ` <code>${h(e.line === undefined ? e.file : `${e.file}:${e.line}:${e.column ?? 1}`)}</code>`
    : '';
  return `<li><b>${h(e.kind)}</b>: ${h(e.message)}${where}</li>`;
}

function planSection(plan: UpdatePlan, o: BodyOptions): string {
  const nodes = plan.nodes
    .map((n) => {
      const steps = n.transaction.length
        ? `<table><thead><tr><th>action</th><th>package</th><th>to</th><th>reason</th></tr></thead><tbody>${n.transaction
            .map(
              (s) =>
                `<tr><td>${h(s.action)}</td><td class="mono">${h(s.package)}</td><td class="mono">${h(s.to ?? '')}</td><td>${h(s.reason)}</td></tr>`,
            )
            .join('')}</tbody></table>`
        : '';
      const adv = n.advisories.length
        ? `<p>advisories received: ${n.advisories.map((a) => `<code>${h(a.id)}</code> (${h(a.severity || a.type)})`).join(', ')}</p>`
        : '';
      const missed = n.notReceived.length
        ? `<p>not received: ${n.notReceived.map((a) => `<code>${h(a.id)}</code>: ${h(a.reason ?? '')}`).join('; ')}</p>`
        : '';
      return `<div class="plan-node" data-plan-node="${escapeAttr(n.node)}" data-status="${escapeAttr(n.status)}"><h3>${h(n.node)} <span class="muted">${h(n.status)}, ${plural(n.transaction.length, 'change')}</span></h3>${steps}${adv}${missed}</div>`;
    })
    .join('');
  const blast = plan.blastRadius.length
    ? `<h3>Blast radius</h3><div class="scroll"><table><thead><tr><th>node</th><th>change</th><th>views changed</th><th>dependents</th></tr></thead><tbody>${plan.blastRadius
        .map(
          (b) =>
            `<tr><td>${h(b.node)}</td><td class="mono">${h(`${b.action} ${b.package}${b.to ? ` → ${b.to}` : ''}`)}</td><td>${h(b.nodes.join(', '))}</td><td class="mono">${h(
              b.dependents.map((d) => `${d.node}: ${d.package} (${d.dependency})`).join('; '),
            )}</td></tr>`,
        )
        .join('')}</tbody></table></div>`
    : '';
  return `<section id="${o.idPrefix}plan"><h2>Update plan</h2><p>${plan.proven ? 'Proven: the resulting family has no error.' : 'Not proven: the resulting family has errors.'}</p>${nodes}${blast}</section>`;
}

function lockSection(c: LockChanges, o: BodyOptions): string {
  const against =
    c.mode === 'check'
      ? `<code>${h(c.file)}</code> (committed) against what <code>redproof lock</code> writes now`
      : c.mode === 'update'
        ? `the lock <code>${h(c.file)}</code> updated`
        : `<code>${h(c.file)}</code> against the lock it replaces`;
  const head = `<section id="${o.idPrefix}lock" data-lock-mode="${c.mode}"><h2>Lock changes</h2><p>${against}.</p>`;
  if (!c.diff) {
    return `${head}<p>${h(c.noPrevious ?? 'There was no previous lock')}: every package is new.</p></section>`;
  }
  const d = c.diff;
  if (isEmptyDiff(d)) return `${head}<p>No change: the lock file is the same.</p></section>`;
  const notes = [
    ...d.newNodes.map((a) => `new node <code>${h(a)}</code>`),
    ...d.goneNodes.map((a) => `node <code>${h(a)}</code> is gone`),
    ...d.other.map((x) => h(x)),
  ];
  const rows = d.nodes
    .flatMap((n) => [
      ...n.added.map((p) => [n.alias, 'added', p, '']),
      ...n.removed.map((p) => [n.alias, 'removed', p, '']),
      ...n.upgraded.map((u) => [n.alias, 'upgraded', u.from, u.to]),
    ])
    .map(
      ([node, change, from, to]) =>
        `<tr data-lock-node="${escapeAttr(node!)}" data-change="${change}"><td>${h(node!)}</td><td>${change}</td><td class="mono">${h(from!)}</td><td class="mono">${h(to!)}</td></tr>`,
    )
    .join('');
  return `${head}${notes.length ? `<ul>${notes.map((x) => `<li>${x}</li>`).join('')}</ul>` : ''}${
    rows
      ? `<div class="scroll"><table class="lock-diff"><thead><tr><th>node</th><th>change</th><th>package</th><th>to</th></tr></thead><tbody>${rows}</tbody></table></div>`
      : ''
  }</section>`;
}

function rulesSection(result: CheckResult, o: BodyOptions): string {
  const ids = [...new Set([...result.rules.map((r) => r.id), ...result.findings.map((f) => f.rule)])].sort();
  const items = ids.map((id) => {
    const meta = ruleMetaOf(
      result,
      id,
      result.findings.find((f) => f.rule === id),
    );
    const doc = o.ruleDocs?.get(id);
    const body = doc === undefined ? '' : `<pre>${h(splitFrontMatter(doc).body.trim())}</pre>`;
    return `<details class="rule" id="${fragmentId(`${o.idPrefix}rule`, id)}"><summary><b>${h(meta.id)}</b> ${h(meta.slug)} <span class="level ${meta.level}">${meta.level}</span>: ${h(meta.summary)}</summary><p class="muted">${h(docPathOf(result, id))}</p>${body}</details>`;
  });
  return `<section id="${o.idPrefix}rules"><h2>Rules</h2>${items.join('')}</section>`;
}

/** A run that could not read its input: tool errors and no subject, nothing checked. */
export function isFailedRun(result: CheckResult): boolean {
  return result.errors.length > 0 && result.subjects.length === 0;
}

/** The tool errors first: a run with any did not do its whole job, whatever else the page shows. */
function errorsSection(result: CheckResult, o: BodyOptions): string {
  const lead = isFailedRun(result)
    ? `redproof could not use its input, so nothing was checked: this report proves nothing about <code>${h(result.target)}</code>. Fix the input below and run <code>redproof ${h(result.command)}</code> again.`
    : 'The run did not do its whole job: what follows is incomplete, and nothing in it is proven.';
  return `<section id="${o.idPrefix}errors" class="run-errors" role="alert"><h2>${isFailedRun(result) ? 'The run failed' : 'Tool errors'}</h2><p>${lead}</p><ul>${sortErrors(result.errors).map(toolErrorItem).join('')}</ul></section>`;
}

/** The family's installed bytes against standalone containers: the figures, the bars, what is unknown. */
function footprintSection(fp: Footprint, o: BodyOptions): string {
  const standaloneUnknown = fp.layers.reduce((n, l) => n + (l.kind === 'node' ? l.viewUnknown : 0), 0);
  const rows: [string, string][] = [
    ["family: each layer's own packages once", formatKnownBytes(fp.familyBytes, fp.unknownSizePackages)],
  ];
  if (fp.containers > 0) {
    rows.push(
      [
        `${plural(fp.containers, 'standalone container')}: each node carrying its whole view`,
        formatKnownBytes(fp.standaloneBytes, standaloneUnknown),
      ],
      [fp.savedBytes < 0 ? 'more by sharing' : 'saved by sharing', formatBytes(Math.abs(fp.savedBytes))],
    );
    if (fp.sharingRatio !== undefined)
      rows.push(['sharing ratio (standalone / family)', formatRatio(fp.sharingRatio)]);
  }
  rows.push(['packages (each layer once)', String(fp.packages)]);
  if (fp.unknownSizePackages > 0)
    rows.push(['of unknown installed size, not counted', String(fp.unknownSizePackages)]);
  const table = `<table class="footprint-figures"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${h(k)}</th><td class="num">${h(v)}</td></tr>`).join('')}</tbody></table>`;
  return `<section id="${o.idPrefix}footprint" data-footprint-family="${fp.familyBytes}" data-footprint-standalone="${fp.standaloneBytes}" data-footprint-unknown="${fp.unknownSizePackages}"><h3>Footprint</h3><p>${h(footprintSentence(fp))}.</p>${table}${footprintSvg(fp)}</section>`;
}

/** One run's report: repositories, tree, footprint, hoisting, findings, plan, lock diff, inventory, rules. */
export function reportBody(result: CheckResult, o: BodyOptions): string {
  const { views, footprint: fp } = familyView(result);
  const findings = sortFindings(result.findings);
  const parts: string[] = [`<div class="report-body" id="${o.idPrefix}body">`];
  if (result.errors.length) parts.push(errorsSection(result, o));
  if (isFailedRun(result)) {
    // nothing was read, so nothing was checked: no tree, inventory or rules that could read as proven
    parts.push('</div>');
    return parts.join('');
  }
  const repoCheck = result.command === 'repo-check';
  parts.push(
    `<section id="${o.idPrefix}repositories"><h2>Repositories</h2>${repositoriesTable([...(result.repositories ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))}</section>`,
  );
  parts.push(
    `<section id="${o.idPrefix}tree"><h2>${repoCheck ? 'Checked repositories' : 'Family tree'}</h2><p class="muted noprint">Select a ${repoCheck ? 'repository' : 'node'} (click, or Tab then Enter) to list its packages in the inventory.</p><div class="scroll">${treeSvg(views)}</div>`,
    fp ? footprintSection(fp, o) : '',
    '</section>',
  );
  if (result.hoist) parts.push(hoistSection(result.hoist, o.idPrefix));
  parts.push(findingsSection(result, findings, o));
  if (o.plan) parts.push(planSection(o.plan, o));
  if (o.lockChanges) parts.push(lockSection(o.lockChanges, o));
  const total = result.subjects.reduce((n, s) => n + s.packages.length, 0);
  parts.push(
    `<section id="${o.idPrefix}inventory"><h2>Inventory</h2>`,
    `<div class="controls"><label>${repoCheck ? 'repository' : 'node'} <select class="inv-node"><option value="-1">all ${repoCheck ? 'repositories' : 'nodes'}</option></select></label>`,
    `<label>filter <input class="inv-filter" type="search" placeholder="name, license, source rpm, repository…"></label>`,
    `<span class="inv-status" role="status" aria-live="polite">${plural(total, 'package')}; the table needs JavaScript</span></div>`,
    // repo-check: a repository's packages are not installed anywhere, so no node column, reason or viewers
    `<div class="scroll"><table class="inventory"${repoCheck ? ' data-repositories' : ''}><thead><tr>`,
    ...(
      [
        ['nevra', 'NEVRA'],
        ['node', repoCheck ? 'checked in' : 'node'],
        ['repo', 'repository'],
        ['size', 'size'],
        ['license', 'license'],
        ['srpm', 'source rpm'],
        ['reason', 'why installed'],
      ] as const
    )
      .filter(([k]) => !repoCheck || (k !== 'node' && k !== 'reason'))
      .map(
        ([k, label]) =>
          `<th data-key="${k}" aria-sort="none"${k === 'size' ? ' class="num"' : ''}><button type="button">${label}</button></th>`,
      ),
    `${repoCheck ? '' : '<th>seen by</th>'}</tr></thead><tbody></tbody></table></div>`,
    '<button type="button" class="inv-more" hidden>Show more</button>',
    inventoryScript(`${o.idPrefix}inventory-data`, inventoryData(views)),
    '</section>',
  );
  parts.push(rulesSection(result, o), '</div>');
  return parts.join('');
}
