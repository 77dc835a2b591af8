/**
 * The shipped program is what `npm run build` writes into dist/bin/ (src/build/bundle.ts): the launcher
 * dist/bin/redproof.js, which compiles the bundled program redproof-main.js with a V8 code cache
 * (src/launch/launch.ts), and the installcheck worker. It must behave as the sources do: run main once,
 * find the package's files from dist/bin/ (libsolv.wasm, the rule pages, the generated validators), and
 * the code cache must change nothing but the start-up time, whatever state its directory is in.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXTERNAL } from '../src/build/bundle.js';
import { requireFreshBuild } from './helpers/built.js';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'dist/bin/redproof.js');
const cache = mkdtempSync(join(tmpdir(), 'redproof-bundle-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

function run(program: string[], args: string[], xdg = cache) {
  const r = spawnSync(process.execPath, [...program, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: xdg },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const bundled = (...args: string[]) => run([BIN], args);
/** A fresh XDG_CACHE_HOME, and the code cache files the launcher left in it. */
function freshCache() {
  const xdg = mkdtempSync(join(cache, 'xdg-'));
  const codeDir = join(xdg, 'redproof', 'code');
  const files = () => {
    try {
      return readdirSync(codeDir).sort();
    } catch {
      return [];
    }
  };
  return { xdg, codeDir, files };
}
const sources = (...args: string[]) => run(['--import', 'tsx', join(ROOT, 'src/bin.ts')], args);

