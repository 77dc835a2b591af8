import type { Host } from '../host/host.js';

/**
 * The host path of `rel` inside the repository `root` (canonical), every symlink resolved; undefined,
 * and nothing read, when it resolves outside the repository (`repodata/primary.xml.gz -> /etc/shadow`).
 * Throws HostError when it does not exist.
 */
export async function resolveInside(host: Host, root: string, rel: string): Promise<string | undefined> {
  const real = await host.realpath(`${root}/${rel}`);
  const prefix = root === '/' ? '/' : `${root}/`;
  return real.startsWith(prefix) ? real : undefined;
}
