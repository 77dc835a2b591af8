import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { familyCheck } from '../../src/engine/family-check.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { type LoadOptions, loadRepository, type SolvCache } from '../../src/load/repository.js';
import { loadEngine } from '../../src/solver/index.js';

const families = new URL('../../corpus/families/', import.meta.url).pathname;
const repos = new URL('../../corpus/repos/', import.meta.url).pathname;
const host = createNodeHost();

// corpus/specs/clean.pkgs: /var/lib/foo/state is a file of foo-tools and a %ghost of foo-app (in
// filelists.xml only); /etc/selinux/foo.conf a file of selinux-policy and a %ghost of foo-selinux (in
// primary.xml too). `rpm -i --test` of the four rpms in one transaction reports no conflict. With the
// real files in the host and the ghosts in a node, RP005 would report both paths if ghosts went unread.
const manifest = (repo: string) => `redproof: 1
family: ghosts-${repo}
arch: x86_64
repos:
  - id: ${repo}
    path: ../repos/${repo}
host:
  packages: [glibc, bash, libfoo, foo-tools, selinux-policy]
nodes:
  - alias: app
    parent: host
    packages: [foo-app, nano, foo-selinux]
`;

const COMPRESSIONS = ['clean', 'clean-xz', 'clean-zst', 'clean-bz2'];
const EXPECTED = {
  'foo-app-2.0-1.x86_64': ['/var/lib/foo/state'],
  'foo-selinux-2.0-1.noarch': ['/etc/selinux/foo.conf'],
};

async function ghostsOf(repo: string, options: LoadOptions = {}) {
  const engine = await loadEngine();
  const pool = engine.createPool('x86_64');
  try {
    const spec = { id: repo, path: `corpus/repos/${repo}`, absPath: join(repos, repo) };
    const loaded = await loadRepository(host, engine, pool, spec, options);
    return { fromCache: loaded.fromCache, ghosts: loaded.ghosts && Object.fromEntries(loaded.ghosts) };
  } finally {
    pool.dispose();
  }
}

describe('%ghost files in every metadata compression', () => {
  it.each(COMPRESSIONS)('%s: the loader reads the ghosts of primary and filelists', async (repo) => {
    expect((await ghostsOf(repo)).ghosts).toEqual(EXPECTED);
  });

  it('ghosts come back from the cache; an entry of the older format is rebuilt, not trusted', async () => {
    const store = new Map<string, Uint8Array>();
    const cache: SolvCache = {
      get: async (k) => store.get(k),
      put: async (k, b) => void store.set(k, b),
      drop: async (k) => void store.delete(k),
    };
    const options = { cache, cacheVersion: 't' };
    expect(await ghostsOf('clean-xz', options)).toEqual({ fromCache: false, ghosts: EXPECTED });
    expect(await ghostsOf('clean-xz', options)).toEqual({ fromCache: true, ghosts: EXPECTED });
    // what a run that could not decompress xz left behind: "could not be read"
    const key = [...store.keys()].find((k) => k.endsWith('-ghosts'))!;
    store.set(key, new TextEncoder().encode('?\n'));
    expect(await ghostsOf('clean-xz', options)).toEqual({ fromCache: false, ghosts: EXPECTED });
    expect(await ghostsOf('clean-xz', options)).toEqual({ fromCache: true, ghosts: EXPECTED });
  });

  it.each(COMPRESSIONS)(
    '%s: a ghost/real pair is no RP005, and no finding hints at unread ghosts',
    async (repo) => {
      const r = await familyCheck(host, {
        manifestText: manifest(repo),
        manifestFile: `corpus/families/ghosts-${repo}.yaml`,
        manifestAbsDir: families,
      });
      expect(r.subjects.find((s) => s.id === 'app')?.packages.length).toBeGreaterThanOrEqual(3);
      expect(r.findings.filter((f) => f.rule === 'RP005')).toEqual([]);
      const texts = r.findings.flatMap((f) => [f.message, ...f.evidence.map((e) => e.text)]);
      expect(texts.filter((t) => /ghost/i.test(t))).toEqual([]);
    },
  );
});
