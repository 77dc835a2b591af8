import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyWaivers } from '../../src/policy/waivers.js';
import { githubReporter } from '../../src/reporters/github.js';
import { gitlabReporter } from '../../src/reporters/gitlab.js';
import { spanFiles } from '../../src/reporters/paths.js';
import { sarifReporter } from '../../src/reporters/sarif.js';
import { runCli } from '../helpers/run-cli.js';
import { auditResult } from './ci-fixtures.js';
import { githubPaths, gitlabPaths, sarifPaths } from './resolve-paths.js';
import { compileSchema, errorsOf, repoPath } from './schema-helpers.js';

const MULTITOOL = ['linux', 'darwin', 'win32']
  .map((os) => repoPath(`node_modules/@microsoft/sarif-multitool-${os}/sarif-2.1.0.json`))
  .find((file) => existsSync(file));
if (!MULTITOOL) throw new Error('@microsoft/sarif-multitool is not installed (npm ci)');
const validate = compileSchema(MULTITOOL);

const tmp = mkdtempSync(join(tmpdir(), 'redproof-ci-paths-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function touch(root: string, file: string) {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), 'x\n');
}

const missing = (paths: string[]) => paths.filter((p) => !existsSync(p));

// An audit result and a checkout laid out with the image and the waivers file inside it.
function layout(imageDir: string, checkout: string) {
  const engine = auditResult();
  for (const file of spanFiles(engine)) touch(imageDir, file);
  touch(checkout, 'redproof-waivers.yaml');
  const result = applyWaivers(
    engine,
    [{ rule: 'RP999', reason: 'unused', location: { file: 'redproof-waivers.yaml', line: 3, column: 5 } }],
    '2026-01-01',
  );
  return { engine, result };
}

describe('CI report paths resolve from the checkout', () => {
  it('audit, image inside the checkout: SARIF, GitHub and GitLab paths name existing files', () => {
    const checkout = join(tmp, 'inside');
    const { engine, result } = layout(join(checkout, 'images/ivi'), checkout);
    const imageRoot = { path: 'images/ivi', files: spanFiles(engine) };
    const log = JSON.parse(sarifReporter(result, { imageRoot }));
    expect(validate(log), errorsOf(validate).join('\n')).toBe(true);
    const paths = sarifPaths(log, checkout);
    expect(paths.length).toBeGreaterThanOrEqual(4);
    expect(missing(paths)).toEqual([]);
    // GitHub ignores originalUriBaseIds: every path must be relative to the checkout root itself.
    expect(JSON.stringify(log)).not.toContain('IMAGEROOT');
    expect(missing(githubPaths(githubReporter(result, { imageRoot }), checkout))).toEqual([]);
    expect(
      missing(gitlabPaths(gitlabReporter(result, { imageRoot, targetFile: 'images/ivi' }), checkout)),
    ).toEqual([]);
  });

  it('audit, image outside the checkout: SARIF declares IMAGEROOT with the image URI', () => {
    const checkout = join(tmp, 'checkout');
    const image = join(tmp, 'elsewhere/image root');
    const { engine, result } = layout(image, checkout);
    const log = JSON.parse(sarifReporter(result, { imageRoot: { path: image, files: spanFiles(engine) } }));
    expect(validate(log), errorsOf(validate).join('\n')).toBe(true);
    expect(log.runs[0].originalUriBaseIds.IMAGEROOT.uri).toBe(`file://${encodeURI(image)}/`);
    expect(missing(sarifPaths(log, checkout))).toEqual([]);
  });

  it('without the image root the audit paths do not resolve (what the check above guards)', () => {
    const checkout = join(tmp, 'inside');
    const log = JSON.parse(sarifReporter(auditResult()));
    expect(missing(sarifPaths(log, checkout)).length).toBeGreaterThan(0);
  });

  const root = repoPath('');
  const COMMANDS: Record<string, string[]> = {
    check: ['check', 'corpus/families/rp003-ancestor-duplicate.yaml'],
    'repo-check': ['repo-check', '--repo', 'corpus/repos/missing-req', '--jobs', '1'],
    'update-check': [
      'update-check',
      'corpus/families/update-soname.yaml',
      '--to',
      'updates=corpus/repos/demo-updates',
      '--upgrade',
      'platform',
    ],
  };
  for (const [name, argv] of Object.entries(COMMANDS)) {
    it(`${name}: the CLI's SARIF validates and every report's paths exist in the checkout`, async () => {
      const out = join(tmp, name);
      const r = await runCli(
        [
          ...argv,
          '-q',
          '--sarif',
          join(out, 'r.sarif'),
          '--github',
          join(out, 'r.github'),
          '--gitlab',
          join(out, 'r.gitlab.json'),
        ],
        { cwd: root, cacheHome: join(tmp, 'cache') },
      );
      expect(r.code, r.err).toBe(1);
      const log = JSON.parse(readFileSync(join(out, 'r.sarif'), 'utf8'));
      expect(validate(log), errorsOf(validate).join('\n')).toBe(true);
      expect(log.runs[0].results.length).toBeGreaterThan(0);
      const sarif = sarifPaths(log, root);
      expect(sarif.length).toBeGreaterThan(0);
      expect(missing(sarif)).toEqual([]);
      const github = githubPaths(readFileSync(join(out, 'r.github'), 'utf8'), root);
      expect(missing(github)).toEqual([]);
      const gitlab = gitlabPaths(readFileSync(join(out, 'r.gitlab.json'), 'utf8'), root);
      expect(gitlab.length).toBe(log.runs[0].results.length);
      expect(missing(gitlab)).toEqual([]);
    });
  }

  it('--format github and gitlab on stdout; an input error (exit 3) still writes both, as errors', async () => {
    const cache = join(tmp, 'cache');
    const gh = await runCli(
      ['check', 'corpus/families/rp003-ancestor-duplicate.yaml', '-q', '--format', 'github'],
      {
        cwd: root,
        cacheHome: cache,
      },
    );
    expect(gh.code).toBe(1);
    expect(gh.out).toMatch(/^::error file=corpus\/families\/rp003-ancestor-duplicate\.yaml,line=\d+,/m);
    const gl = await runCli(
      ['check', 'corpus/families/rp003-ancestor-duplicate.yaml', '-q', '--format', 'gitlab'],
      {
        cwd: root,
        cacheHome: cache,
      },
    );
    expect(JSON.parse(gl.out)[0].check_name).toBe('RP003 ancestor-duplicate');
    const out = join(tmp, 'broken');
    const broken = await runCli(
      [
        'repo-check',
        '--repo',
        'corpus/repos/checksum-mismatch',
        '--no-cache',
        '-q',
        '--github',
        join(out, 'r.github'),
        '--gitlab',
        join(out, 'r.gitlab.json'),
      ],
      { cwd: root },
    );
    expect(broken.code).toBe(3);
    expect(readFileSync(join(out, 'r.github'), 'utf8')).toMatch(
      /^::error .*title=redproof [\w-]+::.*checksum mismatch/m,
    );
    const issues = JSON.parse(readFileSync(join(out, 'r.gitlab.json'), 'utf8'));
    expect(issues.map((i: { severity: string }) => i.severity)).toEqual(['blocker']);
  });
});
