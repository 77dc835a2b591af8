import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { primaryXml } from '../helpers/rpmmd-writer.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, writeRepo } from './repo-helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = tempDir('cli-errors');
const cacheHome = join(tmp, 'cache');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const cli = (argv: string[]) => runCli(argv, { cwd: ROOT, cacheHome });
const FAMILY = 'corpus/families/rp001-unresolved.yaml';

describe('input errors are exit 3 and name their file', () => {
  it('an invalid waivers file is not ignored', async () => {
    const bad = join(tmp, 'waivers.yaml');
    writeFileSync(bad, 'version: 1\nwaivers:\n  - rule: RP001\n    reasn: typo\n');
    const r = await cli(['check', FAMILY, '--waivers', bad]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/waivers\.yaml:4:\d+: `waivers\.0`: unknown key `reasn`/);
    writeFileSync(bad, 'version: 1\nwaivers:\n - rule: RP001\n   reason: x\n  bad\n');
    expect((await cli(['check', FAMILY, '--waivers', bad])).code).toBe(3);
  });

  it('an alias bomb in the waivers file', async () => {
    const bomb = join(tmp, 'bomb.yaml');
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    writeFileSync(bomb, `${lines.join('\n')}\nversion: 1\nwaivers: []\n`);
    const r = await cli(['check', FAMILY, '--waivers', bomb]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^redproof: input error: .*bomb\.yaml:1:1: .*alias/);
    expect(r.err).not.toMatch(/internal error/);
  });

  it('a DOCTYPE (XXE) in repomd.xml', async () => {
    const repo = join(tmp, 'xxe');
    cpSync(join(ROOT, 'corpus/repos/clean'), repo, { recursive: true });
    writeFileSync(
      join(repo, 'repodata/repomd.xml'),
      '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<repomd>&x;</repomd>\n',
    );
    const r = await cli(['repo-check', '--repo', repo]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/xxe\/repodata\/repomd\.xml:2: a DOCTYPE or ENTITY declaration is not allowed/);
  });

  it('a missing IMAGE_ROOT is not a missing redroot', async () => {
    const r = await cli(['audit', join(tmp, 'nope')]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/nope: cannot read: ENOENT; expected IMAGE_ROOT/);
  });

  it('--output whose parent is a file says so', async () => {
    writeFileSync(join(tmp, 'file'), '');
    const r = await cli([
      'check',
      'corpus/families/coherent.yaml',
      '--format',
      'json',
      '--output',
      join(tmp, 'file/out.json'),
    ]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/cannot write: a parent of the path is a file, not a directory/);
  });

  it('--limit is checked and applied', async () => {
    expect((await cli(['repo-check', '--repo', 'corpus/repos/clean', '--limit', 'bogus=1'])).code).toBe(2);
    const r = await cli([
      'repo-check',
      '--repo',
      'corpus/repos/clean',
      '--limit',
      'file-size=100',
      '--no-cache',
    ]);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/is larger than the limit of 100 B/);
  });

  it('--repo /dev/zero is refused at once', async () => {
    const r = await cli(['repo-check', '--repo', '/dev/zero']);
    expect(r).toMatchObject({ code: 3 });
    expect(r.err).toMatch(/\/dev\/zero: a character device, which is not read/);
  });

  it('an empty repository does not say "noarch or noarch"', async () => {
    const dir = writeRepo(join(tmp, 'empty'), [
      { type: 'primary', name: 'p-primary.xml.gz', bytes: gzipSync(primaryXml([])) },
    ]);
    const r = await cli(['repo-check', '--repo', dir, '--no-cache']);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/hold no package: nothing was proven; expected at least one package/);
  });
});
