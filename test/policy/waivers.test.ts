import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exitCode } from '../../src/policy/exit-code.js';
import {
  applyWaivers,
  isExpired,
  parseWaivers,
  type Waiver,
  waiverMatches,
} from '../../src/policy/waivers.js';
import { WAIVERS_V1_SCHEMA } from '../../src/policy/waivers-schema.js';
import { familyResult } from '../reporters/fixtures.js';

const FILE = 'redproof-waivers.yaml';

const GOOD = `version: 1
waivers:
  - rule: RP004
    node: media
    package: libxml2
    reason: media keeps its own libxml2 until the 2026 rebase
    owner: media-team
    expires: 2026-06-30
  - rule: RP003
    package: "openssl-libs-1:3.0.7-*"
    reason: forked openssl
  - rule: RP002
    node: "**"
    reason: nothing conflicts any more
`;

describe('parseWaivers', () => {
  it('reads entries with their position', () => {
    const { waivers, errors } = parseWaivers(GOOD, FILE);
    expect(errors).toEqual([]);
    expect(waivers).toHaveLength(3);
    expect(waivers[0]).toEqual({
      rule: 'RP004',
      node: 'media',
      package: 'libxml2',
      reason: 'media keeps its own libxml2 until the 2026 rebase',
      owner: 'media-team',
      expires: '2026-06-30',
      location: { file: FILE, line: 3, column: 5 },
    });
    expect(waivers[2]!.location).toEqual({ file: FILE, line: 12, column: 5 });
  });

  it('reports schema violations at file:line:col of the offending key or value', () => {
    const text = `version: 1
waivers:
  - rule: RP004
    reason: ok
  - rule: RP003
    nod: media
    reason: typo in a key
  - rule: RP003
    expires: 31/12/2026
    reason: bad date
  - rule: RP001
    node: app
`;
    const { waivers, errors } = parseWaivers(text, FILE);
    expect(waivers).toEqual([]);
    expect(errors.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([
      '6:10 reading waivers: `waivers.1`: unknown key `nod`',
      '9:14 reading waivers: `waivers.2.expires` must match pattern "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"',
      '11:5 reading waivers: `waivers.3`: missing key `reason`',
    ]);
    expect(errors.every((e) => e.kind === 'waivers' && e.file === FILE)).toBe(true);
  });

  it('reports YAML syntax errors and unknown rule codes with positions', () => {
    const syntax = parseWaivers('version: 1\nwaivers:\n  - rule: [RP001\n', FILE);
    expect(syntax.errors).toHaveLength(1);
    expect(syntax.errors[0]).toMatchObject({ kind: 'waivers', file: FILE, line: 4 });
    const unknown = parseWaivers('version: 1\nwaivers:\n  - rule: RP999\n    reason: x\n', FILE);
    expect(unknown.errors).toEqual([
      { kind: 'waivers', message: 'reading waivers: unknown rule `RP999`', file: FILE, line: 3, column: 11 },
    ]);
    expect(parseWaivers('version: 2\nwaivers: []\n', FILE).errors[0]).toMatchObject({ line: 1, column: 10 });
  });

  it('keeps the published schema identical to the one the code validates with', () => {
    const path = fileURLToPath(new URL('../../schema/waivers-v1.schema.json', import.meta.url));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(WAIVERS_V1_SCHEMA);
  });
});

describe('waiver matching', () => {
  const [rp001, rp003, rp004] = familyResult().findings as [never, never, never];
  const w = (extra: Partial<Waiver>): Waiver => ({ rule: 'RP004', reason: 'r', ...extra });

  it('matches rule, node glob, package glob on NEVRA or name, and fingerprint', () => {
    expect(waiverMatches(w({}), rp004)).toBe(true);
    expect(waiverMatches(w({ rule: 'RP003' }), rp004)).toBe(false);
    expect(waiverMatches(w({ node: 'med*' }), rp004)).toBe(true);
    expect(waiverMatches(w({ node: 'navigation' }), rp004)).toBe(false);
    expect(waiverMatches(w({ package: 'libxml2' }), rp004)).toBe(true);
    expect(waiverMatches(w({ package: 'libxml2-2.9.*' }), rp004)).toBe(true);
    expect(waiverMatches(w({ package: 'libxml2-2.10*' }), rp004)).toBe(false);
    expect(waiverMatches(w({ fingerprint: (rp004 as { fingerprint: string }).fingerprint }), rp004)).toBe(
      true,
    );
    expect(waiverMatches(w({ fingerprint: '0'.repeat(32) }), rp004)).toBe(false);
    expect(waiverMatches(w({ rule: 'RP001', package: 'media-player' }), rp001)).toBe(true);
    expect(waiverMatches(w({ rule: 'RP003', package: 'openssl-libs' }), rp003)).toBe(true);
  });

  it('treats expires as the last valid day', () => {
    expect(isExpired(w({ expires: '2026-06-30' }), '2026-06-30')).toBe(false);
    expect(isExpired(w({ expires: '2026-06-30' }), '2026-07-01')).toBe(true);
    expect(isExpired(w({}), '2999-01-01')).toBe(false);
  });
});

describe('applyWaivers', () => {
  const waivers = parseWaivers(GOOD, FILE).waivers;

  it('suppresses matched findings so they no longer fail the run, and reports unused waivers', () => {
    const result = applyWaivers(familyResult(), waivers, '2026-01-15');
    const byRule = Object.fromEntries(result.findings.map((f) => [f.rule, f]));
    expect(byRule.RP004!.suppression).toEqual({
      kind: 'waiver',
      justification:
        'media keeps its own libxml2 until the 2026 rebase (owner: media-team, until 2026-06-30)',
    });
    expect(byRule.RP003!.suppression?.justification).toBe('forked openssl');
    expect(byRule.RP001!.suppression).toBeUndefined();
    // the RP002 waiver matches nothing: an RP091 note at its line
    expect(byRule.RP091).toMatchObject({
      level: 'note',
      message: 'waiver for `RP002` on `** *` matches no finding',
      location: { file: FILE, line: 12, column: 5 },
    });
    expect(result.stats).toMatchObject({ waived: 2, waiversExpired: 0, waiversUnused: 1 });
    expect(result.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['RP090', 'RP091']));
    expect(exitCode(result, 'error')).toBe(1); // RP001 is still open
    const all = applyWaivers(familyResult(), [...waivers, { rule: 'RP001', reason: 'known' }], '2026-01-15');
    expect(exitCode(all, 'error')).toBe(0);
    expect(exitCode(all, 'note')).toBe(1); // the RP091 note
  });

  it('stops waiving after expiry and reports the expired waiver as a warning', () => {
    const result = applyWaivers(familyResult(), waivers, '2026-07-01');
    const rp004 = result.findings.find((f) => f.rule === 'RP004')!;
    expect(rp004.suppression).toBeUndefined();
    const expired = result.findings.filter((f) => f.rule === 'RP090');
    expect(expired).toHaveLength(1);
    expect(expired[0]).toMatchObject({
      level: 'warning',
      message: 'waiver for `RP004` on `media libxml2` expired on 2026-06-30 and no longer applies',
      location: { file: FILE, line: 3, column: 5 },
    });
    expect(expired[0]!.evidence.map((e) => e.text)).toContain(
      '1 finding(s) of this run are no longer waived',
    );
    expect(exitCode(result, 'warning')).toBe(1);
  });

  it('lets a later unexpired waiver apply when an earlier one has expired', () => {
    const result = applyWaivers(
      familyResult(),
      [
        { rule: 'RP004', reason: 'old', expires: '2025-01-01' },
        { rule: 'RP004', reason: 'renewed', expires: '2027-01-01' },
      ],
      '2026-01-01',
    );
    expect(result.findings.find((f) => f.rule === 'RP004')!.suppression?.justification).toBe(
      'renewed (until 2027-01-01)',
    );
    expect(result.findings.filter((f) => f.rule === 'RP090')).toHaveLength(1);
    expect(result.findings.filter((f) => f.rule === 'RP091')).toHaveLength(0);
  });

  it('leaves findings suppressed by a baseline alone and does not mutate its input', () => {
    const input = familyResult();
    input.findings[2] = { ...input.findings[2]!, suppression: { kind: 'baseline', justification: 'old' } };
    const snapshot = JSON.stringify(input);
    const result = applyWaivers(input, [{ rule: 'RP004', reason: 'x' }], '2026-01-01');
    expect(result.findings[2]!.suppression).toEqual({ kind: 'baseline', justification: 'old' });
    expect(JSON.stringify(input)).toBe(snapshot);
    // it matched nothing still open, so it is reported as unused
    expect(result.findings.some((f) => f.rule === 'RP091')).toBe(true);
  });
});
