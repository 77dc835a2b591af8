import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageRoot, ImageRootError, normalizeImagePath } from '../../../src/host/image-root.js';
import { createNodeHost } from '../../../src/host/node-host.js';

let work: string;
let root: string;
let image: ImageRoot;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'redproof-imgroot-'));
  root = join(work, 'image');
  // Outside the image: must never be read.
  writeFileSync(join(work, 'secret'), 'outside');
  mkdirSync(join(work, 'outside-dir'));
  writeFileSync(join(work, 'outside-dir', 'f'), 'outside');
  mkdirSync(join(root, 'var/lib/rpm'), { recursive: true });
  writeFileSync(join(root, 'var/lib/rpm/rpmdb.sqlite'), 'host db');
  writeFileSync(join(root, 'secret'), 'inside');
  mkdirSync(join(root, 'var/redpak/sys/var/lib'), { recursive: true });
  // 2021 system-node variant: absolute symlink to the host db (FORMATS.md §3.9).
  symlinkSync('/var/lib/rpm', join(root, 'var/redpak/sys/var/lib/rpm'));
  symlinkSync('../lib/rpm', join(root, 'var/redpak/rel'));
  symlinkSync('../../../../../../../../secret', join(root, 'var/redpak/escape'));
  symlinkSync(join(work, 'secret'), join(root, 'var/redpak/abs-escape'));
  symlinkSync(join(work, 'outside-dir'), join(root, 'var/redpak/abs-escape-dir'));
  symlinkSync('loop-b', join(root, 'var/redpak/loop-a'));
  symlinkSync('loop-a', join(root, 'var/redpak/loop-b'));
  symlinkSync('self', join(root, 'var/redpak/self'));
  symlinkSync('secret', join(root, 'var/redpak/dangling'));
  image = new ImageRoot(createNodeHost(), root);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('ImageRoot confinement', () => {
  it('resolves an absolute symlink inside the image root', async () => {
    const r = await image.resolve('var/redpak/sys/var/lib/rpm/rpmdb.sqlite');
    expect(r.path).toBe('var/lib/rpm/rpmdb.sqlite');
    expect(r.hostPath).toBe(join(root, 'var/lib/rpm/rpmdb.sqlite'));
    expect(r.stat?.type).toBe('file');
    expect(r.symlinks).toEqual(['var/redpak/sys/var/lib/rpm -> /var/lib/rpm']);
    expect(new TextDecoder().decode(await image.readFile('/var/redpak/sys/var/lib/rpm/rpmdb.sqlite'))).toBe(
      'host db',
    );
  });

  it('resolves a relative symlink', async () => {
    const r = await image.resolve('var/redpak/rel');
    expect(r.path).toBe('var/lib/rpm');
    expect(r.stat?.type).toBe('dir');
  });

  it('clamps `..` at the root, in symlink targets and in the path itself', async () => {
    expect(await image.readText('var/redpak/escape')).toBe('inside');
    expect((await image.resolve('../../../../secret')).path).toBe('secret');
    expect((await image.resolve('/var/../../../var/lib/./rpm/')).path).toBe('var/lib/rpm');
    expect(normalizeImagePath('/../a/../../b/./c')).toBe('b/c');
  });

  it('re-roots absolute symlinks that name host paths outside the image', async () => {
    // `<work>/secret` means `<root><work>/secret`, which does not exist in the image.
    const r = await image.resolve('var/redpak/abs-escape');
    expect(r.path).toBe(`${work.slice(1)}/secret`);
    expect(r.stat).toBeUndefined();
    await expect(image.readText('var/redpak/abs-escape')).rejects.toMatchObject({ kind: 'not-found' });
    await expect(image.readDir('var/redpak/abs-escape-dir')).rejects.toBeInstanceOf(ImageRootError);
  });

  it('detects symlink loops', async () => {
    await expect(image.resolve('var/redpak/loop-a')).rejects.toMatchObject({ kind: 'loop' });
    await expect(image.resolve('var/redpak/self/x')).rejects.toMatchObject({ kind: 'loop' });
    const small = new ImageRoot(createNodeHost(), root, { maxSymlinks: 0 });
    await expect(small.resolve('var/redpak/rel')).rejects.toMatchObject({ kind: 'loop' });
  });

  it('reports files traversed as directories and keeps lstat semantics', async () => {
    await expect(image.resolve('secret/x')).rejects.toMatchObject({ kind: 'not-dir', path: 'secret' });
    expect((await image.lstat('var/redpak/rel'))?.type).toBe('symlink');
    expect((await image.stat('var/redpak/rel'))?.type).toBe('dir');
    expect(await image.readlink('var/redpak/sys/var/lib/rpm')).toBe('/var/lib/rpm');
    expect((await image.resolve('var/redpak/dangling')).stat).toBeUndefined();
    expect((await image.resolve('var/redpak/missing/a/../b')).path).toBe('var/redpak/missing/b');
  });

  it('lists directories sorted, with symlinks reported as symlinks', async () => {
    const names = (await image.readDir('var/redpak')).map((e) => `${e.name}:${e.type}`);
    expect(names).toEqual([
      'abs-escape:symlink',
      'abs-escape-dir:symlink',
      'dangling:symlink',
      'escape:symlink',
      'loop-a:symlink',
      'loop-b:symlink',
      'rel:symlink',
      'self:symlink',
      'sys:dir',
    ]);
  });
});
