import type { Host } from '../host/host.js';
import { resolveInside } from './inside.js';
import { RPM_HEAD_PROBE, rpmFileHeaderDigests, rpmSignatureEnd } from './rpmdb/rpmfile.js';

/**
 * Header digests of the `.rpm` at `location` in the repository directory `repoDir`, reading only its
 * lead and signature header (a few KiB, never the payload); undefined when the file is outside the
 * repository (a symlink leading out), not a regular file (a FIFO, `/dev/zero`), or not an rpm.
 */
export async function rpmPackageDigests(
  host: Host,
  repoDir: string,
  location: string,
): Promise<{ sha256: string; sha1: string } | undefined> {
  try {
    const root = await host.realpath(repoDir);
    const abs = await resolveInside(host, root, location);
    if (abs === undefined) return undefined;
    const probe = await host.readFile(abs, { maxBytes: RPM_HEAD_PROBE, head: true });
    const end = rpmSignatureEnd(probe);
    if (end === undefined) return undefined;
    return rpmFileHeaderDigests(await host.readFile(abs, { maxBytes: end, head: true }));
  } catch {
    return undefined;
  }
}
