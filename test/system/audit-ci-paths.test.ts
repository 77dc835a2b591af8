import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import {
  type BuiltImage,
  makeImage,
  requireRpmTools,
  rootAdminYaml,
  rootNormalYaml,
} from '../load/redpak/make-image.js';
import { TEST_PACKAGES } from '../load/rpmdb/fixtures.js';
import { githubPaths, gitlabPaths, sarifPaths } from '../reporters/resolve-paths.js';
import { compileSchema, errorsOf, repoPath } from '../reporters/schema-helpers.js';

// A real image (rpmbuild + rpm) inside a checkout: the work directory is the checkout, `image/` the
// image root. Every path of the audit's SARIF, GitHub and GitLab reports must name a file of it.
describe('audit reports resolve from the checkout (real image)', () => {
  let img: BuiltImage;
  beforeAll(() => {
    requireRpmTools();
    img = makeImage({
      packages: TEST_PACKAGES,
      host: ['libfoo', 'helper'],
      nodes: [
        { path: 'var/redpak', config: rootNormalYaml(), admin: rootAdminYaml() },
        { path: 'var/redpak/platform', install: ['app'] },
        { path: 'var/redpak/platform/nav', install: ['libfoo', 'other'] },
      ],
    });
  }, 120_000);
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
});
