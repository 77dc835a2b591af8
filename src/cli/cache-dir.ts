import { homedir } from 'node:os';
import { join } from 'node:path';

/** Default cache directory: $XDG_CACHE_HOME/redproof, else ~/.cache/redproof. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'redproof');
}
