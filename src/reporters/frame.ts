import type { Span } from '../model/finding.js';
import { escapeControl } from './escape.js';

/** Colour hooks; identity functions when colour is off. */
export interface Paint {
  gutter(text: string): string;
  marker(text: string): string;
}

/** Paint that adds nothing. */
export const NO_PAINT: Paint = { gutter: (t) => t, marker: (t) => t };

/** Splits text into lines the way editors count them (`\r\n`, `\n`, `\r`). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

// The lines of the last sources framed: a report frames thousands of findings in the same few
// files, and splitting the whole source once per finding made text output quadratic.
const linesCache = new Map<string, readonly string[]>();
const LINES_CACHE_SIZE = 8;

/** `splitLines(text)`, computed once per distinct source. */
export function sourceLines(text: string): readonly string[] {
  let lines = linesCache.get(text);
  if (lines === undefined) {
    lines = splitLines(text);
    if (linesCache.size >= LINES_CACHE_SIZE) linesCache.delete(linesCache.keys().next().value!);
    linesCache.set(text, lines);
  }
  return lines;
}

/** Lines longer than this are shown through a window of WINDOW characters. */
const LONG_LINE = 1000;
const WINDOW = 200;
/** Characters of the window shown before the span's column. */
const WINDOW_LEAD = 40;

/**
 * Renders a Ruff-style code frame of the span's lines with one line of context before, carets under the
 * spanned columns, and a gutter as wide as the largest line number. Returns `[]` when the span's line is
 * not in `source`. `indent` is the gutter width the caller already uses for its `-->` line.
 */
export function codeFrame(source: string, span: Span, indent: number, paint: Paint = NO_PAINT): string[] {
  const lines = sourceLines(source);
  const first = span.line;
  const last = Math.max(first, span.endLine ?? first);
  if (first < 1 || first > lines.length) {
    return [];
  }
  const shownLast = Math.min(last, lines.length, first + 4);
  const from = Math.max(1, first - 1);
  const pad = ' '.repeat(indent);
  const out = [paint.gutter(`${pad} |`)];
  const texts: string[] = [];
  for (let n = from; n <= shownLast; n++) texts.push(escapeControl((lines[n - 1] ?? '').replace(/\t/g, ' ')));
  // A line of thousands of characters (a minified file, a 50 MB scalar) is shown through one window
  // around the span's column, shared by every line so the carets stay under their text.
  const windowed = texts.some((t) => t.length > LONG_LINE);
  const start = windowed ? Math.max(0, span.column - 1 - WINDOW_LEAD) : 0;
  const lead = start > 0 ? 1 : 0;
  const view = (text: string) =>
    windowed
      ? `${lead ? '…' : ''}${text.slice(start, start + WINDOW)}${text.length > start + WINDOW ? '…' : ''}`
      : text;
  const inView = (col: number) => (windowed ? Math.min(Math.max(col - start, 1), WINDOW + 1) + lead : col);
  for (let n = from; n <= shownLast; n++) {
    const text = texts[n - from]!;
    const shown = view(text);
    out.push(`${paint.gutter(`${String(n).padStart(indent)} |`)}${shown === '' ? '' : ` ${shown}`}`);
    if (n < first) continue;
    const startCol = n === first ? span.column : firstNonBlank(text);
    let endCol: number;
    if (n === last && span.endColumn !== undefined && (span.endLine ?? first) === n) {
      endCol = Math.max(span.endColumn, startCol + 1);
    } else if (n === first && span.endLine === undefined && span.endColumn === undefined) {
      endCol = tokenEnd(text, startCol);
    } else {
      endCol = text.trimEnd().length + 1;
    }
    const width = Math.max(1, inView(endCol) - inView(startCol));
    out.push(
      `${paint.gutter(`${pad} |`)} ${' '.repeat(Math.max(0, inView(startCol) - 1))}${paint.marker('^'.repeat(width))}`,
    );
  }
  out.push(paint.gutter(`${pad} |`));
  return out;
}

function firstNonBlank(text: string): number {
  const match = /\S/.exec(text);
  return match ? match.index + 1 : 1;
}

/** Column after the token that starts at `column` (up to whitespace, `,` or `]`/`}`). */
function tokenEnd(text: string, column: number): number {
  const rest = text.slice(column - 1);
  const match = /^[^\s,\]}]+/.exec(rest);
  return column + (match ? match[0].length : 1);
}
