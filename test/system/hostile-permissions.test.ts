import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../hostile/repo-helpers.js';
import { leafNormalYaml, statusYaml } from '../load/redpak/make-image.js';

// Root reads a mode-000 directory anyway, so the unreadable cases run the CLI as `nobody` (setpriv,
// util-linux); the FIFO case needs mkfifo (coreutils).
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BDB = join(ROOT, 'test/fixtures/images/bdb/var/lib/rpm/Packages');
const tmp = tempDir('perm');
chmodSync(tmp, 0o755);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function need(tool: string, pkg: string): void {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`]);
  if (r.status !== 0) throw new Error(`${tool} is missing: apt-get install ${pkg}`);
}

function image(name: string): string {
  const root = join(tmp, name);
  mkdirSync(join(root, 'var/lib/rpm'), { recursive: true });
  copyFileSync(BDB, join(root, 'var/lib/rpm/Packages'));
  for (const n of ['var/redpak/a', 'var/redpak/b']) {
    mkdirSync(join(root, n, 'etc'), { recursive: true });
    writeFileSync(join(root, n, '.rednode.yaml'), statusYaml({ realpath: `/${n}` }));
    writeFileSync(join(root, n, 'etc/redpak.yaml'), leafNormalYaml(n.slice(-1)));
  }
  execFileSync('chmod', ['-R', 'a+rX', root]);
  return root;
}

function audit(root: string, asNobody: boolean) {
  const node = [
    process.execPath,
    '--import',
    'tsx',
    'src/bin.ts',
    'audit',
    root,
    '--format',
    'text',
    '--no-cache',
  ];
  const argv = asNobody ? ['--reuid=nobody', '--regid=nogroup', '--clear-groups', ...node] : node;
  return spawnSync(asNobody ? 'setpriv' : argv[0]!, asNobody ? argv : argv.slice(1), {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: join(tmp, 'cache') },
  });
}

describe('no unexamined layer passes', () => {
  it('a node directory with mode 000 (as a non-root user) fails with the reason', () => {
    need('setpriv', 'util-linux');
    const root = image('node000');
    expect(audit(root, true).status).not.toBe(3); // readable: a normal verdict
    chmodSync(join(root, 'var/redpak/b'), 0o000);
    const r = audit(root, true);
    expect(r.stderr).toMatch(/cannot list `var\/redpak\/b` in the image \(permission denied\)/);
    expect(r.status).toBe(3);
  });

  it('a redroot with mode 000 fails too', () => {
    need('setpriv', 'util-linux');
    const root = image('redroot000');
    chmodSync(join(root, 'var/redpak'), 0o000);
    const r = audit(root, true);
    expect(r.stderr).toMatch(/cannot list `var\/redpak` in the image/);
    expect(r.status).toBe(3);
  });

  it('an rpmdb.sqlite that is a FIFO is an error, not an empty layer', () => {
    need('mkfifo', 'coreutils');
    const root = image('fifo');
    mkdirSync(join(root, 'var/redpak/a/var/lib/rpm'), { recursive: true });
    execFileSync('mkfifo', [join(root, 'var/redpak/a/var/lib/rpm/rpmdb.sqlite')]);
    const r = audit(root, false);
    expect(r.stdout).toMatch(/`rpmdb\.sqlite` is not a regular file/);
    expect(r.status).toBe(3);
  });

  it('a repodata directory without search (x) permission is not reported as a missing repomd.xml', () => {
    need('setpriv', 'util-linux');
    const repo = join(tmp, 'noexec-repo');
    execFileSync('cp', ['-r', join(ROOT, 'corpus/repos/clean'), repo]);
    execFileSync('chmod', ['-R', 'a+rX', repo]);
    chmodSync(join(repo, 'repodata'), 0o644); // listable, not searchable
    const r = spawnSync(
      'setpriv',
      [
        '--reuid=nobody',
        '--regid=nogroup',
        '--clear-groups',
        process.execPath,
        '--import',
        'tsx',
        'src/bin.ts',
        'repo-check',
        '--repo',
        repo,
        '--no-cache',
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: join(tmp, 'cache-nobody') },
      },
    );
    expect(r.status).toBe(3);
    expect(r.stderr).not.toMatch(/no repodata\/repomd\.xml/);
    expect(r.stderr).toMatch(
      /noexec-repo\/repodata\/repomd\.xml: cannot read: permission denied \(a directory on the way lacks search \(x\) permission, or the file read permission\)/,
    );
  });
});
