import { describe, expect, it } from 'vitest';
import { appendAll } from '../../src/util/append.js';

describe('appendAll', () => {
  it('appends more items than a spread into push() can take as arguments', () => {
    const many = Array.from({ length: 500_000 }, (_, i) => i);
    // the failure it replaces: push(...many) overflows the call stack at this size
    expect(() => [].push(...(many as never[]))).toThrow(RangeError);
    const to = [-1];
    expect(appendAll(to, many)).toBe(to);
    expect(to).toHaveLength(500_001);
    expect(to[500_000]).toBe(499_999);
  });
});
