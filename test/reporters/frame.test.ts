import { describe, expect, it } from 'vitest';
import { codeFrame } from '../../src/reporters/frame.js';

// The code frame's window on long lines (the HTML report clips at FRAME_WIDTH): the caret stays under the
// spanned text, `…` marks what is cut, and a line that fits is shown whole.
describe('codeFrame with a maximum width', () => {
  const nevras = Array.from({ length: 60 }, (_, i) => `pkg${i}-1.0-1.el9.x86_64`);
  const line = `    packages: [${nevras.join(', ')}]`;
  const source = `nodes:\n  - alias: n0\n    parent: host\n${line}\n`;
  const column = line.indexOf('pkg30-') + 1;
  const span = { file: 'f.yaml', line: 4, column };

  /** The text under the carets of a frame line pair. */
  const underCarets = (frame: string[]) => {
    const text = frame[2]!.slice('4 | '.length);
    const carets = frame[3]!.slice('  | '.length);
    const start = carets.indexOf('^');
    return text.slice(start, carets.length);
  };

  it('shows a window around the span, marked on both sides, the caret under the package', () => {
    const frame = codeFrame(source, span, 1, undefined, 60);
    expect(frame[1]).toBe('3 |     parent: host');
    expect(frame[2]!.length).toBeLessThanOrEqual('4 | '.length + 62);
    expect(frame[2]).toMatch(/^4 \| …[^…]+…$/);
    expect(underCarets(frame)).toBe('pkg30-1.0-1.el9.x86_64');
  });

  it('cuts only the end when the span is near the start, only the start near the end', () => {
    const early = codeFrame(source, { ...span, column: line.indexOf('pkg0-') + 1 }, 1, undefined, 60);
    expect(early[2]).toMatch(/^4 \| {5}packages: \[pkg0-.*…$/);
    expect(underCarets(early)).toBe('pkg0-1.0-1.el9.x86_64');
    const late = codeFrame(source, { ...span, column: line.indexOf('pkg59-') + 1 }, 1, undefined, 60);
    expect(late[2]).toMatch(/^4 \| ….*pkg59-1\.0-1\.el9\.x86_64\]$/);
    expect(underCarets(late)).toBe('pkg59-1.0-1.el9.x86_64');
  });

  it('leaves lines that fit as they are; without a width, windows only lines over 1,000 characters', () => {
    // without a width, a line up to LONG_LINE (1,000 characters) is whole; a longer one is windowed
    const fits = `    packages: [${nevras.slice(0, 30).join(', ')}]`;
    expect(codeFrame(`a:\n${fits}\n`, { file: 'f', line: 2, column: 5 }, 1)[2]).toBe(`2 | ${fits}`);
    const long = codeFrame(source, span, 1)[2]!;
    expect(long).toMatch(/^4 \| …[^…]+…$/);
    expect(long.length).toBeLessThanOrEqual('4 | '.length + 202);
    const short = codeFrame('a: [x, y]\n', { file: 'f', line: 1, column: 8 }, 1, undefined, 60);
    expect(short).toEqual(['  |', '1 | a: [x, y]', '  |        ^', '  |']);
  });
});
