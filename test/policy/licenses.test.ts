import parse from 'spdx-expression-parse';
import { describe, expect, it } from 'vitest';
import { FEDORA_LEGACY, OTHER_NAMES } from '../../src/policy/licenses/fedora-legacy.js';
import { licenseLeaves, normalizeLicense } from '../../src/policy/licenses/normalize.js';

describe('license normalization', () => {
  it('maps every table entry to valid SPDX', () => {
    for (const ids of [...Object.values(FEDORA_LEGACY), ...Object.values(OTHER_NAMES)]) {
      for (const id of ids) expect(() => parse(id), id).not.toThrow();
    }
  });

  it('reads Fedora legacy tags as CentOS Stream 9 writes them', () => {
    expect(normalizeLicense('GPLv2+').expression).toBe('GPL-2.0-or-later');
    expect(normalizeLicense('ASL 2.0').expression).toBe('Apache-2.0');
    expect(normalizeLicense('LGPLv2+ and GPLv2+').expression).toBe(
      '(LGPL-2.0-or-later AND LGPL-2.1-or-later) AND GPL-2.0-or-later',
    );
    expect(normalizeLicense('(GPLv2+ or LGPLv3+) and GPLv3+').expression).toBe(
      '(GPL-2.0-or-later OR LGPL-3.0-or-later) AND GPL-3.0-or-later',
    );
    expect(normalizeLicense('Public Domain').expression).toBe('LicenseRef-Fedora-Public-Domain');
    expect(normalizeLicense('Redistributable, no modification permitted').expression).toBe(
      'LicenseRef-Fedora-Firmware',
    );
  });

  it('says when a legacy name is ambiguous', () => {
    const n = normalizeLicense('BSD');
    expect(n.expression).toBe('(BSD-2-Clause AND BSD-3-Clause)');
    expect(n.notes[0]).toMatch(/`BSD` is ambiguous/);
  });

  it('keeps SPDX as written and upgrades deprecated ids (Tizen)', () => {
    expect(normalizeLicense('Apache-2.0').expression).toBe('Apache-2.0');
    expect(normalizeLicense('GPL-2.0+ and MIT').expression).toBe('GPL-2.0-or-later AND MIT');
    expect(normalizeLicense('Apache-2.0 WITH LLVM-exception').expression).toBe(
      'Apache-2.0 WITH LLVM-exception',
    );
    expect(normalizeLicense('BSD 2-Clause').expression).toBe('BSD-2-Clause');
  });

  it('reports what maps to nothing instead of guessing', () => {
    expect(normalizeLicense('Samsung Proprietary License')).toMatchObject({
      unmapped: ['Samsung Proprietary License'],
    });
    expect(normalizeLicense('MIT and TBD').unmapped).toEqual(['TBD']);
    expect(normalizeLicense('')).toMatchObject({ unmapped: [''] });
    expect(normalizeLicense('Ruby License/GPL').expression).toBeUndefined();
    expect(normalizeLicense('(MIT').expression).toBeUndefined();
  });

  it('lists the leaves of an expression', () => {
    expect(licenseLeaves('(MIT OR GPL-2.0-or-later) AND Apache-2.0 WITH LLVM-exception')).toEqual([
      'MIT',
      'GPL-2.0-or-later',
      'Apache-2.0 WITH LLVM-exception',
    ]);
  });
});
