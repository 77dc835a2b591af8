import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/model/finding.js';
import { boundResult, HUMAN_BOUNDS } from '../../src/reporters/bound.js';
import { CLIP_FIELD_LENGTH, CLIP_MESSAGE_LENGTH, clip } from '../../src/util/clip.js';
import { type Pkg, primaryXml } from '../helpers/rpmmd-writer.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, writeRepo } from './repo-helpers.js';

// Issue 18 item 15: a value from the input is never echoed whole. Each reader gets a 100,000-character
// value where a message or a finding quotes it; stderr, the text report and every report file stay
// small, and the value shows as a prefix with its length.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIG = 'Q'.repeat(100_000);
const SHOWN = /Q{50,}… \(10\d{4} characters\)/;
const tmp = tempDir('echo');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const out = join(tmp, 'out');
mkdirSync(out);
const family = readFileSync(join(ROOT, 'corpus/families/rp001-unresolved.yaml'), 'utf8').replace(
  '../repos/demo',
  join(ROOT, 'corpus/repos/demo'),
);
const file = (name: string, text: string | Uint8Array) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

/** Longest string anywhere in a JSON document. */
function longest(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return Math.max(0, ...value.map(longest));
  if (value !== null && typeof value === 'object')
    return Math.max(0, ...Object.entries(value).map(([k, v]) => Math.max(k.length, longest(v))));
  return 0;
}

const REPORTS = ['r.json', 'r.sarif', 'r.xml', 'r.md', 'r.html'];

/** Runs the CLI with every report file; returns stderr, stdout and the reports' sizes. */
async function run(argv: string[]) {
  for (const f of REPORTS) rmSync(join(out, f), { force: true });
  const withReports = [
    ...argv,
    ...['--json', 'r.json', '--sarif', 'r.sarif', '--junit', 'r.xml', '--markdown', 'r.md'].map((a, i) =>
      i % 2 ? join(out, a) : a,
    ),
  ];
  if (argv[0] === 'check' || argv[0] === 'audit') withReports.push('--html', join(out, 'r.html'));
  const r = await runCli(withReports, { cwd: tmp, cacheHome: join(tmp, 'cache') });
  const reports = new Map(
    REPORTS.filter((f) => existsSync(join(out, f))).map((f) => [f, readFileSync(join(out, f), 'utf8')]),
  );
  return { ...r, reports };
}

/** What every case must hold: small outputs, and JSON/SARIF strings no longer than a data field. */
function expectBounded(r: Awaited<ReturnType<typeof run>>) {
  expect(r.code === 1 || r.code === 2 || r.code === 3).toBe(true);
  expect(r.err.length).toBeLessThan(2_000);
  expect(r.out.length).toBeLessThan(20_000);
  for (const [name, text] of r.reports) {
    expect(text.length, name).toBeLessThan(150_000);
    if (name === 'r.json' || name === 'r.sarif') {
      expect(longest(JSON.parse(text)), name).toBeLessThanOrEqual(CLIP_FIELD_LENGTH + 40);
    }
  }
  expect(`${r.err}${r.out}`).toMatch(SHOWN);
}

