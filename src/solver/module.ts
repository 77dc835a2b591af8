import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EngineError } from './errors.js';
import { delayTierUp } from './tier-up.js';

export { WASM_TIERING_BUDGET } from './tier-up.js';

/** The raw emscripten module (wasm/dist/libsolv.mjs). @internal Only src/solver/ touches it. */
export interface RawModule {
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  FS: {
    mkdir(path: string): void;
    writeFile(path: string, data: Uint8Array): void;
    readFile(path: string): Uint8Array;
    unlink(path: string): void;
    mount(type: unknown, opts: { root: string }, mountpoint: string): void;
    unmount(mountpoint: string): void;
    rmdir(path: string): void;
  };
  NODEFS: unknown;
  UTF8ToString(ptr: number, max?: number): string;
  stringToUTF8(s: string, ptr: number, max: number): void;
  lengthBytesUTF8(s: string): number;
  _malloc(n: number): number;
  _free(p: number): void;
  // The rp_* C API of wasm/src/glue.c (pointers and ints in, ints out).
  _rp_debug_trap(...args: number[]): number;
  _rp_evrcmp(...args: number[]): number;
  _rp_glue_version(...args: number[]): number;
  _rp_installcheck(...args: number[]): number;
  _rp_installcheck_candidates(...args: number[]): number;
  _rp_libsolv_version(...args: number[]): number;
  _rp_list(...args: number[]): number;
  _rp_live_objects(...args: number[]): number;
  _rp_out_len(...args: number[]): number;
  _rp_out_ptr(...args: number[]): number;
  _rp_out_reset(...args: number[]): number;
  _rp_peek(...args: number[]): number;
  _rp_pool_arches(...args: number[]): number;
  _rp_pool_create(...args: number[]): number;
  _rp_pool_disttype(...args: number[]): number;
  _rp_pool_errstr(...args: number[]): number;
  _rp_pool_free(...args: number[]): number;
  _rp_pool_nsolvables(...args: number[]): number;
  _rp_pool_prepare(...args: number[]): number;
  _rp_pool_setarch(...args: number[]): number;
  _rp_pool_set_considered(...args: number[]): number;
  _rp_pool_set_installed(...args: number[]): number;
  _rp_repo_add_file(...args: number[]): number;
  _rp_repo_add_rpmheader(...args: number[]): number;
  _rp_repo_create(...args: number[]): number;
  _rp_repo_end(...args: number[]): number;
  _rp_repo_free(...args: number[]): number;
  _rp_repo_internalize(...args: number[]): number;
  _rp_repo_nsolvables(...args: number[]): number;
  _rp_repo_start(...args: number[]): number;
  _rp_repo_write_solv(...args: number[]): number;
  _rp_select(...args: number[]): number;
  _rp_solvable_info(...args: number[]): number;
  _rp_solvable_files(...args: number[]): number;
  _rp_shared_paths(...args: number[]): number;
  _rp_solve(...args: number[]): number;
  _rp_testcase_run(...args: number[]): number;
  _rp_dir_entries(...args: number[]): number;
  _rp_unmet_requires(...args: number[]): number;
  _rp_view_conflicts(...args: number[]): number;
  _rp_view_installs_trivially(...args: number[]): number;
  _rp_whatprovides(...args: number[]): number;
  _rp_repo_add_copies(...args: number[]): number;
  _rp_pool_refresh(...args: number[]): number;
  _rp_selection(...args: number[]): number;
  _rp_requirers(...args: number[]): number;
  _rp_advisories(...args: number[]): number;
}

/** Version of the C glue this facade speaks (RP_GLUE_VERSION in wasm/src/glue.c). */
export const GLUE_VERSION = 7;

/** What the module wrote on stderr during the current call (libsolv is otherwise silent). @internal */
export const lastStderr = { text: '' };

const distUrl = new URL('../../wasm/dist/', import.meta.url);

let loadedBinary: Uint8Array | undefined;
let binarySha256: string | undefined;

/**
 * sha256 (hex) of the libsolv.wasm this thread instantiated: what a memory image of a pool was made by
 * (src/solver/image.ts). Computed on first use only (3 ms).
 * @internal
 */
export function moduleSha256(): string {
  if (!loadedBinary) throw new EngineError('load', 'no libsolv module was instantiated in this thread');
  binarySha256 ??= createHash('sha256').update(loadedBinary).digest('hex');
  return binarySha256;
}

/**
 * Instantiates a fresh module. The .wasm bytes are read once per thread and passed in, because the
 * emscripten loader would otherwise try Node's fetch on a file path (WASM-NOTES.md).
 * @internal
 */
export async function instantiate(): Promise<RawModule> {
  delayTierUp();
  let factory: (opts: object) => Promise<RawModule>;
  let wasmBinary: Uint8Array;
  try {
    wasmBinary = readFileSync(new URL('libsolv.wasm', distUrl));
    loadedBinary = wasmBinary;
    // A literal specifier, so that the bundler takes the glue into the program (src/build/bundle.ts);
    // `as string` keeps tsc from looking for its types (emscripten ships none).
    factory = (await import('../../wasm/dist/libsolv.mjs' as string)).default;
  } catch (cause) {
    throw new EngineError('load', `loading the libsolv engine from ${distUrl.pathname}: ${String(cause)}`, {
      cause,
    });
  }
  const m = await factory({
    wasmBinary,
    // libsolv writes nothing on stdout/stderr in normal use; keep anything it does say out of reports
    print: () => {},
    // libsolv's solv_oom() says "Out of memory" on stderr just before it aborts: keep the last line so
    // the facade can tell memory exhaustion from other aborts.
    printErr: (line: string) => {
      lastStderr.text = `${lastStderr.text}${line}\n`.slice(-4096);
    },
  });
  const glue = m._rp_glue_version();
  if (glue !== GLUE_VERSION) {
    throw new EngineError(
      'load',
      `wasm/dist/libsolv.wasm speaks glue version ${glue}, expected ${GLUE_VERSION}: rebuild it`,
    );
  }
  return m;
}
