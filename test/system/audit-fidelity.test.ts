import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/engine/audit.js';
import { createNodeHost } from '../../src/host/node-host.js';
import type { CheckResult } from '../../src/model/finding.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { junitReporter } from '../../src/reporters/junit.js';
import { markdownReporter } from '../../src/reporters/markdown.js';
import { sarifReporter } from '../../src/reporters/sarif.js';
import { textReporter } from '../../src/reporters/text.js';
import {
  type BuiltImage,
  leafNormalYaml,
  makeImage,
  type PackageSpec,
  requireRpmTools,
} from '../load/redpak/make-image.js';

/*
 * Issue 12 on a real image (rpmbuild + rpm 4.18): what audit reports about shared files is what rpm's own
 * transaction does with the same packages; a symlinked node is audited; a duplicated alias is RP012; a
 * node without rpm database and every discovery warning reach every report format.
 */

const PACKAGES: PackageSpec[] = [
  // %ghost in the host, the real file in a node: rpm installs both in one transaction
  { name: 'ghostly', version: '1.0', release: '1', files: [{ path: '/var/log/thing', ghost: true }] },
  { name: 'logger', version: '1.0', release: '1', files: [{ path: '/var/log/thing', content: 'log\n' }] },
  // same content, another mode: rpmfilesCompare differs on the mode, rpm refuses
  {
    name: 'mode-a',
    version: '1.0',
    release: '1',
    files: [{ path: '/usr/share/m/tool', content: 'same\n', mode: '0644' }],
  },
  {
    name: 'mode-b',
    version: '1.0',
    release: '1',
    files: [{ path: '/usr/share/m/tool', content: 'same\n', mode: '0755' }],
  },
  // identical files: rpm shares the path
  { name: 'lic-a', version: '1.0', release: '1', files: [{ path: '/usr/share/l/LICENSE', content: 'L\n' }] },
  { name: 'lic-b', version: '1.0', release: '1', files: [{ path: '/usr/share/l/LICENSE', content: 'L\n' }] },
  { name: 'util', version: '1.0', release: '1', files: [{ path: '/usr/share/util/readme', content: 'u\n' }] },
];

/** What rpm itself says: installing the packages in one transaction into an empty root. */
function rpmAccepts(img: BuiltImage, names: string[]): boolean {
  const root = mkdtempSync(join(tmpdir(), 'redproof-rpm-tx-'));
  try {
    const r = spawnSync(
      'rpm',
      [
        '--root',
        root,
        '--dbpath',
        '/var/lib/rpm',
        '-i',
        '--nodeps',
        '--noscripts',
        '--justdb',
        '--test',
      ].concat(names.map((n) => img.rpms.get(n)!)),
      { encoding: 'utf8' },
    );
    return r.status === 0;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const R = 'var/redpak';

describe('audit: shared files as rpm decides, symlinked nodes, duplicate aliases, warnings', () => {
  let img: BuiltImage;
  let result: CheckResult;

  beforeAll(async () => {
    requireRpmTools();
    img = makeImage({
      packages: PACKAGES,
      host: ['ghostly', 'mode-a', 'lic-a'],
      nodes: [
        { path: `${R}/app`, install: ['logger', 'mode-b', 'lic-b'] },
        // two siblings with one alias: red-pak mounts both on /nodes/same
        { path: `${R}/one`, config: leafNormalYaml('same'), install: ['util'] },
        { path: `${R}/two`, config: leafNormalYaml('same') },
        // a node outside the redroot, reached through a symlink in it
        { path: 'opt/nodes/linked', config: leafNormalYaml('linked'), install: ['util'] },
        // a node reached through a link that climbs out of the image root
        { path: 'elsewhere', config: leafNormalYaml('elsewhere') },
      ],
      extra: [
        { path: `${R}/linked`, symlinkTo: '/opt/nodes/linked' },
        { path: `${R}/escape`, symlinkTo: '../../../elsewhere' },
      ],
    });
    result = await audit(createNodeHost(), { imageRoot: img.root });
  }, 300_000);

  afterAll(() => img?.cleanup());

  it('RP005 follows rpm: a ghost never conflicts, identical files are shared, a mode difference is an error', () => {
    expect(rpmAccepts(img, ['ghostly', 'logger'])).toBe(true);
    expect(rpmAccepts(img, ['lic-a', 'lic-b'])).toBe(true);
    expect(rpmAccepts(img, ['mode-a', 'mode-b'])).toBe(false);
    const rp005 = result.findings
      .filter((f) => f.rule === 'RP005')
      .map((f) => `${f.level} ${f.node} ${f.package} ${f.other}`);
    expect(rp005).toEqual([`error ${R}/app mode-b-1.0-1.noarch mode-a-1.0-1.noarch`]);
  });

  it('audits a node reached through a symlink inside the image, under the link path', () => {
    const ids = result.subjects.map((s) => s.id);
    expect(ids).toContain(`${R}/linked`);
    const linked = result.subjects.find((s) => s.id === `${R}/linked`)!;
    expect(linked.alias).toBe('linked');
    expect(linked.packages.map((p) => p.nevra)).toEqual(['util-1.0-1.noarch']);
  });

  it('a symlink that leaves the image root is an error, not a silent skip', () => {
    expect(result.errors.map((e) => `${e.kind} ${e.file}`)).toEqual([`node-outside-image ${R}/escape`]);
  });

  it('RP012 for two nodes of one image with the same alias', () => {
    const rp012 = result.findings.filter((f) => f.rule === 'RP012');
    expect(rp012.map((f) => f.node)).toEqual([`${R}/two`]);
    expect(rp012[0]!.message).toContain(`\`${R}/one\``);
    expect(rp012[0]!.message).toContain('/nodes/same');
  });

  it('the "no rpm database" warning and the discovery warnings reach every report format', () => {
    const warnings = result.warnings ?? [];
    const noDb = warnings.find((w) => w.kind === 'rpmdb-missing' && w.file === `${R}/two`);
    expect(noDb?.message).toContain('no rpm database');
    const link = warnings.find((w) => w.file === `${R}/linked`);
    expect(link?.message).toContain('audited under the link');
    for (const w of [noDb!, link!]) {
      const text = w.message.split('`')[0]!;
      expect(textReporter(result)).toContain(`warning[${w.kind}]: ${w.message}`);
      expect(markdownReporter(result)).toContain(text);
      expect(JSON.parse(jsonReporter(result)).warnings).toContainEqual({
        kind: w.kind,
        message: w.message,
        file: w.file,
      });
      const sarif = JSON.parse(sarifReporter(result));
      expect(sarif.runs[0].invocations[0].toolExecutionNotifications).toContainEqual(
        expect.objectContaining({ level: 'warning', message: { text: w.message } }),
      );
      expect(junitReporter(result)).toContain(text.replace(/&/g, '&amp;'));
    }
  });
});
