import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { imageStateManifest } from '../../src/engine/image-state.js';
import { createMemoryHost } from '../../src/host/memory-host.js';
import { InputError } from '../../src/load/errors.js';
import type { CheckResult } from '../../src/model/finding.js';
import { runCli } from '../helpers/run-cli.js';

// The BerkeleyDB fixture: real headers rpm installed, every package noarch.
const BDB = readFileSync(
  fileURLToPath(new URL('../fixtures/images/bdb/var/lib/rpm/Packages', import.meta.url)),
);
const host = createMemoryHost({
  '/img/var/lib/rpm/Packages': new Uint8Array(BDB),
  '/img/var/redpak': { dir: true },
});
const repos = [{ id: 'base', path: 'repo', absPath: '/r/repo' }];

describe('update-check IMAGE_ROOT: the state is data, not YAML text', () => {
  it('an all-noarch image asks for --arch instead of failing on an invisible line', async () => {
    const err = await imageStateManifest(host, '/img', repos).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe(
      '/img: the image has no arch-specific package, so its arch is unknown (noarch); expected --arch ARCH (e.g. --arch x86_64)',
    );
  });

  it('values from the image stay strings: an arch `a\\nb: c` is not a YAML key', async () => {
    const { text } = await imageStateManifest(host, '/img', [{ id: 'x: y', path: 'r', absPath: '/r\n- z' }], {
      arch: 'a\nb: c',
    });
    const data = parse(text) as Record<string, unknown>;
    expect(data.arch).toBe('a\nb: c');
    expect(data).not.toHaveProperty('b');
    expect(data.repos).toEqual([{ id: 'x: y', path: '/r\n- z' }]);
    expect((data.host as { packages: string[] }).packages).toContain('app-0.1-1.noarch');
  });
});

describe('update-check IMAGE_ROOT reports what discovery reported, as audit does', () => {
  const ROOT = fileURLToPath(new URL('../../', import.meta.url));
  const tmp = mkdtempSync(join(tmpdir(), 'redproof-state-notices-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const image = join(tmp, 'image');
  cpSync(join(ROOT, 'test/fixtures/images/sqlite/audit/image'), image, { recursive: true });
  // a symlinked directory (not followed: a warning) and a node without rpm database (an empty layer)
  symlinkSync('../../../etc', join(image, 'var/redpak/platform/etc-link'));
  mkdirSync(join(image, 'var/redpak/platform/empty'), { recursive: true });
  cpSync(
    join(image, 'var/redpak/platform/nav/.rednode.yaml'),
    join(image, 'var/redpak/platform/empty/.rednode.yaml'),
  );
  const json = async (argv: string[]) => {
    const r = await runCli([...argv, '--format', 'json', '--no-cache'], { cacheHome: join(tmp, 'cache') });
    return { code: r.code, err: r.err, doc: JSON.parse(r.out) as CheckResult };
  };
  const update = (root: string) =>
    json([
      'update-check',
      root,
      '--repo',
      `demo=${join(ROOT, 'corpus/repos/demo')}`,
      '--arch',
      'x86_64',
      '--upgrade-all',
    ]);

  it('warnings: the same as audit, in every report', async () => {
    const audit = await json(['audit', image]);
    const kinds = (audit.doc.warnings ?? []).map((w) => w.kind);
    expect(kinds).toContain('discovery');
    expect(kinds).toContain('rpmdb-missing');
    const up = await update(image);
    expect(up.code).not.toBe(3);
    expect(up.doc.warnings).toEqual(audit.doc.warnings);
    const text = await runCli(
      [
        'update-check',
        image,
        '--repo',
        `demo=${join(ROOT, 'corpus/repos/demo')}`,
        '--arch',
        'x86_64',
        '--upgrade-all',
        '--no-cache',
      ],
      { cacheHome: join(tmp, 'cache') },
    );
    expect(text.out).toMatch(
      /warning\[discovery\]: symlink `var\/redpak\/platform\/etc-link` to a directory/,
    );
  });

  it('a node that cannot be examined fails the run (exit 3), as in audit', async () => {
    const out = join(tmp, 'out');
    cpSync(image, out, { recursive: true, verbatimSymlinks: true });
    // climbs above `/` and lands, clamped, on a directory: maybe a node, which cannot be examined
    symlinkSync('../../../../../../../var', join(out, 'var/redpak/platform/gone'));
    const audit = await json(['audit', out]);
    expect(audit.code).toBe(3);
    const up = await update(out);
    expect(up.code).toBe(3);
    expect(up.doc.errors.map((e) => e.kind)).toEqual(audit.doc.errors.map((e) => e.kind));
    expect(up.doc.errors.map((e) => e.kind)).toContain('node-outside-image');
  });
});
