/**
 * The program's first module (package.json `bin`: dist/bin/redproof.js, built from here by
 * src/build/bundle.ts). It compiles the bundled program beside it (dist/bin/redproof-main.js) with a V8
 * code cache: Node 20 has no compile cache of its own, and compiling the program's functions again on
 * every run cost 20-30 ms of a 0.2 s run (docs/decisions/0008-code-cache.md). The cache changes how fast
 * the program starts, never what it does: any failure to read or write it is ignored, and a cache V8
 * refuses (another V8, other flags, a damaged file) is replaced at exit.
 */
import {
  closeSync,
  constants,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { delayTierUp } from '../solver/tier-up.js';
import { codeCacheFile, isStaleCodeCache } from './code-cache.js';

/** Set by the bundler: the program's file name beside this one, and the sha256 of its bytes. */
declare const __RP_PROGRAM__: string;
declare const __RP_PROGRAM_SHA256__: string;

/** Largest cache file offered to V8 (the program's caches are ~0.5 MB). */
const MAX_CACHE = 64 * 1024 * 1024;

function readCache(file: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile() || st.size === 0 || st.size > MAX_CACHE) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes through a new file (O_EXCL: never through a planted symlink) renamed over the old one. */
function writeCache(file: string, data: Buffer): void {
  try {
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const tmp = join(dir, `.tmp-${process.pid}-${Date.now()}`);
    writeFileSync(tmp, data, { flag: 'wx', mode: 0o644 });
    renameSync(tmp, file);
    const name = basename(file);
    for (const f of readdirSync(dir)) if (isStaleCodeCache(name, f)) rmSync(join(dir, f), { force: true });
  } catch {
    // a read-only or full cache directory only costs the next run its compile
  }
}

function launch(): void {
  // before the compile: V8 records its flags in the cache and refuses a cache made under others
  delayTierUp();
  const file = join(__dirname, __RP_PROGRAM__);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    process.stderr.write(
      `redproof: cannot read the program ${file}: ${(err as Error).message} (reinstall redproof)\n`,
    );
    process.exit(3);
  }
  const identity = { programSha256: __RP_PROGRAM_SHA256__, node: process.version, arch: process.arch };
  const cacheFile = codeCacheFile(process.argv.slice(2), process.env, process.cwd(), identity);
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  // CommonJS's own wrapper, on the program's first line so that line numbers stay the file's
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData && { cachedData }),
  });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    // at exit the cache holds every function the run compiled, not only the top level
    process.once('exit', () => writeCache(cacheFile, script.createCachedData()));
  }
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} as { runProgram?: () => void } };
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.exports.runProgram!();
}

launch();
