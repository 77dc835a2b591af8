// bench/lib/native.mjs — locate or build the native reference libsolv tools.
//
//   import { ensureNative, nativeTool } from './native.mjs';
//   const bin = ensureNative();              // builds once via bench/native/build.sh (idempotent)
//   const ic = nativeTool('installcheck');   // absolute path
//
// Native dir: $NATIVE_DIR, default <repo>/.cache/native (see bench/native/build.sh). Pass
// { cflags: '-O3', dir: '.cache/native-O3' } for an -O3 build beside the default one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BUILD_SCRIPT = join(REPO_ROOT, 'bench/native/build.sh');

export function nativeDir(dir) {
  return resolve(REPO_ROOT, dir ?? process.env.NATIVE_DIR ?? '.cache/native');
}

/** True when the native tools exist and build.sh's stamp is there (does not check the flags). */
export function haveNative(dir) {
  const d = nativeDir(dir);
  return (
    existsSync(join(d, 'stamp')) &&
    existsSync(join(d, 'bin/testsolv')) &&
    existsSync(join(d, 'bin/installcheck'))
  );
}

/** Absolute path of a native tool (testsolv, installcheck, rpmmd2solv, ...). */
export function nativeTool(name, dir) {
  return join(nativeDir(dir), 'bin', name);
}

/** Patched libsolv source tree kept by build.sh (holds test/testcases). */
export function nativeSrc(dir) {
  return join(nativeDir(dir), 'src');
}

/**
 * Run build.sh (a no-op when the stamp matches) and return the bin dir. Throws on failure.
 * Options: dir, cflags (default: $CFLAGS or -O2), quiet (default false: build log to stderr).
 */
export function ensureNative({ dir, cflags, quiet = false } = {}) {
  const env = { ...process.env, NATIVE_DIR: nativeDir(dir) };
  if (cflags) env.CFLAGS = cflags;
  const r = spawnSync('bash', [BUILD_SCRIPT], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'],
  });
  if (r.status !== 0) throw new Error(`bench/native/build.sh failed (${r.status}): ${r.stderr ?? ''}`);
  const m = /^NATIVE_BIN=(.*)$/m.exec(r.stdout);
  if (!m) throw new Error('bench/native/build.sh printed no NATIVE_BIN=');
  return m[1];
}
