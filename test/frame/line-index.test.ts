import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineCounter } from 'yaml';
import { lineIndex } from '../../src/frame/index.js';

describe('lineIndex', () => {
  it('maps offsets to 1-based lines and columns and back', () => {
    const idx = lineIndex('ab\ncde\n\nf');
    expect(idx.lineCount).toBe(4);
    expect(idx.positionAt(0)).toEqual({ line: 1, column: 1 });
    expect(idx.positionAt(2)).toEqual({ line: 1, column: 3 });
    expect(idx.positionAt(3)).toEqual({ line: 2, column: 1 });
    expect(idx.positionAt(7)).toEqual({ line: 3, column: 1 });
    expect(idx.positionAt(8)).toEqual({ line: 4, column: 1 });
    expect(idx.positionAt(99)).toEqual({ line: 4, column: 2 });
    expect(idx.positionAt(-5)).toEqual({ line: 1, column: 1 });
    expect(idx.offsetAt({ line: 2, column: 3 })).toBe(5);
    expect(idx.offsetAt({ line: 2, column: 99 })).toBe(6);
    expect(idx.lineText(2)).toBe('cde');
    expect(idx.lineText(3)).toBe('');
    expect(idx.lineText(40)).toBe('f');
  });

  it('treats an empty text as one empty line and strips \\r from CRLF lines', () => {
    expect(lineIndex('').lineCount).toBe(1);
    expect(lineIndex('').lineText(1)).toBe('');
    const crlf = lineIndex('a: 1\r\nb: 2\r\n');
    expect(crlf.lineCount).toBe(3);
    expect(crlf.lineText(1)).toBe('a: 1');
    expect(crlf.positionAt(6)).toEqual({ line: 2, column: 1 });
  });

  it("agrees with yaml's LineCounter on every offset", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'é', '\n', ' ', '日', '\t'), maxLength: 60 }),
        (text) => {
          // as yaml's lexer does: the first line starts at 0
          const lc = new LineCounter();
          lc.addNewLine(0);
          for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
          const idx = lineIndex(text);
          for (let o = 0; o <= text.length; o++) {
            const { line, col } = lc.linePos(o);
            expect(idx.positionAt(o)).toEqual({ line, column: col });
            expect(idx.offsetAt(idx.positionAt(o))).toBe(o);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
