import { describe, expect, it } from 'vitest';
import { codePointWidth, displayWidth, renderFrame } from '../../src/frame/index.js';

const MANIFEST = [
  'nodes:', //                 1
  '  - alias: platform', //    2
  '    packages: [bash]', //   3
  '  - alias: nav', //         4
  '    packages: [pythn3]', // 5
  '  - alias: maps', //        6
  '',
].join('\n');

const frame = (...lines: string[]): string => lines.join('\n');

describe('renderFrame', () => {
  it('renders the span line with one line of context and carets under the span', () => {
    expect(renderFrame(MANIFEST, { line: 5, column: 16, endLine: 5, endColumn: 22 })).toBe(
      frame(
        '   |',
        ' 4 |   - alias: nav',
        ' 5 |     packages: [pythn3]',
        '   |                ^^^^^^',
        ' 6 |   - alias: maps',
      ),
    );
  });

  it('widens the gutter for two-digit line numbers', () => {
    const text = `${'x\n'.repeat(11)}  - alias: nav\n    packages: [pythn3]\n`;
    expect(renderFrame(text, { line: 13, column: 16, endColumn: 22 }, { contextLines: 1 })).toBe(
      frame(
        '    |',
        ' 12 |   - alias: nav',
        ' 13 |     packages: [pythn3]',
        '    |                ^^^^^^',
        ' 14 |',
      ),
    );
  });

  it('handles the first line, a label and no context', () => {
    expect(
      renderFrame(MANIFEST, { line: 1, column: 1, endColumn: 6 }, { label: 'here', contextLines: 0 }),
    ).toBe(frame('   |', ' 1 | nodes:', '   | ^^^^^ here'));
    expect(renderFrame(MANIFEST, { line: 1, column: 1, endColumn: 6 })).toBe(
      frame('   |', ' 1 | nodes:', '   | ^^^^^', ' 2 |   - alias: platform'),
    );
  });

  it('handles the last line and positions past the end of the text', () => {
    const text = 'a: 1\nb: 2';
    expect(renderFrame(text, { line: 2, column: 4, endColumn: 5 })).toBe(
      frame('   |', ' 1 | a: 1', ' 2 | b: 2', '   |    ^'),
    );
    // line 9 does not exist: clamp to the last line, caret just after its end
    expect(renderFrame(text, { line: 9, column: 30 })).toBe(
      frame('   |', ' 1 | a: 1', ' 2 | b: 2', '   |     ^'),
    );
    expect(renderFrame('', { line: 1, column: 1 })).toBe(frame('   |', ' 1 |', '   | ^'));
  });

  it('draws one caret for an empty span', () => {
    expect(renderFrame('key:\n', { line: 1, column: 5, endLine: 1, endColumn: 5 }, { contextLines: 0 })).toBe(
      frame('   |', ' 1 | key:', '   |     ^'),
    );
  });

  it('marks every line of a multi-line span and elides the middle of a long one', () => {
    expect(
      renderFrame(MANIFEST, { line: 2, column: 5, endLine: 3, endColumn: 25 }, { contextLines: 0 }),
    ).toBe(
      frame(
        '   |',
        ' 2 |   - alias: platform',
        '   |     ^^^^^^^^^^^^^^^',
        ' 3 |     packages: [bash]',
        '   |     ^^^^^^^^^^^^^^^^',
      ),
    );
    const long = renderFrame(
      MANIFEST,
      { line: 1, column: 1, endLine: 6, endColumn: 16 },
      { contextLines: 0 },
    );
    expect(long.split('\n').map((l) => l.slice(0, 4))).toEqual([
      '   |',
      ' 1 |',
      '   |',
      ' 2 |',
      '   |',
      '  ..',
      ' 5 |',
      '   |',
      ' 6 |',
      '   |',
    ]);
  });

  it('treats a span ending at column 1 as ending on the previous line', () => {
    expect(
      renderFrame('ab\ncd\n', { line: 1, column: 1, endLine: 2, endColumn: 1 }, { contextLines: 0 }),
    ).toBe(frame('   |', ' 1 | ab', '   | ^^'));
  });

  it('aligns carets after wide and astral characters', () => {
    const text = 'x: 日本語 🎉 é z';
    // `日本語` is 3 UTF-16 units but 6 cells
    expect(renderFrame(text, { line: 1, column: 4, endColumn: 7 })).toBe(
      frame('   |', ' 1 | x: 日本語 🎉 é z', '   |    ^^^^^^'),
    );
    // `🎉` is 2 UTF-16 units (columns 8-9) and 2 cells; `z` comes after a combining-free `é`
    expect(renderFrame(text, { line: 1, column: 8, endColumn: 10 })).toBe(
      frame('   |', ' 1 | x: 日本語 🎉 é z', '   |           ^^'),
    );
    expect(renderFrame(text, { line: 1, column: 13, endColumn: 14 })).toBe(
      frame('   |', ' 1 | x: 日本語 🎉 é z', '   |                ^'),
    );
    // a combining accent takes no cell
    expect(renderFrame('e\u0301x', { line: 1, column: 3 })).toBe(frame('   |', ' 1 | e\u0301x', '   |  ^'));
  });

  it('expands tabs to tab stops and shows control characters', () => {
    expect(renderFrame('a\tb', { line: 1, column: 3 })).toBe(frame('   |', ' 1 | a   b', '   |     ^'));
    expect(renderFrame('\t\tx', { line: 1, column: 3 }, { tabWidth: 2 })).toBe(
      frame('   |', ' 1 |     x', '   |     ^'),
    );
    expect(renderFrame('a\u0007b', { line: 1, column: 3 })).toBe(frame('   |', ' 1 | a\u2407b', '   |   ^'));
  });

  it('cuts long lines around the span with ellipses, keeping context lines aligned', () => {
    const long = `k: ${'a'.repeat(200)} BAD ${'b'.repeat(100)}`;
    const out = renderFrame(
      `${long}\n${'c'.repeat(250)}\n`,
      { line: 1, column: 205, endColumn: 208 },
      { maxWidth: 40 },
    );
    const lines = out.split('\n');
    // the window starts maxWidth/4 cells before the span: 9 `a`s, then the span, up to 40 cells
    expect(lines[1]).toBe(` 1 | …${'a'.repeat(9)} BAD ${'b'.repeat(26)}…`);
    expect(lines[2]).toBe(`   | ${' '.repeat(11)}^^^`);
    expect(lines[3]).toBe(` 2 | …${'c'.repeat(40)}…`);
    for (const l of lines.slice(1)) expect(displayWidth(l)).toBeLessThanOrEqual(6 + 40 + 1);
  });

  it('does not cut lines that fit', () => {
    const line = 'x'.repeat(120);
    expect(renderFrame(line, { line: 1, column: 120 }).split('\n')[1]).toBe(` 1 | ${line}`);
  });

  it('lines up with a wider caller gutter and can close the frame', () => {
    expect(
      renderFrame('a\n', { line: 1, column: 1 }, { contextLines: 0, gutterWidth: 3, closingGutter: true }),
    ).toBe(frame('     |', '   1 | a', '     | ^', '     |'));
  });

  it('colours only when asked', () => {
    const plain = renderFrame('a\n', { line: 1, column: 1 }, { contextLines: 0 });
    expect(plain).not.toContain('\x1b');
    const colored = renderFrame('a\n', { line: 1, column: 1 }, { color: true, contextLines: 0 });
    expect(colored).toBe(
      '\x1b[1;34m   |\x1b[0m\n\x1b[1;34m 1 |\x1b[0m a\n\x1b[1;34m   |\x1b[0m \x1b[1;31m^\x1b[0m',
    );
    expect(colored.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });

  it('accepts a prebuilt LineIndex', async () => {
    const { lineIndex } = await import('../../src/frame/index.js');
    const idx = lineIndex(MANIFEST);
    expect(renderFrame(idx, { line: 5, column: 16, endColumn: 22 })).toBe(
      renderFrame(MANIFEST, { line: 5, column: 16, endColumn: 22 }),
    );
  });
});

describe('display widths', () => {
  it('counts cells', () => {
    expect(codePointWidth('a'.codePointAt(0) ?? 0)).toBe(1);
    expect(codePointWidth('日'.codePointAt(0) ?? 0)).toBe(2);
    expect(codePointWidth('🎉'.codePointAt(0) ?? 0)).toBe(2);
    expect(codePointWidth(0x301)).toBe(0);
    expect(displayWidth('a\tb')).toBe(5);
    expect(displayWidth('ab\tc', 8)).toBe(9);
  });
});
