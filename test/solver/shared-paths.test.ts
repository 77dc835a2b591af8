import { describe, expect, it } from 'vitest';
import { repoFileFacts } from '../../src/engine/checks/repo-file-facts.js';
import { sharedPathsFromLists } from '../../src/engine/checks/shared-paths.js';
import { Format, loadEngine } from '../../src/solver/index.js';

const pkg = (name: string, files: string[]) => `<package type="rpm">
  <name>${name}</name><arch>x86_64</arch><version epoch="0" ver="1" rel="1"/>
  <format><rpm:provides><rpm:entry name="${name}"/></rpm:provides>
    ${files.map((f) => `<file>${f}</file>`).join('')}
  </format>
</package>`;
const primary = (pkgs: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="${pkgs.length}">
${pkgs.join('\n')}
</metadata>`;

describe('Pool.sharedPaths: the shared paths of a set of packages, computed in C', () => {
  it('finds shared paths, their owners in the order given, and what lies below them', async () => {
    const e = await loadEngine();
    using pool = e.createPool('x86_64');
    const xml = primary([
      pkg('a', ['/usr/share/d', '/etc/a.conf', '/opt/line&#10;break', '/x']),
      pkg('b', ['/usr/share/d', '/usr/share/d/f', '/etc/a.conf', '/opt/line&#10;break']),
      pkg('c', ['/usr/share/d/g/h', '/etc/c.conf', '/x']),
      pkg('d', ['/usr/share/d', '/etc/a.conf']),
    ]);
    pool.addRepo('r').add(Format.RPMMD, new TextEncoder().encode(xml), 'p.xml');
    pool.prepare();
    const id = Object.fromEntries(pool.list().map((p) => [p.name, p.id]));
    const ids = [id.c!, id.a!, id.b!, id.d!, id.a!];
    const got = pool.sharedPaths(ids);
    expect([...got.owners]).toEqual([
      ['/x', [id.c, id.a]],
      ['/usr/share/d', [id.a, id.b, id.d]],
      ['/etc/a.conf', [id.a, id.b, id.d]],
      ['/opt/line\nbreak', [id.a, id.b]],
    ]);
    // /usr/share/d is a directory in the views that hold b or c; nothing lies below the other paths
    expect([...got.below]).toEqual([['/usr/share/d', [id.c, id.b]]]);
    // the JavaScript reading of the same lists agrees
    const js = sharedPathsFromLists((i) => pool.files(i))(ids);
    expect([...js.owners]).toEqual([...got.owners]);
    expect([...js.below]).toEqual([...got.below]);
    // a subset: only its own paths count
    const two = pool.sharedPaths([id.c!, id.d!]);
    expect(two.owners.size).toBe(0);
    expect(two.below.size).toBe(0);
    expect(pool.sharedPaths([]).owners.size).toBe(0);
  });
});

describe('repoFileFacts: one scan per set of packages, owners in the order asked', () => {
  it('gives each order of the same set the owners in that order', async () => {
    const e = await loadEngine();
    using pool = e.createPool('x86_64');
    const xml = primary([
      pkg('a', ['/etc/x', '/usr/d']),
      pkg('b', ['/etc/x', '/usr/d/f']),
      pkg('c', ['/etc/x', '/usr/d']),
    ]);
    pool.addRepo('r').add(Format.RPMMD, new TextEncoder().encode(xml), 'p.xml');
    pool.prepare();
    const all = pool.list();
    const id = Object.fromEntries(all.map((p) => [p.name, p.id]));
    const info = (i: number) => all.find((p) => p.id === i)!;
    const { shared } = repoFileFacts(pool, [], info);
    for (const order of [
      [id.a!, id.b!, id.c!],
      [id.c!, id.a!, id.b!],
      [id.b!, id.c!, id.a!],
    ]) {
      const got = shared(order);
      const direct = pool.sharedPaths(order);
      expect(new Map(got.owners)).toEqual(new Map(direct.owners));
      expect(got.owners.get('/etc/x')).toEqual(order);
      expect(new Map(got.below)).toEqual(new Map(direct.below));
    }
  });
});