describe('the bundled program (dist/bin/redproof.js)', () => {
  requireFreshBuild();

  it('runs main once: --version prints one line', () => {
    const r = bundled('--version');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.out).toBe(sources('--version').out);
  });

  it('proves the example family exactly as the sources do (JSON and text, exit code)', () => {
    for (const format of ['json', 'text']) {
      const b = bundled('check', 'corpus/families/coherent.yaml', '--format', format);
      const s = sources('check', 'corpus/families/coherent.yaml', '--format', format);
      expect(b.code).toBe(0);
      expect(b.err).toBe(s.err);
      expect(b.out).toBe(s.out);
      expect(b.out.length).toBeGreaterThan(100);
    }
  });

  it('reads licenses through spdx-correct, required on first use, as the sources do', () => {
    const args = ['check', 'corpus/families/coherent.yaml', '--policy', 'corpus/policies/example.yaml'];
    const b = bundled(...args, '--format', 'json');
    const s = sources(...args, '--format', 'json');
    expect(b.code).toBe(1);
    expect(b.out).toBe(s.out);
    // the evidence that comes from normalizing `MIT`
    expect(b.out).toContain('reads as SPDX `MIT`');
  });

  it('finds the rule pages and the generated validators from its chunks', () => {
    const explain = bundled('explain', 'RP001');
    expect(explain.code).toBe(0);
    expect(explain.out).toBe(sources('explain', 'RP001').out);
    // a waivers file goes through the generated validator: a bad one is an input error (exit 3), not a crash
    const bad = bundled('check', 'corpus/families/coherent.yaml', '--waivers', 'package.json');
    expect(bad.code).toBe(
      sources('check', 'corpus/families/coherent.yaml', '--waivers', 'package.json').code,
    );
    expect(bad.err).not.toMatch(/internal error|at .*\.js:\d+/);
  });

  it('leaves only the packages it names to run-time resolution, and imports nothing (CommonJS)', () => {
    const files = readdirSync(join(ROOT, 'dist/bin')).filter((f) => f.endsWith('.js'));
    expect(files.sort()).toEqual(['installcheck-worker.js', 'redproof-main.js', 'redproof.js']);
    expect(JSON.parse(readFileSync(join(ROOT, 'dist/bin/package.json'), 'utf8'))).toEqual({
      type: 'commonjs',
    });
    // strict, as the ES modules they are made of: the directive must come first (after a hashbang)
    for (const f of files) {
      expect(readFileSync(join(ROOT, 'dist/bin', f), 'utf8').replace(/^#!.*\n/, '')).toMatch(
        /^"use strict";\n/,
      );
    }
    const required = new Set<string>();
    for (const f of files) {
      const text = readFileSync(join(ROOT, 'dist/bin', f), 'utf8');
      // a script compiled by the launcher has no loader for import(): it would throw at run time
      // (`{import('./x.js').default}` is a JSDoc type in a dependency's comments)
      expect(text).not.toMatch(/(?<![{\w.$])import\(/);
      for (const m of text.matchAll(/\brequire\("([^"]+)"\)/g)) {
        if (!m[1]!.startsWith('node:') && !m[1]!.startsWith('./')) required.add(m[1]!);
      }
    }
    const builtins = new Set(['fs', 'path', 'util', 'process', 'buffer', 'os', 'crypto', 'stream', 'url']);
    const packages = [...required].filter((p) => !builtins.has(p));
    expect(packages.sort()).toEqual([...EXTERNAL].filter((p) => required.has(p)).sort());
  });

  it('writes a code cache on its first run and reads it back on the next, with the same output', () => {
    const c = freshCache();
    const args = ['check', 'corpus/families/coherent.yaml', '--format', 'json'];
    const first = run([BIN], args, c.xdg);
    expect(first.code).toBe(0);
    expect(first.err).toBe('');
    const written = c.files();
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(new RegExp(`^check-[0-9a-f]{16}-${process.version}-${process.arch}\\.v8$`));
    const file = join(c.codeDir, written[0]!);
    const before = { size: statSync(file).size, mtime: statSync(file).mtimeMs };
    expect(before.size).toBeGreaterThan(10_000);
    const second = run([BIN], args, c.xdg);
    expect(second).toEqual(first);
    // accepted, so not written again
    expect({ size: statSync(file).size, mtime: statSync(file).mtimeMs }).toEqual(before);
    expect(second.out).toBe(sources(...args).out);
  });

  it('replaces a damaged or foreign code cache instead of trusting it, and the run is unchanged', () => {
    const c = freshCache();
    const args = ['explain', 'RP001'];
    const clean = run([BIN], args, c.xdg);
    const file = join(c.codeDir, c.files()[0]!);
    const good = readFileSync(file);
    for (const bad of [
      Buffer.from('not a code cache'),
      Buffer.alloc(good.length, 0x5a),
      good.subarray(0, 64),
    ]) {
      writeFileSync(file, bad);
      const r = run([BIN], args, c.xdg);
      expect(r).toEqual(clean);
      expect(readFileSync(file).equals(bad)).toBe(false);
      expect(readFileSync(file).length).toBeGreaterThan(1_000);
    }
  });

  it('writes no code cache with --no-cache, and follows --cache-dir', () => {
    const c = freshCache();
    const args = ['check', 'corpus/families/coherent.yaml'];
    expect(run([BIN], [...args, '--no-cache'], c.xdg).code).toBe(0);
    expect(c.files()).toEqual([]);
    const dir = mkdtempSync(join(cache, 'dir-'));
    expect(run([BIN], [...args, '--cache-dir', dir], c.xdg).code).toBe(0);
    expect(c.files()).toEqual([]);
    expect(readdirSync(join(dir, 'code'))).toHaveLength(1);
  });

  it('runs unchanged when its cache directory cannot be written', () => {
    const notADir = join(cache, 'a-file');
    writeFileSync(notADir, 'x');
    const r = run([BIN], ['check', 'corpus/families/coherent.yaml', '--format', 'json'], notADir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(sources('check', 'corpus/families/coherent.yaml', '--format', 'json').out);
  });

  it('keeps one code cache per command: a new build prunes the files of older ones', () => {
    const c = freshCache();
    run([BIN], ['explain', 'RP001'], c.xdg);
    const [current] = c.files();
    const stale = current!.replace(/-[0-9a-f]{16}-/, '-0123456789abcdef-');
    writeFileSync(join(c.codeDir, stale), 'old build');
    writeFileSync(join(c.codeDir, current!), 'damaged');
    run([BIN], ['explain', 'RP001'], c.xdg);
    expect(c.files()).toEqual([current]);
    // the files of other commands stay, `check` and `repo-check` alike
    run([BIN], ['check', 'corpus/families/coherent.yaml'], c.xdg);
    run([BIN], ['repo-check', '--repo', 'corpus/repos/clean'], c.xdg);
    const names = c.files().map((f) => f.replace(/-[0-9a-f]{16}-.*$/, ''));
    expect(names).toEqual(['check', 'explain', 'repo-check']);
    for (const f of c.files()) writeFileSync(join(c.codeDir, f), 'damaged');
    run([BIN], ['check', 'corpus/families/coherent.yaml'], c.xdg);
    expect(c.files().map((f) => f.replace(/-[0-9a-f]{16}-.*$/, ''))).toEqual(names);
  });
});
