import { join, resolve } from 'node:path';
import { defaultCacheDir } from '../cli/cache-dir.js';

/** What a code cache was made for: V8 checks its own version and flags, not the source's content. */
export interface CodeCacheIdentity {
  /** sha256 (hex) of the program's source: a cache of another build must never be offered to V8. */
  programSha256: string;
  /** `process.version`, `process.arch`: two Node versions sharing a cache directory keep one file each. */
  node: string;
  arch: string;
}

/**
 * Where the V8 code cache of the program lives for this command line, or undefined when the user asked
 * for no cache (`--no-cache`). It sits in the repository cache's directory (`--cache-dir`, else
 * $XDG_CACHE_HOME/redproof), under code/, one file per command: each command compiles its own functions,
 * and a cache holds only what the run that wrote it compiled. The options are read here, before the
 * program's own parser runs, so only their exact spellings count (`--cache-dir DIR`, `--cache-dir=DIR`).
 */
export function codeCacheFile(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  id: CodeCacheIdentity,
): string | undefined {
  let dir: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--no-cache') return undefined;
    if (a === '--cache-dir' && i + 1 < argv.length) dir = argv[++i];
    else if (a.startsWith('--cache-dir=')) dir = a.slice('--cache-dir='.length);
  }
  const command = /^[a-z][a-z-]{0,31}$/.test(argv[0] ?? '') ? argv[0]! : 'other';
  const base = dir ? resolve(cwd, dir) : defaultCacheDir(env);
  return join(base, 'code', `${command}-${codeCacheTail(id)}`);
}

/** A code cache file's name after `COMMAND-`: what differs between builds, Node versions and arches. */
function codeCacheTail(id: CodeCacheIdentity): string {
  return `${id.programSha256.slice(0, 16)}-${id.node}-${id.arch}.v8`;
}

/**
 * True when `other`, a file beside the code cache `current`, is the same command's cache of another build,
 * Node version or arch: it would never be read again. Anything else in the directory is left alone.
 */
export function isStaleCodeCache(current: string, other: string): boolean {
  const command = /^([a-z][a-z-]*?)-[0-9a-f]{16}-v[0-9.]+-[a-z0-9]+\.v8$/;
  const a = command.exec(current);
  const b = command.exec(other);
  return a !== null && b !== null && other !== current && a[1] === b[1];
}
