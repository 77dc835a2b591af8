import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureCopy, loadImageFixture } from '../helpers/image-fixtures/load.js';
import { runCli } from '../helpers/run-cli.js';
import { githubPaths, gitlabPaths, sarifPaths } from './resolve-paths.js';
import { compileSchema, errorsOf, repoPath } from './schema-helpers.js';

// A real image (the committed fixture built with rpmbuild + rpm) inside a checkout: the fixture's work
// directory is the checkout, `image/` the image root. Every path of the audit's SARIF, GitHub and GitLab
// reports must name a file of it.
describe('audit reports resolve from the checkout (real image)', () => {
  let img: FixtureCopy;
  beforeAll(() => {
    img = loadImageFixture('audit');
  });
  afterAll(() => img?.cleanup?.());

  it('SARIF validates; SARIF, GitHub and GitLab paths exist', async () => {
    const checkout = img.workDir;
    const out = join(checkout, 'reports');
    const r = await runCli(
      [
        'audit',
        'image',
        '-q',
        '--sarif',
        join(out, 'r.sarif'),
        '--github',
        join(out, 'r.github'),
        '--gitlab',
        join(out, 'r.gitlab.json'),
      ],
      { cwd: checkout, cacheHome: join(checkout, 'cache') },
    );
    expect(r.code, r.err).toBe(1);
    const schema = ['linux', 'darwin', 'win32']
      .map((os) => repoPath(`node_modules/@microsoft/sarif-multitool-${os}/sarif-2.1.0.json`))
      .find((f) => existsSync(f))!;
    const validate = compileSchema(schema);
    const log = JSON.parse(readFileSync(join(out, 'r.sarif'), 'utf8'));
    expect(validate(log), errorsOf(validate).join('\n')).toBe(true);
    const paths = sarifPaths(log, checkout);
    expect(paths.some((p) => p.endsWith('image/var/redpak/platform/.rednode.yaml'))).toBe(true);
    expect(paths.filter((p) => !existsSync(p))).toEqual([]);
    const github = githubPaths(readFileSync(join(out, 'r.github'), 'utf8'), checkout);
    expect(github.length).toBeGreaterThan(0);
    expect(github.filter((p) => !existsSync(p))).toEqual([]);
    const gitlab = gitlabPaths(readFileSync(join(out, 'r.gitlab.json'), 'utf8'), checkout);
    expect(gitlab.length).toBe(log.runs[0].results.length);
    expect(gitlab.filter((p) => !existsSync(p))).toEqual([]);
  });

  it('a policy file in the checkout stays relative to the checkout, not to the image', async () => {
    const checkout = img.workDir;
    writeFileSync(
      join(checkout, 'policy.yaml'),
      "redproof-policy: 1\nrules:\n  - name: no-other-in-nav\n    nodes: ['var/redpak/platform/nav']\n    deny-packages: ['other']\n",
    );
    const out = join(checkout, 'policy-reports');
    const r = await runCli(
      ['audit', 'image', '-q', '--policy', 'policy.yaml', '--sarif', join(out, 'r.sarif')],
      {
        cwd: checkout,
        cacheHome: join(checkout, 'cache'),
      },
    );
    expect(r.code, r.err).toBe(1);
    const paths = sarifPaths(JSON.parse(readFileSync(join(out, 'r.sarif'), 'utf8')), checkout);
    expect(paths).toContain(join(checkout, 'policy.yaml'));
    expect(paths.filter((p) => !existsSync(p))).toEqual([]);
  });
});
