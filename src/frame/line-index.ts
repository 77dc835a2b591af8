/**
 * Offset ↔ line/column conversion for a text, by binary search over line starts. Lines end at `\n`
 * only (as in yaml's LineCounter); a `\r` before it is part of no line's visible text.
 */

/** A 1-based line and column; the column counts UTF-16 units, as Span does. */
export interface Position {
  line: number;
  column: number;
}

/** Line lookup over one text. */
export interface LineIndex {
  readonly text: string;
  /** Number of lines; a text ending with `\n` has an empty last line, and `''` has one line. */
  readonly lineCount: number;
  /** Offset of the first character of 1-based `line` (clamped to existing lines). */
  lineStart(line: number): number;
  /** The text of 1-based `line` without its `\n` or `\r\n` (clamped to existing lines). */
  lineText(line: number): string;
  /** The position of `offset` (clamped to the text). */
  positionAt(offset: number): Position;
  /** The offset of a position (line and column clamped to the text). */
  offsetAt(position: Position): number;
}

/** Indexes the line starts of `text` once; every lookup is then O(log lines). */
export function lineIndex(text: string): LineIndex {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineCount = starts.length;
  const clampLine = (line: number): number => Math.min(Math.max(1, Math.trunc(line)), lineCount);
  const lineStart = (line: number): number => starts[clampLine(line) - 1] ?? 0;
  const lineEnd = (line: number): number => {
    const l = clampLine(line);
    const next = l < lineCount ? (starts[l] ?? text.length) - 1 : text.length;
    return next > lineStart(l) && text[next - 1] === '\r' ? next - 1 : next;
  };
  return {
    text,
    lineCount,
    lineStart,
    lineText: (line) => text.slice(lineStart(line), lineEnd(line)),
    positionAt(offset) {
      const o = Math.min(Math.max(0, Math.trunc(offset)), text.length);
      let lo = 0;
      let hi = lineCount - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] ?? 0) <= o) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo + 1, column: o - (starts[lo] ?? 0) + 1 };
    },
    offsetAt({ line, column }) {
      const start = lineStart(line);
      const end = lineEnd(line);
      return Math.min(Math.max(start, start + Math.trunc(column) - 1), end);
    },
  };
}
