/**
 * Build step (`npm run build`, after tsc and validators.ts): bundles the program into dist/bin/, one ES
 * module for the command line (redproof.js, package.json's `bin`) and one for the installcheck worker,
 * with the modules both share, and those of a command loaded on demand, in chunks beside them. Node 20
 * has no compile cache, and resolving, reading and linking ~200 small modules (ours and yaml's) took
 * 40-50 ms of every run (docs/decisions/0007-bundled-program.md). The tsc output in dist/ stays the
 * library (`exports`) and stays runnable unbundled (`node dist/bin.js`). Run as `node dist/build/bundle.js`.
 * @internal
 */
import { chmodSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Packages left to Node's resolution at run time: sql.js finds its .wasm beside its own file, the
 * CycloneDX library requires optional serialisers by computed names, and spdx-correct is required on
 * first use (src/policy/licenses/normalize.ts: its load costs 9 ms); all are off the hot path.
 */
export const EXTERNAL = ['sql.js', '@cyclonedx/cyclonedx-library', 'spdx-correct'];

/**
 * Bundles `distDir`'s program into `distDir/bin/`. The output sits at the same depth as dist/engine/ or
 * dist/load/, because modules find package files relative to their own URL (`../../wasm/dist/`,
 * `../../package.json`, `../generated/`), and every chunk lands in bin/.
 */
export async function bundleProgram(distDir: URL): Promise<void> {
  const at = (p: string) => fileURLToPath(new URL(p, distDir));
  // chunk names are content hashes: the chunks of an earlier build would stay beside the new ones
  rmSync(at('bin'), { recursive: true, force: true });
  await build({
    entryPoints: [
      { in: at('bin.js'), out: 'redproof' },
      // parallel-installcheck.js starts `./installcheck-worker.js` beside its own (bundled) module
      { in: at('engine/installcheck-worker.js'), out: 'installcheck-worker' },
    ],
    outdir: at('bin'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // CommonJS dependencies (yaml, ajv's runtime) call require(); an ES module has none of its own
    banner: {
      js: "import { createRequire as __rpRequire } from 'node:module'; const require = __rpRequire(import.meta.url);",
    },
    chunkNames: 'chunk-[hash]',
    legalComments: 'none',
    logLevel: 'warning',
  });
  chmodSync(at('bin/redproof.js'), 0o755);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundleProgram(new URL('../', import.meta.url));
}
