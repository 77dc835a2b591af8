import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/reporters/common.js';
import { type FixtureCopy, loadImageFixture } from '../helpers/image-fixtures/load.js';
import { runCli } from '../helpers/run-cli.js';
import { compileSchema, errorsOf, repoPath } from './schema-helpers.js';

// The footprint in every report of check, audit, lock and update-check, on real runs: the figures are
// computed here from the repository's own primary.xml (sizes) and the report's subjects (which layer holds
// which NEVRA), the slow and obvious way, and must be what JSON, text, Markdown and HTML say.

interface Doc {
  command: string;
  subjects: {
    id: string;
    kind: string;
    parent?: string;
    packages: { nevra: string; installSize?: number }[];
  }[];
  stats: {
    footprint?: {
      familyBytes: number;
      standaloneBytes: number;
      savedBytes: number;
      sharingRatio?: number;
      containers: number;
      packages: number;
      unknownSizePackages: number;
      layers: { id: string; ownBytes: number; viewBytes: number; viewPackages: number }[];
    };
  };
}

const validate = compileSchema(repoPath('schema/result-v1.schema.json'));
const dir = mkdtempSync(join(tmpdir(), 'redproof-footprint-'));
const cache = join(tmpdir(), 'redproof-report-tests-cache');

/** NEVRA → installed bytes, read with a regular expression from the repository's primary.xml.gz. */
function primarySizes(repo: string): Map<string, number> {
  const repodata = repoPath(`${repo}/repodata`);
  const file = readdirSync(repodata).find((f) => f.endsWith('-primary.xml.gz'))!;
  const xml = gunzipSync(readFileSync(join(repodata, file))).toString('utf8');
  const out = new Map<string, number>();
  for (const m of xml.matchAll(/<package type="rpm">([\s\S]*?)<\/package>/g)) {
    const p = m[1]!;
    const name = /<name>([^<]+)<\/name>/.exec(p)![1];
    const arch = /<arch>([^<]+)<\/arch>/.exec(p)![1];
    const [, epoch, ver, rel] = /<version epoch="(\d+)" ver="([^"]+)" rel="([^"]+)"\/>/.exec(p)!;
    const installed = Number(/<size [^>]*installed="(\d+)"/.exec(p)![1]);
    out.set(`${name}-${epoch === '0' ? '' : `${epoch}:`}${ver}-${rel}.${arch}`, installed);
  }
  return out;
}

/** The family and standalone bytes with sets: a view is every NEVRA on the path up to the root. */
function expected(doc: Doc, sizeOf: (nevra: string) => number) {
  const byId = new Map(doc.subjects.map((s) => [s.id, s]));
  const view = (id: string) => {
    const all = new Set<string>();
    for (let s = byId.get(id); s; s = s.parent ? byId.get(s.parent) : undefined) {
      for (const p of s.packages) all.add(p.nevra);
    }
    return all;
  };
  const sum = (nevras: Iterable<string>) => [...nevras].reduce((n, x) => n + sizeOf(x), 0);
  const family = doc.subjects.reduce((n, s) => n + sum(new Set(s.packages.map((p) => p.nevra))), 0);
  const nodes = doc.subjects.filter((s) => s.kind === 'node');
  const standalone = nodes.reduce((n, s) => n + sum(view(s.id)), 0);
  return {
    family,
    standalone,
    views: Object.fromEntries(doc.subjects.map((s) => [s.id, sum(view(s.id))])),
    containers: nodes.length,
  };
}

async function run(argv: string[], cwd = repoPath('')) {
  const r = await runCli(argv, { cwd, cacheHome: cache });
  expect(r.code, r.err).toBeLessThanOrEqual(1);
  return r;
}

const readDoc = (file: string): Doc => {
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  expect(validate(doc), errorsOf(validate).join('\n')).toBe(true);
  return doc;
};

