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

/**
 * Without `maxWidth`, a line longer than this (a minified file, a 50 MB scalar) is still shown through a
 * window, of DEFAULT_WINDOW characters.
 */
const LONG_LINE = 1000;
const DEFAULT_WINDOW = 200;

/**
 * Renders a Ruff-style code frame of the span's lines with one line of context before, carets under the
 * spanned columns, and a gutter as wide as the largest line number. Returns `[]` when the span's line is
 * not in `source`. `indent` is the gutter width the caller already uses for its `-->` line. With
 * `maxWidth`, a longer line shows only a window of that many characters around the span, `…` marking
 * what is cut (a generated manifest lists hundreds of packages on one line); without it, only lines
 * longer than LONG_LINE are windowed.
 */
export function codeFrame(
  source: string,
  span: Span,
  indent: number,
  paint: Paint = NO_PAINT,
  maxWidth?: number,
): string[] {
  const lines = sourceLines(source);
  const first = span.line;
  const window =
    maxWidth ??
    (spanLines(lines, first, span).some((t) => t.length > LONG_LINE) ? DEFAULT_WINDOW : undefined);
  const last = Math.max(first, span.endLine ?? first);
  if (first < 1 || first > lines.length) {
    return [];
  }
  const shownLast = Math.min(last, lines.length, first + 4);
  const from = Math.max(1, first - 1);
  const pad = ' '.repeat(indent);
  const out = [paint.gutter(`${pad} |`)];
  for (let n = from; n <= shownLast; n++) {
    const text = escapeControl((lines[n - 1] ?? '').replace(/\t/g, ' '));
    if (n < first) {
      const shown = clipLine(text, 1, 1, window);
      out.push(
        `${paint.gutter(`${String(n).padStart(indent)} |`)}${shown.text === '' ? '' : ` ${shown.text}`}`,
      );
      continue;
    }
    const startCol = n === first ? span.column : firstNonBlank(text);
    let endCol: number;
    if (n === last && span.endColumn !== undefined && (span.endLine ?? first) === n) {
      endCol = Math.max(span.endColumn, startCol + 1);
    } else if (n === first && span.endLine === undefined && span.endColumn === undefined) {
      endCol = tokenEnd(text, startCol);
    } else {
      endCol = text.trimEnd().length + 1;
    }
    const shown = clipLine(text, startCol, endCol, window);
    out.push(
      `${paint.gutter(`${String(n).padStart(indent)} |`)}${shown.text === '' ? '' : ` ${shown.text}`}`,
    );
    const width = Math.max(1, shown.endCol - shown.startCol);
    out.push(
      `${paint.gutter(`${pad} |`)} ${' '.repeat(Math.max(0, shown.startCol - 1))}${paint.marker('^'.repeat(width))}`,
    );
  }
  out.push(paint.gutter(`${pad} |`));
  return out;
}

/**
 * A window of at most `maxWidth` characters of `text` around columns [startCol, endCol), with `…` where it
 * is cut, and the columns moved into it; the line as it is when it fits or no width is given.
 */
function clipLine(
  text: string,
  startCol: number,
  endCol: number,
  maxWidth: number | undefined,
): { text: string; startCol: number; endCol: number } {
  if (maxWidth === undefined || text.length <= maxWidth) return { text, startCol, endCol };
  const spanWidth = Math.min(Math.max(1, endCol - startCol), maxWidth);
  // some context before the span, the rest after it
  const before = Math.max(0, Math.min(startCol - 1, Math.floor((maxWidth - spanWidth) / 3)));
  // from the line's start when the span fits in the first window
  const from =
    startCol - 1 + spanWidth <= maxWidth ? 0 : Math.min(startCol - 1 - before, text.length - maxWidth);
  const head = from > 0 ? '…' : '';
  const tail = from + maxWidth < text.length ? '…' : '';
  const shift = from - head.length;
  return {
    text: `${head}${text.slice(from, from + maxWidth)}${tail}`,
    startCol: startCol - shift,
    endCol: Math.min(endCol, from + maxWidth + 1) - shift,
  };
}

/** The lines a frame of `span` shows (one of context before), as they are in the source. */
function spanLines(lines: readonly string[], first: number, span: Span): string[] {
  const last = Math.max(first, span.endLine ?? first);
  return lines.slice(Math.max(0, first - 2), Math.min(last, first + 4));
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
