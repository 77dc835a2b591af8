/**
 * Ruff-style code frames: the offending line with a little context and carets under the span.
 *
 * ```text
 *     |
 *  12 |   - alias: nav
 *  13 |     packages: [pythn3]
 *     |                ^^^^^^
 * ```
 */
import type { Span } from '../model/index.js';
import { type LineIndex, lineIndex } from './line-index.js';
import { type Cell, toCells } from './width.js';

/** The part of a Span a frame needs; `endColumn` is exclusive (the column after the last character). */
export type FrameSpan = Pick<Span, 'line' | 'column' | 'endLine' | 'endColumn'>;

/** How a frame is drawn; every field is optional. */
export interface FrameOptions {
  /** ANSI colours: blue gutter, red carets. Default false. */
  color?: boolean;
  /** Lines shown before and after the span. Default 1. */
  contextLines?: number;
  /** Text printed after the carets of the span's last line. */
  label?: string;
  /** Tab stops for expanding tabs. Default 4. */
  tabWidth?: number;
  /** Widest source text shown, in cells; longer lines are cut around the span with `…`. Default 120. */
  maxWidth?: number;
  /** Minimum digits in the gutter, to line up with a caller's own `-->` line. Default: the largest line number's. */
  gutterWidth?: number;
  /** End with an empty gutter line (`   |`) as Ruff does. Default false. */
  closingGutter?: boolean;
}

const BLUE = '\x1b[1;34m';
const RED = '\x1b[1;31m';
const RESET = '\x1b[0m';
/** Marked lines shown in full before the middle of a long span is elided. */
const MAX_MARKED_LINES = 4;

interface Row {
  line: number;
  cells: Cell[];
  /** Caret range as UTF-16 offsets [from, to) in the line, for marked lines. */
  mark?: [number, number];
}

/**
 * Renders `span` of `source` (a text, or a LineIndex reused across frames of one file). Pure. Positions
 * out of the text are clamped to it, so a span at end of file still renders. No trailing newline.
 */
export function renderFrame(source: string | LineIndex, span: FrameSpan, options: FrameOptions = {}): string {
  const index = typeof source === 'string' ? lineIndex(source) : source;
  const context = Math.max(0, Math.trunc(options.contextLines ?? 1));
  const tabWidth = Math.max(1, Math.trunc(options.tabWidth ?? 4));
  const maxWidth = Math.max(10, Math.trunc(options.maxWidth ?? 120));
  const color = options.color === true;

  const { startLine, startCol, endLine, endCol } = normalize(index, span);
  const shown: (number | 'gap')[] = [];
  const first = Math.max(1, startLine - context);
  const last = Math.min(index.lineCount, endLine + context);
  const marked = endLine - startLine + 1;
  for (let line = first; line <= last; line++) {
    const elided = marked > MAX_MARKED_LINES && line > startLine + 1 && line < endLine - 1;
    if (!elided) shown.push(line);
    else if (shown[shown.length - 1] !== 'gap') shown.push('gap');
  }

  const rows: (Row | 'gap')[] = shown.map((line) => {
    if (line === 'gap') return 'gap';
    const text = index.lineText(line);
    const row: Row = { line, cells: toCells(text, tabWidth) };
    if (line >= startLine && line <= endLine) {
      const from = line === startLine ? startCol - 1 : firstNonBlank(text);
      const to = line === endLine ? endCol - 1 : text.length;
      row.mark = [from, Math.max(to, from)];
    }
    return row;
  });

  // Cut long lines to one window shared by every row, so carets stay aligned.
  const widest = Math.max(0, ...rows.map((r) => (r === 'gap' ? 0 : widthOf(r.cells))));
  let windowStart = 0;
  if (widest > maxWidth) {
    const startRow = rows.find((r): r is Row => r !== 'gap' && r.line === startLine);
    const anchor = startRow ? columnOf(startRow.cells, startCol - 1) : 0;
    windowStart = Math.max(0, Math.min(anchor - Math.floor(maxWidth / 4), widest - maxWidth));
  }
  const windowEnd = widest > maxWidth ? windowStart + maxWidth : Number.POSITIVE_INFINITY;
  const lead = windowStart > 0 ? 1 : 0;

  const gutterWidth = Math.max(String(last).length, Math.trunc(options.gutterWidth ?? 0));
  const paint = (code: string, text: string): string => (color ? `${code}${text}${RESET}` : text);
  const emptyGutter = paint(BLUE, `${' '.repeat(gutterWidth + 2)}|`);
  const out = [emptyGutter];
  const lastMarked = Math.max(...rows.map((r) => (r !== 'gap' && r.mark ? r.line : 0)));
  for (const row of rows) {
    if (row === 'gap') {
      out.push(paint(BLUE, `${' '.repeat(gutterWidth + 1)}...`));
      continue;
    }
    const text = clip(row.cells, windowStart, windowEnd);
    out.push(`${paint(BLUE, ` ${String(row.line).padStart(gutterWidth)} |`)}${text ? ` ${text}` : ''}`);
    if (!row.mark) continue;
    let from = columnOf(row.cells, row.mark[0]);
    let to = columnOf(row.cells, row.mark[1]);
    if (to <= from) to = from + 1;
    from = Math.max(from, windowStart);
    to = Math.min(to, windowEnd);
    if (to <= from) continue;
    const label = row.line === lastMarked && options.label ? ` ${options.label}` : '';
    const pad = ' '.repeat(from - windowStart + lead);
    out.push(`${emptyGutter} ${pad}${paint(RED, `${'^'.repeat(to - from)}${label}`)}`);
  }
  if (options.closingGutter) out.push(emptyGutter);
  return out.join('\n');
}