describe('footprint in the reports of a family check', () => {
  it.each(['rp003-ancestor-duplicate', 'rp004-shareable-duplicate'])(
    '%s: JSON, text, Markdown and HTML carry the figures of primary.xml',
    async (family) => {
      const json = join(dir, `${family}.json`);
      const md = join(dir, `${family}.md`);
      const html = join(dir, `${family}.html`);
      const r = await run([
        'check',
        `corpus/families/${family}.yaml`,
        '-q',
        '--json',
        json,
        '--markdown',
        md,
        '--html',
        html,
      ]);
      const doc = readDoc(json);
      const sizes = primarySizes('corpus/repos/demo');
      const want = expected(doc, (n) => sizes.get(n)!);
      const fp = doc.stats.footprint!;
      expect(fp).toMatchObject({
        familyBytes: want.family,
        standaloneBytes: want.standalone,
        savedBytes: want.standalone - want.family,
        sharingRatio: Math.round((want.standalone / want.family) * 1000) / 1000,
        containers: want.containers,
        unknownSizePackages: 0,
      });
      expect(Object.fromEntries(fp.layers.map((l) => [l.id, l.viewBytes]))).toEqual(want.views);
      // the duplicate the family's rule reports is counted twice in the family and once per view
      expect(fp.savedBytes).toBeGreaterThan(0);

      const family$ = formatBytes(want.family);
      const standalone$ = formatBytes(want.standalone);
      const ratio$ = `${fp.sharingRatio!.toFixed(2)}×`;
      expect(r.out).toContain(
        `  footprint: ${family$} installed, each layer once; ${standalone$} as ${want.containers} standalone containers, each node carrying its whole view; sharing ratio ${ratio$}, ${formatBytes(fp.savedBytes)} saved\n`,
      );
      for (const l of fp.layers) {
        expect(r.out).toMatch(
          new RegExp(
            `^ +${l.id} +(host|node) +\\d+ packages? +${formatBytes(l.ownBytes)} +view ${formatBytes(l.viewBytes)} `,
            'm',
          ),
        );
      }
      const markdown = readFileSync(md, 'utf8');
      expect(markdown).toContain(`| Family: each layer's own packages once | ${family$} |`);
      expect(markdown).toContain(
        `| ${want.containers} nodes as standalone containers, each carrying its whole view | ${standalone$} |`,
      );
      expect(markdown).toContain(
        `| Saved by sharing | ${formatBytes(fp.savedBytes)} (sharing ratio ${ratio$}) |`,
      );
      const page = readFileSync(html, 'utf8');
      expect(page).toContain(
        `data-footprint-family="${want.family}" data-footprint-standalone="${want.standalone}" data-footprint-unknown="0"`,
      );
    },
  );
});

describe('footprint in lock, update-check and audit', () => {
  let img: FixtureCopy;
  beforeAll(() => {
    img = loadImageFixture('audit');
  });
  afterAll(() => img?.cleanup?.());

  /** Every package has its size in the report, and stats.footprint is what the subjects add up to. */
  const consistent = (doc: Doc, command: string) => {
    expect(doc.command).toBe(command);
    const sizes = new Map<string, number>();
    for (const s of doc.subjects) {
      for (const p of s.packages) {
        expect(p.installSize, `${s.id} ${p.nevra}`).toBeTypeOf('number');
        sizes.set(p.nevra, p.installSize!);
      }
    }
    const want = expected(doc, (n) => sizes.get(n)!);
    expect(doc.stats.footprint).toMatchObject({
      familyBytes: want.family,
      standaloneBytes: want.standalone,
      containers: want.containers,
      unknownSizePackages: 0,
    });
    expect(want.family).toBeGreaterThan(0);
  };

  it('lock: the resolved layers, every package with its size', async () => {
    const json = join(dir, 'lock.json');
    const r = await run([
      'lock',
      'corpus/families/requests/coherent.yaml',
      '--lockfile',
      join(dir, 'coherent.lock.yaml'),
      '-q',
      '--json',
      json,
    ]);
    consistent(readDoc(json), 'lock');
    expect(r.out).toMatch(/^ {2}footprint: .* installed, each layer once; /m);
  });

  it('update-check: the family after the change', async () => {
    const json = join(dir, 'update.json');
    const md = join(dir, 'update.md');
    await run([
      'update-check',
      'corpus/families/update-soname.yaml',
      '--to',
      'updates=corpus/repos/demo-updates',
      '--upgrade-all',
      '-q',
      '--json',
      json,
      '--markdown',
      md,
    ]);
    consistent(readDoc(json), 'update-check');
    expect(readFileSync(md, 'utf8')).toContain('### Footprint');
  });

  it('audit: what the rpm databases of the image say', async () => {
    const json = join(img.workDir, 'audit.json');
    const r = await run(['audit', 'image', '-q', '--json', json], img.workDir);
    consistent(readDoc(json), 'audit');
    expect(r.out).toMatch(/^ {2}footprint: /m);
  });

  it('repo-check has no family, so no footprint', async () => {
    const json = join(dir, 'repo.json');
    const r = await run(['repo-check', '--repo', 'corpus/repos/clean', '-q', '--json', json]);
    expect(readDoc(json).stats.footprint).toBeUndefined();
    expect(r.out).not.toMatch(/footprint/);
  });
});

