/** The real-data suite needs ../shared/corpus: without it, this fails with a clear message (never skips). */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS, corpus } from './corpus.js';

describe('real-data corpus', () => {
  it('is present at ../shared/corpus (relative to the repository root)', () => {
    if (!existsSync(CORPUS)) corpus('');
    for (const name of ['cs9-baseos-2024-04', 'cs9-appstream', 'tizen-serranove', 'opensuse-11.1-subset']) {
      expect(existsSync(`${corpus(name)}/repodata/repomd.xml`), name).toBe(true);
    }
  });
});
