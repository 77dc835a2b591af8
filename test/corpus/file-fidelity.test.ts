/**
 * RP005 on real CentOS Stream 9 BaseOS metadata (issue 12 items 1-3): what rpm installs without a file
 * conflict is no warning. `/var/log/lastlog` is a `%ghost` of setup and of util-linux, `/etc/motd.d` a
 * `type="dir"` entry of setup and pam, and `/usr/share/licenses/systemd/LICENSE.LGPL2.1` is shipped by
 * systemd and systemd-libs, one build of one source rpm.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sharedPathsFromLists } from '../../src/engine/checks/shared-paths.js';
import { familyCheck } from '../../src/engine/family-check.js';
import { updateCheck } from '../../src/engine/update-check.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { loadRepository } from '../../src/load/repository.js';
import type { Finding } from '../../src/model/finding.js';
import { loadEngine } from '../../src/solver/index.js';
import { corpus, spec } from './corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'redproof-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function manifest(): { manifestText: string; manifestFile: string; manifestAbsDir: string } {
  const text = `redproof: 1
family: cs9-files
arch: x86_64
repos:
  - id: baseos
    path: ${JSON.stringify(corpus('cs9-baseos-2024-04'))}
host:
  packages: [setup, pam]
nodes:
  - alias: app
    parent: host
    packages: [util-linux, systemd, systemd-libs]
`;
  writeFileSync(join(dir, 'family.yaml'), text);
  return { manifestText: text, manifestFile: 'family.yaml', manifestAbsDir: dir };
}

const rp005 = (findings: readonly Finding[]) =>
  findings
    .filter((f) => f.rule === 'RP005')
    .map((f) => `${f.level} ${f.node} ${f.package} ${f.other} ${f.evidence[0]?.text.split('`')[1]}`)
    .sort();

describe('RP005 on CS9 BaseOS: ghosts, directories, files of one build', () => {
  it('check: no ghost or directory finding; the shared license of one build is a note', async () => {
    const r = await familyCheck(createNodeHost(), manifest());
    expect(rp005(r.findings)).toEqual([
      'note app systemd-libs-249-9.el9.x86_64 systemd-249-9.el9.x86_64 /usr/share/licenses/systemd/LICENSE.LGPL2.1',
    ]);
  });

  it('update-check --upgrade host says what check says about the same files', async () => {
    const { result } = await updateCheck(createNodeHost(), {
      ...manifest(),
      to: [{ id: 'same', path: 'baseos', absPath: corpus('cs9-baseos-2024-04') }],
      change: { upgrade: [{ node: 'host' }] },
    });
    expect(rp005(result.findings)).toEqual([
      'note app systemd-libs-249-9.el9.x86_64 systemd-249-9.el9.x86_64 /usr/share/licenses/systemd/LICENSE.LGPL2.1',
    ]);
  });
});

describe('Pool.files (the file lists RP005 and the hoist planner read)', () => {
  it('lists, for every BaseOS package, exactly the files of its full description', async () => {
    const engine = await loadEngine();
    const pool = engine.createPool('x86_64');
    try {
      await loadRepository(createNodeHost(), engine, pool, spec('cs9-baseos-2024-04'));
      pool.prepare();
      const all = pool.list();
      expect(all.length).toBe(1125);
      let paths = 0;
      for (const p of all) {
        const files = pool.files(p.id);
        expect(files, p.nevra).toEqual(pool.solvable(p.id, { files: true }).files);
        paths += files.length;
      }
      // filelists.xml, not only primary's paths: BaseOS ships ~100k paths
      expect(paths).toBeGreaterThan(50_000);
      // the shared paths found in C are those found from the lists, owners in the same order
      const ids = all.map((p) => p.id).reverse();
      const c = pool.sharedPaths(ids);
      const js = sharedPathsFromLists((id) => pool.files(id))(ids);
      expect([...c.owners]).toEqual([...js.owners]);
      expect(new Map(c.below)).toEqual(new Map(js.below));
      expect(c.owners.size).toBeGreaterThan(100);
      expect(c.below.size).toBeGreaterThan(10);
    } finally {
      pool.dispose();
    }
  });
});
