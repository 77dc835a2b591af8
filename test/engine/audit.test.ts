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
});