describe('a 100,000-character value is clipped with its length', () => {
  it('manifest: an unknown package entry (finding RP006, with a code frame)', async () => {
    const r = await run([
      'check',
      file('m-pkg.yaml', family.replace('media-player]', `media-player, ${BIG}]`)),
    ]);
    expectBounded(r);
    expect(r.code).toBe(1);
    // the code frame shows a window of the 100 KB line, not the line
    expect(r.out).toMatch(/^22 \| …/m);
  });

  it('manifest: a family name, an arch, a parent, a repository path (input errors)', async () => {
    for (const text of [
      family.replace('family: rp001-unresolved', `family: "a\\n${BIG}"`),
      family.replace('arch: x86_64', `arch: ${BIG}`),
      family.replace('parent: platform\n    packages: [gst', `parent: ${BIG}\n    packages: [gst`),
      family.replace(join(ROOT, 'corpus/repos/demo'), `/nonexistent/${BIG}`),
    ]) {
      const r = await run(['check', file('m-err.yaml', text)]);
      expectBounded(r);
      expect(r.code).toBe(3);
    }
  });

  it('manifest: an install request nothing matches (RP050 in lock)', async () => {
    const r = await run([
      'lock',
      file('m-req.yaml', family.replace('packages: [gstreamer1, media-player]', `install: [${BIG}]`)),
    ]);
    expectBounded(r);
  });

  it('waivers and policies: a key of 100,000 characters', async () => {
    const fam = file('m-ok.yaml', family);
    const w = await run([
      'check',
      fam,
      '--waivers',
      file('w.yaml', `version: 1\nwaivers:\n  - rule: RP001\n    reason: x\n    ? ${BIG}\n    : x\n`),
    ]);
    expectBounded(w);
    expect(w.code).toBe(3);
    const p = await run([
      'check',
      fam,
      '--policy',
      file(
        'p.yaml',
        `redproof-policy: 1\nrules:\n  - name: r\n    deny-packages: [x]\n    ? ${BIG}\n    : 1\n`,
      ),
    ]);
    expectBounded(p);
    expect(p.code).toBe(3);
  });

  it('kickstart: a %packages option and a line that is not one package name', async () => {
    const requests = readFileSync(join(ROOT, 'corpus/families/requests/coherent.yaml'), 'utf8')
      .replace('../../repos/demo', join(ROOT, 'corpus/repos/demo'))
      .replace('host:\n', 'host:\n  kickstart: host.ks\n');
    const manifest = file('m-ks.yaml', requests);
    for (const ks of [`%packages --${BIG}\nbash\n%end\n`, `%packages\nbash ${BIG}\n%end\n`]) {
      file('host.ks', ks);
      const r = await run(['lock', manifest]);
      expectBounded(r);
      expect(r.code).toBe(3);
    }
  });

  it('red-pak YAML: an alias with a character red-pak refuses (RP012)', async () => {
    const img = join(tmp, 'img');
    rmSync(img, { recursive: true, force: true });
    mkdirSync(join(img, 'var/lib/rpm'), { recursive: true });
    writeFileSync(
      join(img, 'var/lib/rpm/Packages'),
      readFileSync(join(ROOT, 'test/fixtures/images/bdb/var/lib/rpm/Packages')),
    );
    mkdirSync(join(img, 'var/redpak/n/etc'), { recursive: true });
    writeFileSync(join(img, 'var/redpak/n/.rednode.yaml'), 'realpath: /var/redpak/n\nstate: Enable\n');
    writeFileSync(
      join(img, 'var/redpak/n/etc/redpak.yaml'),
      `headers:\n  alias: "${BIG}!"\n  name: n\n  info: n\nconfig:\n  path: /var/redpak/n\n`,
    );
    const r = await run(['audit', img]);
    expectBounded(r);
  });

  it('rpm-md: a dependency and a package name of 100,000 characters (RP030)', async () => {
    const cases: [string, Pkg][] = [
      ['dep', { name: 'a', arch: 'x86_64', provides: [], requires: [BIG], conflicts: [] }],
      ['name', { name: BIG, arch: 'x86_64', provides: [], requires: ['zz'], conflicts: [] }],
    ];
    for (const [name, pkg] of cases) {
      const dir = writeRepo(join(tmp, `repo-${name}`), [
        { type: 'primary', name: 'p-primary.xml.gz', bytes: gzipSync(primaryXml([pkg])) },
      ]);
      const r = await run(['repo-check', '--repo', dir, '--no-cache']);
      expectBounded(r);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.reports.get('r.json')!) as CheckResult;
      expect(doc.findings[0]!.message).toMatch(SHOWN);
    }
  });

  it('command-line arguments', async () => {
    const fam = file('m-cli.yaml', family);
    for (const argv of [
      ['check', fam, '--format', BIG],
      ['check', fam, '--fail-on', BIG],
      ['check', fam, `--${BIG}`],
      ['check', fam, '--limit', `${BIG}=1`],
      ['check', fam, '--arch', BIG],
      ['audit', tmp, '--node-solv', BIG],
      [BIG],
      ['explain', BIG],
    ]) {
      const r = await runCli(argv, { cwd: tmp, cacheHome: join(tmp, 'cache') });
      expect(r.code, argv[0]).toBe(2);
      expect(r.err.length, argv.join(' ').slice(0, 40)).toBeLessThan(2_000);
      expect(r.err).toMatch(SHOWN);
    }
  });
});

describe('boundResult, the reporters backstop', () => {
  const result: CheckResult = {
    command: 'check',
    tool: { name: 'redproof', version: '0', libsolv: '0' },
    target: 't',
    arch: 'x86_64',
    subjects: [],
    findings: [
      {
        rule: 'RP001',
        slug: 'unresolved-dependency',
        level: 'error',
        message: BIG,
        dependency: BIG,
        evidence: [{ role: 'requires', text: BIG }],
        fingerprint: 'f',
      },
    ],
    errors: [{ kind: 'x', message: BIG, file: BIG }],
    rules: [],
    stats: { packagesExamined: 0 },
  };

  it('cuts messages, evidence texts and fields to their bounds, deterministically', () => {
    const a = boundResult(result);
    expect(a.findings[0]!.message).toBe(clip(BIG, CLIP_MESSAGE_LENGTH));
    expect(a.findings[0]!.evidence[0]!.text).toBe(clip(BIG, 1000));
    expect(a.findings[0]!.dependency).toBe(clip(BIG, CLIP_FIELD_LENGTH));
    expect(a.errors[0]!.file).toBe(clip(BIG, CLIP_FIELD_LENGTH));
    expect(boundResult(result)).toEqual(a);
    expect(boundResult(result, HUMAN_BOUNDS).findings[0]!.dependency).toBe(clip(BIG, 1000));
    // nothing too long: the result itself, no copy
    const small = { ...result, findings: [], errors: [] };
    expect(boundResult(small)).toBe(small);
  });
});
