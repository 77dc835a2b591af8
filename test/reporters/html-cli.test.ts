import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { repoPath } from './schema-helpers.js';

// The HTML report of every command, through the CLI: repo-check, lock with what it changes in the lock
// file, update-check with its plan, and runs that end in an input error (the page says so; SBOMs are not
// written). test/system/reports.test.ts renders the same pages in Chromium.

const dir = mkdtempSync(join(tmpdir(), 'redproof-html-cli-'));
const cache = join(tmpdir(), 'redproof-report-tests-cache');
const run = (argv: string[]) => runCli(argv, { cwd: repoPath(''), cacheHome: cache });
const read = (f: string) => readFileSync(f, 'utf8');
const section = (html: string, id: string) =>
  new RegExp(`<section id="${id}"[^>]*>[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';
const nodesOf = (html: string) =>
  [...html.matchAll(/<g class="node[^"]*" data-node="([^"]+)"/g)].map((m) => m[1]);

describe('repo-check --html', () => {
  it('draws each checked repository with its findings and lists its packages', async () => {
    const html = join(dir, 'repo.html');
    const r = await run([
      'repo-check',
      '--repo',
      'corpus/repos/missing-req',
      '--repo',
      'corpus/repos/clean',
      '-q',
      '--html',
      html,
    ]);
    expect(r.code, r.err).toBe(1);
    const page = read(html);
    expect(nodesOf(page)).toEqual(['clean', 'missing-req']);
    expect(page).toMatch(/<g class="node error" data-node="missing-req"/);
    expect(page).toContain('<h2>Checked repositories</h2>');
    expect([...page.matchAll(/data-rule="(RP\d+)"/g)].map((m) => m[1])).toEqual(['RP030']);
    // repositories have no footprint, and their packages are installed nowhere
    expect(section(page, 'footprint')).toBe('');
    expect(page).toContain('<table class="inventory" data-repositories>');
    expect(page).not.toContain('<th>seen by</th>');
    expect(section(page, 'repositories')).toContain('corpus/repos/clean');
    // an SBOM describes installed packages: repo-check takes --html only
    expect((await run(['repo-check', '--repo', 'corpus/repos/clean', '--spdx', join(dir, 'x')])).code).toBe(
      2,
    );
  });
});

describe('lock --html: what changes in the lock file', () => {
  const manifest = 'corpus/families/requests/coherent.yaml';
  const lockfile = join(dir, 'coherent.lock.yaml');
  const lock = async (name: string, ...extra: string[]) => {
    const html = join(dir, `${name}.html`);
    const r = await run(['lock', manifest, '--lockfile', lockfile, '-q', '--html', html, ...extra]);
    return { ...r, page: read(html) };
  };

  it('first lock: no previous file; again: no change; a stale lock: the upgrade, in --check and --update', async () => {
    const first = await lock('first');
    expect(first.code, first.err).toBe(0);
    expect(section(first.page, 'lock')).toContain('data-lock-mode="write"');
    expect(section(first.page, 'lock')).toContain('did not exist: every package is new');
    expect(first.page).toContain('<a href="#lock">Lock changes</a>');
    expect(nodesOf(first.page)).toEqual(['host', 'platform', 'media', 'navigation']);

    const again = await lock('again');
    expect(section(again.page, 'lock')).toContain('No change: the lock file is the same.');

    // the committed lock pins an older zlib: --check shows the upgrade the fresh lock makes, and fails
    const text = read(lockfile);
    expect(text).toContain('nevra: zlib-1.2.11-40.el9.x86_64');
    writeFileSync(
      lockfile,
      text.replace('nevra: zlib-1.2.11-40.el9.x86_64', 'nevra: zlib-1.2.11-39.el9.x86_64'),
    );
    const check = await lock('check', '--check');
    expect(check.code).toBe(1);
    const rows = section(check.page, 'lock');
    expect(rows).toContain('data-lock-mode="check"');
    expect(rows).toContain(
      '<tr data-lock-node="platform" data-change="upgraded"><td>platform</td><td>upgraded</td><td class="mono">zlib-1.2.11-39.el9.x86_64</td><td class="mono">zlib-1.2.11-40.el9.x86_64</td></tr>',
    );
    expect(rows.match(/<tr data-lock-node/g)).toHaveLength(1);

    const update = await lock('update', '--update', 'zlib');
    expect(update.code, update.err).toBe(0);
    expect(section(update.page, 'lock')).toContain('data-lock-mode="update"');
    expect(section(update.page, 'lock')).toContain('data-change="upgraded"');
    expect(update.err).toContain('upgraded zlib-1.2.11-39.el9.x86_64 → zlib-1.2.11-40.el9.x86_64');
  });

  it('a previous file that is no lock is said, not an error', async () => {
    writeFileSync(lockfile, 'not: a lock\n');
    const r = await lock('junk');
    expect(r.code, r.err).toBe(0);
    expect(section(r.page, 'lock')).toContain('is not a lock this redproof reads: every package is new');
  });
});

describe('update-check --html', () => {
  it('shows each node of the plan and the blast radius', async () => {
    const html = join(dir, 'update.html');
    const r = await run([
      'update-check',
      'corpus/families/update-soname.yaml',
      '--to',
      'updates=corpus/repos/demo-updates',
      '--upgrade-all',
      '-q',
      '--html',
      html,
    ]);
    expect(r.code, r.err).toBe(0);
    const plan = section(read(html), 'plan');
    expect(
      [...plan.matchAll(/data-plan-node="([^"]+)" data-status="([^"]+)"/g)].map((m) => [m[1], m[2]]),
    ).toEqual([
      ['host', 'unchanged'],
      ['platform', 'changed'],
      ['daemons', 'changed'],
    ]);
    expect(plan).toContain('<h3>Blast radius</h3>');
    expect(plan).toContain('libbar-1.0-1.x86_64</td><td class="mono">libbar2-2.0-1.x86_64');
  });
});

describe('a run that ends in an input error', () => {
  const broken = [
    ...readdirSync(repoPath('corpus/families'))
      .filter((f) => f.startsWith('bad-') && f.endsWith('.yaml'))
      .sort()
      .map((f) => ({ name: f, argv: ['check', `corpus/families/${f}`], sboms: true })),
    { name: 'lock-bad-cycle', argv: ['lock', 'corpus/families/bad-cycle.yaml'], sboms: false },
    {
      name: 'checksum-mismatch',
      argv: ['repo-check', '--repo', 'corpus/repos/checksum-mismatch'],
      sboms: false,
    },
  ];

  it.each(broken)(
    '$name: the HTML page says the run failed and why; no SBOM, an old one removed',
    async (b) => {
      const out = mkdtempSync(join(dir, 'error-'));
      const files = {
        html: join(out, 'report.html'),
        json: join(out, 'result.json'),
        cdx: join(out, 'bom.cdx.json'),
        spdx: join(out, 'bom.spdx.json'),
      };
      // an earlier run's SBOM at the path must not pass as this run's
      writeFileSync(files.cdx, '{"bomFormat":"CycloneDX"}\n');
      const r = await run([
        ...b.argv,
        '-q',
        '--html',
        files.html,
        '--json',
        files.json,
        ...(b.sboms ? ['--cyclonedx', files.cdx, '--spdx', files.spdx] : []),
      ]);
      expect(r.code).toBe(3);
      const error = JSON.parse(read(files.json)).errors[0] as {
        kind: string;
        message: string;
        file?: string;
      };
      const page = read(files.html);
      const failed = section(page, 'errors');
      expect(failed).toContain('<h2>The run failed</h2>');
      expect(failed).toContain('role="alert"');
      expect(failed).toContain('nothing was checked');
      expect(failed).toContain(`<b>${error.kind}</b>`);
      if (error.file) expect(failed).toContain(error.file);
      expect(page).toMatch(/<span class="verdict error">ERROR<\/span>/);
      // nothing that could read as proven: no tree, no inventory, no rule, no "no finding"
      expect(nodesOf(page)).toEqual([]);
      expect(page).not.toMatch(/id="(tree|inventory|rules|findings)"/);
      expect(page).not.toContain('No finding');
      if (b.sboms) {
        expect(existsSync(files.cdx)).toBe(false);
        expect(existsSync(files.spdx)).toBe(false);
      } else expect(existsSync(files.cdx)).toBe(true);
    },
  );

  it('the same for the same input: the page is byte-identical', async () => {
    const a = join(dir, 'err-a.html');
    const b = join(dir, 'err-b.html');
    await run(['check', 'corpus/families/bad-cycle.yaml', '-q', '--html', a]);
    await run(['check', 'corpus/families/bad-cycle.yaml', '-q', '--html', b]);
    expect(read(a)).toBe(read(b));
  });
});
