/**
 * Terminal cell widths, so carets line up under wide (CJK, emoji) and zero-width (combining)
 * characters. An approximation of Unicode East Asian Width, good for source files, not a full wcwidth.
 */

const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f5],
  [0x26fa, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f2ff],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x3fffd],
];

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u;

/** Cells taken by one code point: 0 (combining, format), 2 (wide) or 1. Control characters count 1. */
export function codePointWidth(cp: number): number {
  if (cp === 0) return 1;
  if (ZERO_WIDTH.test(String.fromCodePoint(cp))) return 0;
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const range = WIDE[mid];
    if (!range) break;
    if (cp < range[0]) hi = mid - 1;
    else if (cp > range[1]) lo = mid + 1;
    else return 2;
  }
  return 1;
}

/** One displayed piece of a line: its text on screen, cells, and the UTF-16 offset it came from. */
export interface Cell {
  text: string;
  width: number;
  /** Offset of the source character in the line, in UTF-16 units. */
  offset: number;
  /** Length of the source character in UTF-16 units (2 for astral code points). */
  length: number;
}

/**
 * Splits a line into cells: tabs expand to the next multiple of `tabWidth`, other control characters
 * show as their Unicode control picture (U+2400 block) so they stay visible and one cell wide.
 */
export function toCells(line: string, tabWidth: number): Cell[] {
  const cells: Cell[] = [];
  let column = 0;
  let offset = 0;
  for (const ch of line) {
    const cp = ch.codePointAt(0) ?? 0;
    let cell: Cell;
    if (ch === '\t') {
      const width = tabWidth - (column % tabWidth);
      cell = { text: ' '.repeat(width), width, offset, length: 1 };
    } else if (cp < 0x20 || cp === 0x7f) {
      cell = { text: String.fromCodePoint(cp === 0x7f ? 0x2421 : 0x2400 + cp), width: 1, offset, length: 1 };
    } else {
      cell = { text: ch, width: codePointWidth(cp), offset, length: ch.length };
    }
    cells.push(cell);
    column += cell.width;
    offset += ch.length;
  }
  return cells;
}

/** Cells of `text` as a terminal shows it (tabs expanded with `tabWidth`). */
export function displayWidth(text: string, tabWidth = 4): number {
  return toCells(text, tabWidth).reduce((sum, c) => sum + c.width, 0);
}
