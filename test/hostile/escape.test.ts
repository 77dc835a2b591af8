import { describe, expect, it } from 'vitest';
import { escapeControl } from '../../src/reporters/escape.js';
import { sourceLines } from '../../src/reporters/frame.js';
import { markdownReporter } from '../../src/reporters/markdown.js';
import { textReporter } from '../../src/reporters/text.js';
import { familyResult, SOURCES } from '../reporters/fixtures.js';

// Any C0 control but tab and newline-between-blocks, DEL, C1, bidi overrides.
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function hostile() {
  const r = familyResult();
  const f = r.findings[0]!;
  f.message = `alias \`\u001b[2Jevil\r\` in node \`a\nb\``;
  f.node = 'a\nb';
  f.evidence.push({ role: 'requires', text: 'x\u202eexe.txt' });
  r.subjects[0]!.id = 'a\nb';
  r.subjects[0]!.installedSize = Number.NaN;
  return r;
}

describe('control characters from the input are escaped in text and Markdown', () => {
  it('escapeControl shows each as a visible escape, and is idempotent', () => {
    expect(escapeControl('a\u001b[2J\r\n\u0007\u202eb\tc')).toBe('a\\e[2J\\r\\n\\x07\\u{202e}b\tc');
    expect(escapeControl(escapeControl('\u001b\n'))).toBe('\\e\\n');
  });

  it('text: no raw control character, a newline in a name stays on its line, no NaN', () => {
    const out = textReporter(hostile(), { sources: SOURCES });
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).toContain('alias `\\e[2Jevil\\r` in node `a\\nb`');
    expect(out).toContain('x\\u{202e}exe.txt');
    expect(out).not.toMatch(/NaN/);
  });

  it('Markdown: the same', () => {
    const out = markdownReporter(hostile());
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).toContain('\\e[2Jevil\\r');
  });

  it('code frames come from lines split once per source, whatever the number of findings', () => {
    const text = 'a\nb\r\nc';
    expect(sourceLines(text)).toBe(sourceLines(text));
    expect(sourceLines(text)).toEqual(['a', 'b', 'c']);
  });
});
