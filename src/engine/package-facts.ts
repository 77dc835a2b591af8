import type { LoadedRepo } from '../load/repository.js';
import type { PackageFacts, RepositoryInfo } from '../model/finding.js';
import type { Pool } from '../solver/index.js';

/**
 * What libsolv holds about each solvable (license, source rpm, sizes, checksum, vendor, build time),
 * read once per id: a family lists the same solvable in many subjects of a report only once per layer,
 * but update-check and audit ask for the same ids again.
 */
export function factsReader(pool: Pool): (id: number) => PackageFacts {
  const cache = new Map<number, PackageFacts>();
  return (id) => {
    let facts = cache.get(id);
    if (!facts) {
      const s = pool.solvable(id);
      facts = {};
      if (s.license) facts.license = s.license;
      if (s.sourceRpm) facts.sourceRpm = s.sourceRpm;
      if (s.vendor) facts.vendor = s.vendor;
      if (s.buildTime > 0) facts.buildTime = s.buildTime;
      // an unknown size stays absent: the footprint counts it apart, never as 0
      if (s.hasInstallSize) facts.installSize = s.installSize;
      if (s.downloadSize > 0) facts.downloadSize = s.downloadSize;
      if (s.checksum) facts.checksum = s.checksum;
      if (s.location) facts.location = s.location;
      cache.set(id, facts);
    }
    return facts;
  };
}

/** The repositories of a run as report data, sorted by id. */
export function repositoryInfos(
  loaded: readonly LoadedRepo[],
  more: RepositoryInfo[] = [],
): RepositoryInfo[] {
  const out: RepositoryInfo[] = loaded.map((l) => ({
    id: l.spec.id,
    kind: l.kind,
    path: l.spec.path,
    ...(l.revision !== undefined && { revision: l.revision }),
    repomdChecksum: l.checksum,
    packages: l.packages,
  }));
  out.push(...more);
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
