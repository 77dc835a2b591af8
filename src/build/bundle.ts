/**
 * Build step (`npm run build`, after tsc and validators.ts): bundles the program into dist/bin/ as
 * three CommonJS files (dist/bin/package.json says so):
 * - redproof-main.js, the whole command line in one file (wasm/dist/libsolv.mjs's glue included);
 * - redproof.js, package.json's `bin`: the launcher (src/launch/launch.ts), which compiles
 *   redproof-main.js with a V8 code cache (docs/decisions/0008-code-cache.md);
 * - installcheck-worker.js, repo-check's worker thread.
 * Node 20 has no compile cache: resolving, reading and linking ~200 small modules took 40-50 ms of every
 * run (docs/decisions/0007-bundled-program.md), and compiling the program's functions again 20-30 ms
 * (0008). The tsc output in dist/ stays the library (`exports`) and stays runnable unbundled
 * (`node dist/bin.js`). Run as `node dist/build/bundle.js`.
 * @internal
 */
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

/**
 * Packages left to Node's resolution at run time: sql.js finds its .wasm beside its own file, the
 * CycloneDX library requires optional serialisers by computed names, and spdx-correct is required on
 * first use (src/policy/licenses/normalize.ts: its load costs 9 ms); all are off the hot path.
 */
export const EXTERNAL = ['sql.js', '@cyclonedx/cyclonedx-library', 'spdx-correct'];

/** The launcher's name for the program beside it. */
export const PROGRAM_FILE = 'redproof-main.js';

/**
 * The sources are ES modules: in CommonJS, `import.meta.url` becomes the URL of the bundle file. Every
 * bundle lands in dist/bin/, at the depth of dist/engine/ or dist/load/, so the modules' relative URLs
 * (`../../wasm/dist/`, `../../package.json`, `../generated/`) still find the package's files.
 */
const commonjs: BuildOptions = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  define: { 'import.meta.url': '__rp_import_meta_url' },
  // "use strict" first, or the directive esbuild writes after the banner would not count: the sources are
  // ES modules, which are strict
  banner: {
    js: '"use strict";\nvar __rp_import_meta_url = require("node:url").pathToFileURL(__filename).href;',
  },
  legalComments: 'none',
  logLevel: 'warning',
};

/** Bundles `distDir`'s program into `distDir/bin/`. */
export async function bundleProgram(distDir: URL): Promise<void> {
  const at = (p: string) => fileURLToPath(new URL(p, distDir));
  // an earlier layout (ES module chunks) would otherwise stay beside the new files
  rmSync(at('bin'), { recursive: true, force: true });
  await build({
    ...commonjs,
    entryPoints: [
      // cli.js runs nothing: the launcher calls the runProgram() it exports (dist/bin.js's own call,
      // and its hashbang, would not fit inside the launcher's function wrapper)
      { in: at('cli.js'), out: PROGRAM_FILE.replace(/\.js$/, '') },
      // parallel-installcheck.js starts `./installcheck-worker.js` beside its own (bundled) module
      { in: at('engine/installcheck-worker.js'), out: 'installcheck-worker' },
    ],
    outdir: at('bin'),
  });
  writeFileSync(at('bin/package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  const program = readFileSync(at(`bin/${PROGRAM_FILE}`));
  await build({
    ...commonjs,
    entryPoints: [{ in: at('launch/launch.js'), out: 'redproof' }],
    outdir: at('bin'),
    banner: { js: `#!/usr/bin/env node\n${commonjs.banner!.js}` },
    define: {
      __RP_PROGRAM__: JSON.stringify(PROGRAM_FILE),
      __RP_PROGRAM_SHA256__: JSON.stringify(createHash('sha256').update(program).digest('hex')),
    },
  });
  chmodSync(at('bin/redproof.js'), 0o755);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundleProgram(new URL('../', import.meta.url));
}
