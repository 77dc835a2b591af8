import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLock } from '../../src/engine/lock/read-lock.js';
import { lockSchemaV1 } from '../../src/load/lock-schema.js';
import { runCli } from '../helpers/run-cli.js';

/*
 * `redproof lock --hoist` and `redproof check --suggest-hoist` through the CLI, on the requests family
 * corpus/families/requests/hoist.yaml (demo repository): the committed hoisted lock, --check against a
 * hoisted lock, the plan of check, the opt-outs of the manifest and of the command line, usage errors.
 */

const ROOT = new URL('../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'redproof-hoist-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const cache = join(tmp, 'cache');
const cli = (args: string[], cwd = ROOT) => runCli(args, { cwd, cacheHome: cache });
const manifest = readFileSync(join(ROOT, 'corpus/families/requests/hoist.yaml'), 'utf8');

/** A copy of the hoist family in a fresh directory, its repository path made absolute, with `edit` applied. */
function family(name: string, edit: (text: string) => string = (t) => t): string {
  const dir = join(tmp, name);
  const text = edit(manifest.replace('../../repos/demo', join(ROOT, 'corpus/repos/demo')));
  writeFileSync(`${dir}.yaml`, text);
  return `${dir}.yaml`;
}

const resultSchema = JSON.parse(readFileSync(join(ROOT, 'schema/result-v1.schema.json'), 'utf8'));
const validateResult = addFormats.default(new Ajv2020({ strict: false })).compile(resultSchema);

describe('lock --hoist', () => {
  it('writes the committed hoisted lock byte for byte: moved packages marked hoisted, with their nodes', async () => {
    const out = join(tmp, 'hoist.lock.yaml');
    const json = join(tmp, 'hoist.json');
    const r = await cli([
      'lock',
      'corpus/families/requests/hoist.yaml',
      '--hoist',
      '--lockfile',
      out,
      '--json',
      json,
    ]);
    expect(r.code).toBe(0);
    // the report's subjects are the hoisted family, and say where a hoisted package came from
    const platformSubject = JSON.parse(readFileSync(json, 'utf8')).subjects.find(
      (s: { id: string }) => s.id === 'platform',
    );
    expect(
      platformSubject.packages.find((p: { nevra: string }) => p.nevra.startsWith('libxml2-')).reason,
    ).toBe('hoisted from `navigation`, `media`');
    const text = readFileSync(out, 'utf8');
    const committed = readFileSync(join(ROOT, 'corpus/families/requests/hoist.lock.yaml'), 'utf8');
    // the manifest path is relative to the lockfile: compare everything else
    expect(text.replace(/^manifest: .*$/m, '')).toBe(committed.replace(/^manifest: .*$/m, ''));
    const lock = parseLock(committed, 'hoist.lock.yaml').lock;
    expect(new Ajv({ strict: true }).compile(lockSchemaV1)(lock)).toBe(true);
    expect(lock.options).toEqual({ 'weak-deps': true, best: true, hoist: true });
    const platform = lock.nodes.find((n) => n.alias === 'platform')!;
    expect(platform.packages.filter((p) => p.reason === 'hoisted').map((p) => [p.nevra, p.from])).toEqual([
      ['libxml2-2.9.13-6.el9.x86_64', ['navigation', 'media']],
      ['python3-3.9.18-1.el9.x86_64', ['navigation', 'tools']],
      ['python3-libs-3.9.18-1.el9.x86_64', ['navigation', 'tools']],
    ]);
    expect(lock.nodes.find((n) => n.alias === 'tools')!.packages).toEqual([]);
    // the report lists every hoist with what it saves
    expect(r.out).toContain('hoisted: 2 hoists save 140 B (family 1.4 KiB → 1.3 KiB), 0 duplicates left');
    expect(r.out).toContain('python3-3.9.18-1.el9.x86_64: navigation, tools → platform, 95 B saved');
    expect(r.out).toContain('    with python3-libs-3.9.18-1.el9.x86_64 (from navigation, tools)');
  });

  it('check proves the hoisted lock clean: no RP004 left', async () => {
    const r = await cli(['check', 'corpus/families/requests/hoist.lock.yaml', '--fail-on', 'note']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^PASS: 0 errors, 0 warnings, 0 notes/m);
  });

  it('lock --check accepts a hoisted lock as fresh (recorded in its options); --no-hoist makes it stale', async () => {
    const f = family('fresh');
    expect((await cli(['lock', f, '--hoist', '-q'])).code).toBe(0);
    const lockFile = f.replace(/\.yaml$/, '.lock.yaml');
    const written = readFileSync(lockFile, 'utf8');
    expect((await cli(['lock', f, '--check'])).code).toBe(0);
    expect((await cli(['lock', f, '--check', '--hoist'])).code).toBe(0);
    const stale = await cli(['lock', f, '--check', '--no-hoist']);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('the options changed');
    expect(stale.err).toContain('tools:\n  added python3-3.9.18-1.el9.x86_64');
    // a plain lock is stale against --hoist
    expect((await cli(['lock', f, '--no-hoist', '-q'])).code).toBe(0);
    expect((await cli(['lock', f, '--check', '--hoist'])).code).toBe(1);
    expect(readFileSync(lockFile, 'utf8')).not.toBe(written);
  });

  it('manifest `hoist: {enabled: true}` hoists without the flag; lock --update keeps hoisting', async () => {
    const f = family('enabled', (t) => t.replace('host:\n', 'hoist:\n  enabled: true\nhost:\n'));
    const r = await cli(['lock', f]);
    expect(r.code).toBe(0);
    const lockFile = f.replace(/\.yaml$/, '.lock.yaml');
    expect(readFileSync(lockFile, 'utf8')).toContain('options: {weak-deps: true, best: true, hoist: true}');
    expect((await cli(['lock', f, '--update', 'libxml2'])).code).toBe(0);
    expect(readFileSync(lockFile, 'utf8')).toContain('        from: [navigation, media]');
  });

  it('opt-outs: patterns never hoisted, family-wide and per node, and an isolated node, each reported as the blocker', async () => {
    const f = family('optouts', (t) =>
      t
        .replace('host:\n', 'hoist:\n  never: [libxml2]\nhost:\n')
        .replace('  - alias: tools\n', '  - alias: tools\n    hoist: {never: [python3-libs]}\n')
        .concat(
          '  - alias: sealed\n    parent: platform\n    hoist: {receive: false}\n    install: [zlib]\n',
        ),
    );
    const json = join(tmp, 'optouts.json');
    const r = await cli(['lock', f, '--hoist', '--json', json, '--format', 'markdown']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    expect(validateResult(doc)).toBe(true);
    expect(doc.hoist.hoists).toEqual([]);
    const left = Object.fromEntries(
      doc.hoist.left.map((l: { package: string; blockers: { kind: string }[] }) => [
        l.package,
        [...new Set(l.blockers.map((b) => b.kind))],
      ]),
    );
    expect(left).toEqual({
      'python3-libs-3.9.18-1.el9.x86_64': ['opt-out', 'isolation'],
      'python3-3.9.18-1.el9.x86_64': ['missing-provider', 'isolation'],
      'libxml2-2.9.13-6.el9.x86_64': ['opt-out', 'isolation'],
    });
    expect(r.out).toContain('### Hoisting');
    expect(r.out).toContain('- opt-out: `libxml2-2.9.13-6.el9.x86_64` is never hoisted (`libxml2`)');
    expect(r.out).toContain('- isolation: `sealed` does not receive hoisted packages');
    // the command line's opt-outs add to the manifest's
    const again = await cli([
      'lock',
      f.replace('optouts', 'fresh'),
      '--hoist',
      '--hoist-isolate',
      'media',
      '--json',
      json,
    ]);
    expect(again.code).toBe(0);
    const kinds = JSON.parse(readFileSync(json, 'utf8')).hoist.left.flatMap(
      (l: { blockers: { kind: string; node?: string }[] }) => l.blockers.map((b) => `${b.kind} ${b.node}`),
    );
    expect(kinds).toContain('isolation media');
  });
});

describe('check --suggest-hoist', () => {
  it('on a manifest with requests: the plan, the findings of the family as resolved, nothing written', async () => {
    const f = family('suggest');
    const json = join(tmp, 'suggest.json');
    const r = await cli(['check', f, '--suggest-hoist', '--json', json]);
    expect(r.code).toBe(0);
    expect(existsSync(f.replace(/\.yaml$/, '.lock.yaml'))).toBe(false);
    const doc = JSON.parse(readFileSync(json, 'utf8'));
    expect(validateResult(doc)).toBe(true);
    expect(doc.hoist).toMatchObject({ mode: 'plan', savedBytes: 140 });
    expect(doc.findings.map((x: { rule: string }) => x.rule)).toEqual(['RP004', 'RP004', 'RP004']);
    expect(r.out).toContain('hoist plan (nothing written): 2 hoists would save 140 B');
  });

  it('on a plain lock, the same plan; on the hoisted lock, nothing to hoist', async () => {
    const f = family('plain');
    expect((await cli(['lock', f, '-q'])).code).toBe(0);
    const plan = await cli([
      'check',
      f.replace(/\.yaml$/, '.lock.yaml'),
      '--suggest-hoist',
      '--format',
      'json',
    ]);
    expect(JSON.parse(plan.out).hoist.savedBytes).toBe(140);
    const none = await cli(['check', 'corpus/families/requests/hoist.lock.yaml', '--suggest-hoist']);
    expect(none.out).toContain('hoist plan (nothing written): nothing to hoist');
  });

  it('on a manifest of packages, with a command-line opt-out', async () => {
    const r = await cli([
      'check',
      'corpus/families/rp004-shareable-duplicate.yaml',
      '--suggest-hoist',
      '--hoist-never',
      'libxml*',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'left: libxml2-2.9.13-6.el9.x86_64 in navigation, media (→ platform would save 45 B)',
    );
    expect(r.out).toContain(
      '    blocked by opt-out: `libxml2-2.9.13-6.el9.x86_64` is never hoisted (`libxml*`)',
    );
  });
});

describe('usage errors', () => {
  it('exit 2', async () => {
    const f = 'corpus/families/requests/hoist.yaml';
    expect((await cli(['lock', f, '--hoist', '--no-hoist'])).code).toBe(2);
    const unknown = await cli([
      'lock',
      f,
      '--hoist',
      '--hoist-isolate',
      'nope',
      '--lockfile',
      join(tmp, 'x.yaml'),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain(
      '--hoist-isolate: unknown node `nope`; nodes of the family: host, platform, navigation, media, tools',
    );
    expect((await cli(['check', f, '--hoist-never', 'x'])).code).toBe(2);
  });
});