function normalize(
  index: LineIndex,
  span: FrameSpan,
): { startLine: number; startCol: number; endLine: number; endCol: number } {
  const clampLine = (l: number): number => Math.min(Math.max(1, Math.trunc(l)), index.lineCount);
  const lengthOf = (l: number): number => index.lineText(l).length;
  const startLine = clampLine(span.line);
  const startCol = Math.min(Math.max(1, Math.trunc(span.column)), lengthOf(startLine) + 1);
  let endLine = Math.max(startLine, clampLine(span.endLine ?? startLine));
  let endCol = Math.min(
    span.endColumn ?? (endLine === startLine ? startCol + 1 : lengthOf(endLine) + 1),
    lengthOf(endLine) + 1,
  );
  // A span that ends at column 1 ends with the previous line's line break.
  if (endLine > startLine && endCol <= 1) {
    endLine -= 1;
    endCol = lengthOf(endLine) + 1;
  }
  if (endLine === startLine && endCol <= startCol) endCol = startCol + 1;
  return { startLine, startCol, endLine, endCol: Math.max(1, Math.trunc(endCol)) };
}

function firstNonBlank(text: string): number {
  const i = text.search(/[^ \t]/);
  return Math.max(i, 0);
}

function widthOf(cells: readonly Cell[]): number {
  return cells.reduce((sum, c) => sum + c.width, 0);
}

/** Display column (0-based cells) where UTF-16 `offset` starts; past the end counts one cell per unit. */
function columnOf(cells: readonly Cell[], offset: number): number {
  let column = 0;
  let end = 0;
  for (const cell of cells) {
    // An offset inside a surrogate pair belongs to that character.
    if (cell.offset + cell.length > offset) return column;
    column += cell.width;
    end = cell.offset + cell.length;
  }
  return column + Math.max(0, offset - end);
}

/** The cells inside display columns [from, to), with `…` where text was cut; '' for a blank line. */
function clip(cells: readonly Cell[], from: number, to: number): string {
  let column = 0;
  let text = '';
  let cutLeft = false;
  let cutRight = false;
  for (const cell of cells) {
    const start = column;
    column += cell.width;
    if (start < from) {
      cutLeft = true;
      continue;
    }
    if (column > to) {
      cutRight = true;
      break;
    }
    text += cell.text;
  }
  if (from > 0) text = `${cutLeft ? '…' : ' '}${text}`;
  if (cutRight) text += '…';
  return text.trim() === '' ? '' : text;
}
