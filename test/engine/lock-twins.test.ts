import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { familyCheck } from '../../src/engine/family-check.js';
import { lockAsManifest } from '../../src/engine/lock/check-lock.js';
import { lockFamily } from '../../src/engine/lock/lock.js';
import { formatLock } from '../../src/engine/lock/lockfile.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { InputError } from '../../src/load/errors.js';

// Every example family of corpus/families has a requests twin in corpus/families/requests/ (the same
// family written as `install:` requests). The lock of the twin matches the family's packages, or this
// table says how and why it differs: a lock closes every layer and refuses what red-pak refuses, so a
// family built to break one rule mostly becomes a refusal or a smaller difference.

const FAMILIES = new URL('../../corpus/families/', import.meta.url).pathname;
const TWINS = join(FAMILIES, 'requests');
const host = createNodeHost();

interface Expect {
  /** The findings of the lock of the twin, `RULE:node`, sorted. */
  findings: string[];
  /** False: a request is refused and no lock is written. */
  written: boolean;
  /** Per node, what the lock has beyond the family (+) and lacks (-), by NEVRA. */
  differs?: Record<string, { more?: string[]; fewer?: string[] }>;
  /** The input error both give (no lock, no family). */
  inputError?: string;
  why: string;
}

const CASES: Record<string, Expect> = {
  'coherent.yaml': { findings: [], written: true, why: 'the same family' },
  'rp001-unresolved.yaml': {
    findings: ['RP004:navigation'],
    written: true,
    differs: { media: { more: ['libxml2-2.9.13-6.el9.x86_64'] } },
    why: "the lock installs media-player's libxml2 into media (it cannot see navigation's): no RP001, the copy in both siblings is RP004",
  },
  'rp002-conflict.yaml': {
    findings: ['RP051:diagnostics'],
    written: false,
    why: 'red-pak refuses coreutils-single in diagnostics: it conflicts with coreutils, locked in the host',
  },
  'rp003-ancestor-duplicate.yaml': {
    findings: ['RP054:navigation'],
    written: true,
    differs: { navigation: { fewer: ['openssl-libs-1:3.0.7-27.el9.x86_64'] } },
    why: 'a request the parent already meets installs nothing (a note): the duplicate never happens',
  },
  'rp004-shareable-duplicate.yaml': {
    findings: ['RP004:navigation'],
    written: true,
    why: 'both siblings request libxml2 and get it: the same RP004',
  },
  'rp005-file-conflict.yaml': {
    findings: ['RP005:cluster'],
    written: true,
    why: 'the requests resolve; the proof of the lock finds the same file conflict',
  },
  'rp006-unknown-package.yaml': {
    findings: ['RP050:navigation'],
    written: false,
    why: 'the typo is a request that matches nothing (RP050 instead of RP006)',
  },
  'rp007-uninstallable.yaml': {
    findings: ['RP050:flasher'],
    written: false,
    why: 'an aarch64 build matches no package an x86_64 node may take, as for dnf ("No match for argument"): RP050 instead of RP007',
  },
  'update-soname.yaml': { findings: [], written: true, why: 'the same family' },
  'update-state.yaml': { findings: [], written: true, why: 'the same family' },
  'bad-cycle.yaml': { findings: [], written: false, inputError: 'parent-cycle', why: 'the same input error' },
  'bad-duplicate-alias.yaml': {
    findings: [],
    written: false,
    inputError: 'duplicate-alias',
    why: 'the same input error',
  },
  'bad-empty.yaml': {
    findings: [],
    written: false,
    inputError: 'empty-manifest',
    why: 'the same input error',
  },
  'bad-unknown-parent.yaml': {
    findings: [],
    written: false,
    inputError: 'unknown-parent',
    why: 'the same input error',
  },
};

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

describe('the requests twin of every example family', () => {
  it('exists for every family of corpus/families, and only for those', () => {
    const families = readdirSync(FAMILIES).filter((f) => f.endsWith('.yaml'));
    expect(Object.keys(CASES).sort()).toEqual(families.sort());
    const twins = readdirSync(TWINS).filter(
      (f) => f.endsWith('.yaml') && !/^rp05\d-|^hoist\.yaml$|\.lock\.yaml$/.test(f),
    );
    expect(twins.sort()).toEqual(families.sort());
  });

  for (const [file, want] of Object.entries(CASES)) {
    it(`${file}: ${want.why}`, async () => {
      if (want.inputError) {
        const errs = await Promise.all(
          [
            familyCheck(host, {
              manifestText: read(FAMILIES, file),
              manifestFile: file,
              manifestAbsDir: FAMILIES,
            }),
            lockFamily(host, {
              manifestText: read(TWINS, file),
              manifestFile: file,
              manifestAbsDir: TWINS,
              manifestFromLock: file,
            }),
          ].map((p) =>
            p.then(
              () => undefined,
              (e: unknown) => e,
            ),
          ),
        );
        for (const e of errs) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as InputError).kind).toBe(want.inputError);
        }
        return;
      }
      const family = await familyCheck(host, {
        manifestText: read(FAMILIES, file),
        manifestFile: file,
        manifestAbsDir: FAMILIES,
      });
      const { result, lock } = await lockFamily(host, {
        manifestText: read(TWINS, file),
        manifestFile: file,
        manifestAbsDir: TWINS,
        manifestFromLock: file,
      });
      expect(result.findings.map((f) => `${f.rule}:${f.node}`).sort()).toEqual(want.findings);
      expect(lock !== undefined).toBe(want.written);
      if (!lock) return;
      const nodes = Object.fromEntries(family.subjects.map((s) => [s.id, s.packages.map((p) => p.nevra)]));
      expect(lock.nodes.map((n) => n.alias)).toEqual(family.subjects.map((s) => s.id));
      for (const n of lock.nodes) {
        const mine = n.packages.map((p) => p.nevra);
        const theirs = nodes[n.alias]!;
        const d = want.differs?.[n.alias] ?? {};
        expect(
          mine.filter((x) => !theirs.includes(x)),
          n.alias,
        ).toEqual(d.more ?? []);
        expect(
          theirs.filter((x) => !mine.includes(x)),
          n.alias,
        ).toEqual(d.fewer ?? []);
      }
      // and the lock proves as the lock run said: check on the lock finds the same proof findings
      const text = formatLock(lock);
      const proof = await familyCheck(host, {
        manifestText: text,
        manifest: lockAsManifest(text, join(TWINS, file.replace(/\.yaml$/, '.lock.yaml'))),
        manifestFile: file.replace(/\.yaml$/, '.lock.yaml'),
        manifestAbsDir: TWINS,
      });
      expect(proof.findings.map((f) => `${f.rule}:${f.node}`).sort()).toEqual(
        want.findings.filter((f) => !f.startsWith('RP054')),
      );
    });
  }
});