describe('a package without installed size', () => {
  // hand-written metadata: `nosize` has no <size> element, `zero` installs 0 bytes (a real size)
  const pkg = (name: string, size: string, requires = '') =>
    `<package type="rpm"><name>${name}</name><arch>noarch</arch><version epoch="0" ver="1" rel="1"/><checksum type="sha256" pkgid="YES">${createHash('sha256').update(name).digest('hex')}</checksum><summary>${name}</summary>${size}<location href="${name}.rpm"/><format><rpm:license>MIT</rpm:license><rpm:provides><rpm:entry name="${name}"/></rpm:provides>${requires}</format></package>`;
  const primary = `<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="3">
${pkg('base', '<size package="10" installed="1000" archive="20"/>')}
${pkg('zero', '<size package="10" installed="0" archive="20"/>')}
${pkg('nosize', '', '<rpm:requires><rpm:entry name="base"/></rpm:requires>')}
</metadata>
`;
  const manifest = `redproof: 1
family: sizes
arch: x86_64
repos:
  - id: hand
    path: primary.xml
host:
  packages: [base]
nodes:
  - alias: app
    parent: host
    packages: [zero, nosize]
`;

  it('is counted apart, never as 0, from a cold and from a warm cache alike', async () => {
    const work = mkdtempSync(join(dir, 'sizes-'));
    writeFileSync(join(work, 'primary.xml'), primary);
    writeFileSync(join(work, 'family.yaml'), manifest);
    const cacheHome = mkdtempSync(join(dir, 'sizes-cache-'));
    const texts: string[] = [];
    for (const pass of ['cold', 'warm']) {
      const json = join(work, `${pass}.json`);
      const r = await runCli(['check', 'family.yaml', '--json', json, '--markdown', join(work, 'm.md')], {
        cwd: work,
        cacheHome,
      });
      expect(r.code, r.err).toBe(0);
      texts.push(readFileSync(json, 'utf8'));
      const doc = readDoc(json);
      const app = doc.subjects.find((s) => s.id === 'app')!;
      expect(app.packages).toEqual([
        expect.objectContaining({ nevra: 'nosize-1-1.noarch' }),
        expect.objectContaining({ nevra: 'zero-1-1.noarch', installSize: 0 }),
      ]);
      expect(app.packages[0]!.installSize, pass).toBeUndefined();
      expect(doc.stats.footprint).toMatchObject({
        familyBytes: 1000,
        standaloneBytes: 1000,
        unknownSizePackages: 1,
      });
      expect(doc.stats.footprint!.layers[1]).toMatchObject({ ownBytes: 0, ownUnknown: 1, viewBytes: 1000 });
      expect(r.out).toMatch(/^ {4}app +node +2 packages +≥ 0 B +view ≥ 1000 B +ok$/m);
      expect(r.out).toContain('; 1 package of unknown installed size not counted (≥: a lower bound)');
      expect(readFileSync(join(work, 'm.md'), 'utf8')).toContain(
        '1 package of unknown installed size is not counted: sizes marked ≥ are lower bounds.',
      );
    }
    expect(texts[1]).toBe(texts[0]);
  });
});
