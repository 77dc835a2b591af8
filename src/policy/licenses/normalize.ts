/**
 * rpm `License:` tags to SPDX expressions. A tag is read as Fedora's legacy syntax (`and`/`or`, parentheses,
 * short names from fedora-legacy.ts) or as SPDX; every term must map, or the tag is reported as unmapped
 * with the terms that did not (a policy never passes a license it cannot read).
 */
import { createRequire } from 'node:module';
import parse from 'spdx-expression-parse';
import { FEDORA_LEGACY, OTHER_NAMES } from './fedora-legacy.js';

export interface NormalizedLicense {
  /** The tag as rpm stores it. */
  tag: string;
  /** SPDX expression; absent when a term maps to nothing. */
  expression?: string;
  /** Terms of the tag that map to no SPDX license. */
  unmapped: string[];
  /** How legacy or ambiguous terms were read, for the evidence of a finding. */
  notes: string[];
}

type Correct = typeof import('spdx-correct').default;
let correctFn: Correct | undefined;

/**
 * spdx-correct, required on first use: loading it sorts its tables with localeCompare (9 ms, ICU's
 * collator), a cost every `check` and `lock` paid at start-up whether a license was read or not.
 */
function correct(term: string, options: { upgrade: boolean }): string | null {
  correctFn ??= createRequire(import.meta.url)('spdx-correct') as Correct;
  return correctFn(term, options);
}

const OPERATOR = /(\(|\)|\s+and\s+|\s+or\s+)/i;

function parses(expression: string): boolean {
  try {
    parse(expression);
    return true;
  } catch {
    return false;
  }
}

const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

function lookup(
  table: Readonly<Record<string, readonly string[]>>,
  term: string,
): readonly string[] | undefined {
  const exact = table[term];
  if (exact) return exact;
  const lower = term.toLowerCase();
  for (const [name, ids] of Object.entries(table)) if (name.toLowerCase() === lower) return ids;
  return undefined;
}

/** SPDX candidates of one term, or undefined; `notes` gets how it was read. */
function mapTerm(term: string, notes: string[]): readonly string[] | undefined {
  if (parses(term)) {
    // Deprecated ids (`GPL-2.0+`) become their current form; anything else stays as written.
    const upgraded = /\s/.test(term) ? null : correct(term, { upgrade: true });
    return [upgraded && parses(upgraded) ? upgraded : term];
  }
  const legacy = lookup(FEDORA_LEGACY, term) ?? lookup(OTHER_NAMES, term);
  if (legacy) {
    notes.push(
      legacy.length === 1
        ? `\`${term}\` is the legacy name of \`${legacy[0]}\``
        : `\`${term}\` is ambiguous (${legacy.map((l) => `\`${l}\``).join(', ')}): every candidate is checked`,
    );
    return legacy;
  }
  // spdx-correct guesses (`GPL` becomes GPL-3.0-or-later): keep only a spelling fix of the same id.
  const fixed = correct(term, { upgrade: true });
  if (fixed && parses(fixed) && key(fixed) === key(term)) {
    notes.push(`\`${term}\` read as \`${fixed}\``);
    return [fixed];
  }
  return undefined;
}

function group(ids: readonly string[]): string {
  const wrap = (id: string) => (/\s/.test(id) && !/^\S+ WITH \S+$/.test(id) ? `(${id})` : id);
  return ids.length === 1 ? wrap(ids[0]!) : `(${ids.map(wrap).join(' AND ')})`;
}

/**
 * Normalizes one rpm License tag. An ambiguous legacy name becomes the conjunction of its candidates, so
 * an allow list must hold all of them and a deny list catches any of them.
 */
export function normalizeLicense(tag: string): NormalizedLicense {
  const text = tag.trim().replace(/\s+/g, ' ');
  const notes: string[] = [];
  const unmapped: string[] = [];
  if (text === '') return { tag, unmapped: [tag], notes };
  let out = '';
  for (const piece of text.split(OPERATOR)) {
    const p = piece.trim();
    if (p === '') continue;
    if (p === '(' || p === ')') out += p;
    else if (/^and$/i.test(p)) out += ' AND ';
    else if (/^or$/i.test(p)) out += ' OR ';
    else {
      const ids = mapTerm(p, notes) ?? splitList(p, notes);
      if (ids) out += group(ids);
      else unmapped.push(p);
    }
  }
  if (unmapped.length > 0) return { tag, unmapped, notes };
  if (!parses(out)) return { tag, unmapped: [text], notes };
  return { tag, expression: out, unmapped, notes };
}

/** `GPLv3+, GPLv3+ with exceptions` and `AFL/GPL` (no operator): every listed license applies. */
function splitList(term: string, notes: string[]): readonly string[] | undefined {
  if (!/[,;/]/.test(term)) return undefined;
  const parts = term
    .split(/[,;/]/)
    .map((s) => s.trim())
    .filter(Boolean);
  const ids: string[] = [];
  for (const part of parts) {
    const m = mapTerm(part, notes);
    if (!m) return undefined;
    ids.push(...m);
  }
  notes.push(`\`${term}\` has no operator: read as every listed license together`);
  return ids;
}

/** Every license id in an SPDX expression (with `WITH exception` kept), in order of appearance. */
export function licenseLeaves(expression: string): string[] {
  const out: string[] = [];
  const walk = (node: ReturnType<typeof parse>): void => {
    if ('license' in node) {
      out.push(`${node.license}${node.plus ? '+' : ''}${node.exception ? ` WITH ${node.exception}` : ''}`);
    } else {
      walk(node.left);
      walk(node.right);
    }
  };
  walk(parse(expression));
  return out;
}
