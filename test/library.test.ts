import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import * as redproof from '../src/index.js';
import { compileSchema, errorsOf, repoPath } from './reporters/schema-helpers.js';

/*
 * The library entry point (`import ... from 'redproof'`, here src/index.ts): the documented example of
 * docs/library.md runs as written, and the checks and reporters work in-process.
 */

const tmp = mkdtempSync(join(tmpdir(), 'redproof-library-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const multitoolDir = ['linux', 'darwin', 'win32']
  .map((os) => repoPath(`node_modules/@microsoft/sarif-multitool-${os}`))
  .find((dir) => existsSync(join(dir, 'sarif-2.1.0.json')));
if (!multitoolDir) throw new Error('@microsoft/sarif-multitool is not installed (npm ci)');
const validateSarif = compileSchema(join(multitoolDir, 'sarif-2.1.0.json'));
const validateJson = compileSchema(repoPath('schema/result-v1.schema.json'));

/** The first ```ts block of docs/library.md, importing from this checkout instead of the npm package. */
function documentedExample(): string {
  const doc = readFileSync(repoPath('docs/library.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/library.md has no ```ts example');
  const index = pathToFileURL(repoPath('src/index.ts')).href;
  const code = block.replace(/from 'redproof';/, `from '${index}';`);
  if (code === block) throw new Error("the example does not import from 'redproof'");
  return code;
}

type ProveFamily = (
  manifestFile: string,
  sarifFile: string,
) => Promise<{ result: redproof.CheckResult; code: number }>;

describe('library API (src/index.ts)', () => {
  it('runs the example of docs/library.md as written', async () => {
    // The example proves `corpus/families/coherent.yaml` and writes `redproof.sarif`, both relative to the
    // working directory: run it in a temporary one that holds (a link to) the corpus.
    const cwd = process.cwd();
    const file = join(tmp, 'example.ts');
    writeFileSync(file, documentedExample());
    symlinkSync(repoPath('corpus'), join(tmp, 'corpus'));
    const log: string[] = [];
    const consoleLog = console.log;
    let mod: { proveFamily: ProveFamily };
    try {
      process.chdir(tmp);
      console.log = (...args: unknown[]) => log.push(args.join(' '));
      mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { proveFamily: ProveFamily };
    } finally {
      console.log = consoleLog;
      process.chdir(cwd);
    }
    expect(log).toEqual(['0 findings, exit code 0']);
    const clean = JSON.parse(readFileSync(join(tmp, 'redproof.sarif'), 'utf8'));
    expect(validateSarif(clean), errorsOf(validateSarif).join('\n')).toBe(true);
    expect(clean.runs[0].results).toEqual([]);

    // and the exported function on a family with a finding
    const sarifFile = join(tmp, 'rp001.sarif');
    const { result, code } = await mod.proveFamily(
      repoPath('corpus/families/rp001-unresolved.yaml'),
      sarifFile,
    );
    expect(code).toBe(1);
    expect(result.findings.map((f) => f.rule)).toEqual(['RP001']);
    const log2 = JSON.parse(readFileSync(sarifFile, 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    expect(validateSarif(log2), errorsOf(validateSarif).join('\n')).toBe(true);
    expect(log2.runs[0]!.results.map((r) => r.ruleId)).toEqual(['RP001']);
  });

  it('familyCheck + getReporter("sarif") in-process, with one shared engine', async () => {
    const engine = await redproof.loadEngine();
    const manifestFile = 'corpus/families/rp004-shareable-duplicate.yaml';
    const manifestText = readFileSync(repoPath(manifestFile), 'utf8');
    const options = { manifestText, manifestFile, manifestAbsDir: repoPath('corpus/families') };
    const result = await redproof.familyCheck(redproof.createNodeHost(), options, engine);
    const again = await redproof.familyCheck(redproof.createNodeHost(), options, engine);
    expect(again).toEqual(result);

    expect(result.command).toBe('check');
    expect(result.tool).toMatchObject({
      name: 'redproof',
      version: redproof.TOOL_VERSION,
      libsolv: '0.7.23',
    });
    expect(result.findings.map((f) => [f.rule, f.level, f.nodes])).toEqual([
      ['RP004', 'warning', ['navigation', 'media']],
    ]);
    expect(redproof.exitCode(result, 'error')).toBe(0);
    expect(redproof.exitCode(result, 'warning')).toBe(1);

    const sarifReporter = redproof.getReporter('sarif');
    expect(sarifReporter).toBe(redproof.sarifReporter);
    const sarif = JSON.parse(sarifReporter!(result, { sources: new Map([[manifestFile, manifestText]]) }));
    expect(validateSarif(sarif), errorsOf(validateSarif).join('\n')).toBe(true);
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('redproof');
    expect(run.results).toHaveLength(1);
    expect(run.results[0]).toMatchObject({ ruleId: 'RP004', level: 'warning' });
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(manifestFile);

    const json = JSON.parse(redproof.getReporter('json')!(result));
    expect(validateJson(json), errorsOf(validateJson).join('\n')).toBe(true);
    expect(Object.keys(redproof.REPORTERS).sort()).toEqual([
      'github',
      'gitlab',
      'json',
      'junit',
      'markdown',
      'sarif',
      'text',
    ]);
    expect(redproof.getReporter('html')).toBeUndefined();
  });

  it('waivers through the library suppress a finding and change the exit code', async () => {
    const manifestFile = 'corpus/families/rp003-ancestor-duplicate.yaml';
    const result = await redproof.familyCheck(redproof.createNodeHost(), {
      manifestText: readFileSync(repoPath(manifestFile), 'utf8'),
      manifestFile,
      manifestAbsDir: repoPath('corpus/families'),
    });
    expect(redproof.exitCode(result, 'error')).toBe(1);
    const { waivers } = redproof.parseWaivers(
      'version: 1\nwaivers:\n  - rule: RP003\n    reason: forked openssl until the next release\n',
      'waivers.yaml',
    );
    const waived = redproof.applyWaivers(result, waivers, '2026-01-01');
    expect(redproof.exitCode(waived, 'error')).toBe(0);
    const sarif = JSON.parse(redproof.sarifReporter(waived));
    expect(sarif.runs[0].results[0].suppressions[0]).toMatchObject({
      kind: 'external',
      justification: expect.stringContaining('forked openssl until the next release'),
    });
  });

  it('input problems throw typed errors with a location', async () => {
    const manifestFile = 'corpus/families/bad-unknown-parent.yaml';
    const failure = await redproof
      .familyCheck(redproof.createNodeHost(), {
        manifestText: readFileSync(repoPath(manifestFile), 'utf8'),
        manifestFile,
        manifestAbsDir: repoPath('corpus/families'),
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const errors = failure instanceof redproof.InputErrors ? failure.errors : [failure];
    expect(errors[0]).toBeInstanceOf(redproof.InputError);
    expect(errors[0]).toMatchObject({ kind: 'unknown-parent', file: manifestFile, line: 16, column: 13 });
    expect(redproof.findRule('RP001')?.slug).toBe('unresolved-dependency');
  });
});
