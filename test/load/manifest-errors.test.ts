import { describe, expect, it } from 'vitest';
import {
  combineInputErrors,
  InputError,
  InputErrors,
  inputErrorList,
  UsageError,
} from '../../src/load/errors.js';

describe('InputError', () => {
  it('formats file:line:column: reason; expected', () => {
    const e = new InputError('schema', 'nodes[0].alias: bad', {
      file: 'f.yaml',
      line: 3,
      column: 7,
      expected: 'x',
    });
    expect(e.message).toBe('f.yaml:3:7: nodes[0].alias: bad; expected x');
    expect(e.name).toBe('InputError');
    expect(e).toBeInstanceOf(Error);
    expect([e.kind, e.reason, e.file, e.line, e.column, e.expected]).toEqual([
      'schema',
      'nodes[0].alias: bad',
      'f.yaml',
      3,
      7,
      'x',
    ]);
    expect(e.exitCode).toBe(3);
  });

  it('leaves out unknown parts and keeps the cause', () => {
    const cause = new Error('ENOENT');
    expect(new InputError('io', 'cannot read', { file: 'f.yaml', cause }).message).toBe(
      'f.yaml: cannot read',
    );
    expect(new InputError('io', 'cannot read', { file: 'f.yaml', cause }).cause).toBe(cause);
    expect(new InputError('io', 'no input').message).toBe('no input');
    expect(new InputError('io', 'x', { line: 2 }).message).toBe('2: x');
    expect('cause' in new InputError('io', 'x')).toBe(false);
  });
});

describe('InputErrors', () => {
  const a = new InputError('k', 'later', { file: 'f', line: 9, column: 1 });
  const b = new InputError('k', 'first', { file: 'f', line: 2, column: 5 });
  const c = new InputError('k', 'same line', { file: 'f', line: 2, column: 1 });

  it('combines several errors sorted by position', () => {
    const all = combineInputErrors([a, b, c]);
    expect(all).toBeInstanceOf(InputErrors);
    expect(all).toBeInstanceOf(InputError);
    expect(all.name).toBe('InputErrors');
    expect(all.message).toBe('f:2:1: same line\nf:2:5: first\nf:9:1: later');
    expect([all.kind, all.file, all.line, all.column]).toEqual(['multiple', 'f', 2, 1]);
    expect(inputErrorList(all)).toEqual([c, b, a]);
  });

  it('returns a single error as is', () => {
    expect(combineInputErrors([a])).toBe(a);
    expect(inputErrorList(a)).toEqual([a]);
    expect(() => combineInputErrors([])).toThrow(RangeError);
  });
});

describe('UsageError', () => {
  it('is a typed error for exit code 2', () => {
    const e = new UsageError('unknown option `--fial-on`', { cause: 'x' });
    expect(e.name).toBe('UsageError');
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe('unknown option `--fial-on`');
    expect(e.cause).toBe('x');
  });
});
