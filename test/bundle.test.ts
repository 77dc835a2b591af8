/**
 * The shipped program is the bundle `npm run build` writes (dist/bin/redproof.js, src/build/bundle.ts).
 * It must behave as the sources do: run main once (cli.ts's code shares the entry file, so a main-module
 * test there would run it twice), find the package's files from its chunks (libsolv.wasm, the rule
 * pages, the generated validators) and start its installcheck workers from dist/bin/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXTERNAL } from '../src/build/bundle.js';
import { requireFreshBuild } from './helpers/built.js';

const ROOT = new URL('..', import.meta.url).pathname;
const BIN = join(ROOT, 'dist/bin/redproof.js');
const cache = mkdtempSync(join(tmpdir(), 'redproof-bundle-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

function run(program: string[], args: string[]) {
  const r = spawnSync(process.execPath, [...program, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cache },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const bundled = (...args: string[]) => run([BIN], args);
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

  it('leaves only the packages it names to run-time resolution', () => {
    const chunks = readdirSync(join(ROOT, 'dist/bin')).filter((f) => f.endsWith('.js'));
    expect(chunks).toContain('installcheck-worker.js');
    const imported = new Set<string>();
    for (const f of chunks) {
      const text = readFileSync(join(ROOT, 'dist/bin', f), 'utf8');
      const statics = text.matchAll(/^(?:import|export)\b[^\n]*?from\s*"([^"]+)";?$/gm);
      const dynamics = text.matchAll(/\bimport\("([^"]+)"\)/g);
      for (const m of [...statics, ...dynamics]) {
        if (!m[1]!.startsWith('node:') && !m[1]!.startsWith('./')) imported.add(m[1]!);
      }
    }
    expect([...imported].sort()).toEqual([...EXTERNAL].filter((p) => imported.has(p)).sort());
  });
});
