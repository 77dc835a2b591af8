import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The published package works on its own: `npm pack` (with the dist/ that `npm ci` builds through
 * `prepare`), installed into a fresh project as a user would, runs `redproof --version` and proves the
 * coherent example family, libsolv.wasm and the rule pages included, no sources or fixtures shipped.
 */

const root = new URL('..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'redproof-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Children get the environment without the npm_* variables of an enclosing `npm test` (npm_config_prefix,
// npm_package_*, ...), which would otherwise steer the nested npm; the user's cache and registry stay.
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !k.startsWith('npm_') || /^npm_config_(cache|registry|userconfig)$/.test(k),
  ),
);

function npm(args: string[], cwd: string): { status: number | null; out: string } {
  const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

let tarball = '';
let files: string[] = [];
const project = join(tmp, 'project');
const bin = join(project, 'node_modules', '.bin', 'redproof');

/** Newest modification time of the files under `dir` with one of `exts` (0 when there is none). */
function newest(dir: string, exts: string[]): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && exts.some((e) => entry.name.endsWith(e))) {
      t = Math.max(t, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return t;
}

/**
 * Entry names of a .tgz, as `tar -tzf` lists them (read here so the unit suite needs no tar binary):
 * ustar headers (name with its prefix field) and pax `path=` records, which npm writes for long names.
 */
function tarEntries(tgz: Buffer): string[] {
  const tar = gunzipSync(tgz);
  const field = (b: Buffer, start: number, len: number) =>
    b.toString('utf8', start, start + len).replace(/\0.*$/s, '');
  const names: string[] = [];
  let paxPath: string | undefined;
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const size = Number.parseInt(field(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156] ?? 0);
    const body = tar.subarray(off + 512, off + 512 + size);
    if (type === 'x') {
      paxPath = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))?.[1];
    } else if (type !== 'g') {
      const prefix = field(h, 345, 155);
      names.push(paxPath ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100)));
      paxPath = undefined;
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

beforeAll(() => {
  // `npm ci` builds dist/ through `prepare`; a checkout whose sources changed since is rebuilt first.
  const built = existsSync(join(root, 'dist', 'cli.js')) && existsSync(join(root, 'dist', 'index.js'));
  if (!built || newest(join(root, 'src'), ['.ts']) > newest(join(root, 'dist'), ['.js'])) {
    const build = npm(['run', 'build'], root);
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.out}`);
  }
  // --ignore-scripts: pack the dist/ that is there (`prepare` already built it at `npm ci`) instead of
  // recompiling the working tree in the middle of the test run.
  const out = join(tmp, 'out');
  mkdirSync(out);
  const pack = npm(['pack', '--ignore-scripts', '--pack-destination', out], root);
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.out}`);
  const name = readdirSync(out).find((f) => f.endsWith('.tgz'));
  if (!name) throw new Error(`npm pack wrote no tarball:\n${pack.out}`);
  tarball = join(out, name);
  files = tarEntries(readFileSync(tarball)).map((f) => f.replace(/^package\//, ''));

  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'redproof-pack-test', version: '0.0.0', private: true, type: 'module' })}\n`,
  );
  // Dependencies come from the local npm cache (filled by `npm ci`); online only if the cache lacks one.
  let install = npm(['install', '--offline', '--no-audit', '--no-fund', tarball], project);
  if (install.status !== 0) install = npm(['install', '--no-audit', '--no-fund', tarball], project);
  if (install.status !== 0) throw new Error(`npm install of the tarball failed:\n${install.out}`);

  // The example family and its repository, as a user's checkout would hold them.
  mkdirSync(join(project, 'families'));
  cpSync(join(root, 'corpus/families/coherent.yaml'), join(project, 'families/coherent.yaml'));
  cpSync(join(root, 'corpus/repos/demo'), join(project, 'repos/demo'), { recursive: true });
}, 300_000);

function redproof(...args: string[]) {
  const r = spawnSync(bin, args, {
    cwd: project,
    env: { ...env, NO_COLOR: '1', XDG_CACHE_HOME: join(tmp, 'cache') },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm pack', () => {
  it('ships the engine, the rule pages, the schemas and the build, and nothing of the sources', () => {
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    expect(files).toContain('dist/bin/redproof.js');
    expect(files).toContain('dist/bin/installcheck-worker.js');
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    // The schema validators the build generates (no ajv compile at run time).
    expect(files).toContain('dist/generated/family-v1.validate.cjs');
    expect(files).toContain('dist/generated/waivers-v1.validate.cjs');
    expect(files).toContain('wasm/dist/libsolv.wasm');
    expect(files).toContain('wasm/dist/libsolv.mjs');
    expect(files).toContain('rules/RP001-unresolved-dependency.md');
    expect(files).toContain('schema/result-v1.schema.json');
    expect(files.filter((f) => /^(test|corpus|src|bench|node_modules)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /^wasm\/(src|build\.sh|verify\.sh)/.test(f))).toEqual([]);
  });

  it('installed from the tarball, `redproof --version` names the tool and libsolv', () => {
    const r = redproof('--version');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^redproof \d+\.\d+\.\d+ .*libsolv 0\.7\.23/);
  });

  it('installed from the tarball, `redproof check` proves the coherent example family (exit 0)', () => {
    const r = redproof(
      'check',
      'families/coherent.yaml',
      '--json',
      'out/result.json',
      '--sarif',
      'out/r.sarif',
    );
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^PASS: 0 errors/m);
    expect(r.code).toBe(0);
    expect(existsSync(join(project, 'out/result.json'))).toBe(true);
    expect(existsSync(join(project, 'out/r.sarif'))).toBe(true);
  });

  it('installed from the tarball, `redproof explain` reads the packaged rule page', () => {
    const r = redproof('explain', 'RP001');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/unresolved-dependency/);
  });

  it('installed from the tarball, the library entry point imports (exports map)', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const m = await import('redproof'); console.log(typeof m.familyCheck, typeof m.getReporter, m.TOOL_VERSION)",
      ],
      { cwd: project, env, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toMatch(/^function function \d+\.\d+\.\d+$/);
  });
});
