import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/engine/audit.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { textReporter } from '../../src/reporters/index.js';
import { type FixtureCopy, loadImageFixture } from '../helpers/image-fixtures/load.js';

// A real image: rpms built with rpmbuild, installed with Debian's rpm into each node's root (sqlite
// rpmdb), committed as test/fixtures/images/sqlite/audit (spec and rebuild check: test/helpers/image-fixtures).
describe('redproof audit on a real image tree', () => {
  let img: FixtureCopy;
  beforeAll(() => {
    img = loadImageFixture('audit');
  });
  afterAll(() => img?.cleanup?.());

  it('finds the ancestor duplicate and the unmet requirements in what is installed', async () => {
    const r = await audit(createNodeHost(), { imageRoot: img.root });
    const got = r.findings.map((f) => [f.rule, f.node, f.package, f.dependency ?? f.other ?? '']).sort();
    expect(r.subjects.map((s) => s.id)).toEqual([
      'host',
      'var/redpak',
      'var/redpak/platform',
      'var/redpak/platform/nav',
    ]);
    // By construction: app's Requires(pre) shadow-utils and Requires(post) /bin/sh exist in no layer;
    // libfoo is in the host and again in nav; other and helper both ship /usr/share/common/data.txt
    // with different content (an error in an image, where the digests are known).
    expect(got).toEqual([
      ['RP001', 'var/redpak/platform', 'app-0.1-1.noarch', '/bin/sh'],
      ['RP001', 'var/redpak/platform', 'app-0.1-1.noarch', 'shadow-utils'],
      ['RP003', 'var/redpak/platform/nav', 'libfoo-1:1.2-3.noarch', 'libfoo-1:1.2-3.noarch'],
      ['RP005', 'var/redpak/platform/nav', 'other-2.0-1.noarch', 'helper-1.0-1.noarch'],
    ]);
    expect(r.findings.find((f) => f.rule === 'RP005')?.level).toBe('error');
    expect(r.findings.find((f) => f.rule === 'RP003')?.otherNode).toBe('host');
    // the text summary names each node by its path, with its red-pak alias beside it
    expect(textReporter(r)).toMatch(/^ *var\/redpak\/platform \(platform\) +node /m);
    expect(r.stats.packagesExamined).toBeGreaterThan(0);
  });

  it('a database that cannot be read: its error is reported and every other layer is still checked', async () => {
    // a truncated copy of the node `platform`'s database (the error names it, exit 3 in the CLI)
    const copy = loadImageFixture('audit');
    try {
      const db = join(copy.root, 'var/redpak/platform/var/lib/rpm/rpmdb.sqlite');
      writeFileSync(db, readFileSync(db).subarray(0, 5000));
      const r = await audit(createNodeHost(), { imageRoot: copy.root });
      expect(r.errors).toEqual([
        expect.objectContaining({
          kind: 'rpmdb-truncated',
          file: 'var/redpak/platform/var/lib/rpm/rpmdb.sqlite',
        }),
      ]);
      // the tree is whole: nav, above the unread layer, is still examined
      expect(r.subjects.map((s) => [s.id, s.packages.length])).toEqual([
        ['host', 2],
        ['var/redpak', 0],
        ['var/redpak/platform', 0],
        ['var/redpak/platform/nav', 2],
      ]);
      // what the read packages show is still found (nav duplicates the host's libfoo, and conflicts on a file)
      expect(r.findings.map((f) => [f.rule, f.node]).sort()).toEqual([
        ['RP003', 'var/redpak/platform/nav'],
        ['RP005', 'var/redpak/platform/nav'],
      ]);
      // nothing is claimed where a view lacks the unread layer: "nothing provides" would be a guess there
      const checked = new Map(r.subjects.map((s) => [s.id, s.checked]));
      expect(checked.get('var/redpak/platform')).toEqual([]);
      expect(checked.get('var/redpak/platform/nav')).not.toContain('RP001');
      expect(checked.get('var/redpak/platform/nav')).toContain('RP003');
      expect(checked.get('host')).toContain('RP001');
      expect(r.warnings).toContainEqual(
        expect.objectContaining({
          kind: 'rpmdb-unread',
          file: 'var/redpak/platform/var/lib/rpm/rpmdb.sqlite',
          message: expect.stringMatching(
            /^the rpm database of `var\/redpak\/platform` could not be read .*RP001, RP007, RP043 are not decided/,
          ),
        }),
      );
      expect(textReporter(r)).toMatch(
        /var\/redpak\/platform \(platform\) +node +0 packages +0 B +view [0-9]+ B +not checked/,
      );
    } finally {
      copy.cleanup();
    }
  });

  it('a corrupt host database no longer leaves 0 subjects', async () => {
    const copy = loadImageFixture('audit');
    try {
      writeFileSync(
        join(copy.root, 'var/lib/rpm/rpmdb.sqlite'),
        'not a database at all, but long enough to be looked at',
      );
      const r = await audit(createNodeHost(), { imageRoot: copy.root });
      expect(r.errors.map((e) => e.kind)).toEqual(['rpmdb-truncated']);
      expect(r.subjects).toHaveLength(4);
      expect(r.stats.packagesExamined).toBe(3);
      // platform's app requires /bin/sh, which the unread host may provide: not reported
      expect(r.findings.filter((f) => f.rule === 'RP001')).toEqual([]);
    } finally {
      copy.cleanup();
    }
  });
});
