import { describe, expect, it } from 'vitest';
import { type FileAttrs, rpmFilesConflict } from '../../src/engine/checks/file-conflicts.js';

// rpm 4.18: rpmfilesCompare (lib/rpmfi.c) and handleColorConflict (lib/transaction.c).
const file = (over: Partial<FileAttrs> = {}): FileAttrs => ({
  digest: 'aa',
  mode: 0o100644,
  size: 3,
  user: 'root',
  group: 'root',
  linkTo: '',
  rdev: 0,
  color: 0,
  isGhost: false,
  ...over,
});

describe('rpmFilesConflict: two files on one path, as rpm decides', () => {
  it('identical files are shared', () => {
    expect(rpmFilesConflict(file(), file())).toBe(false);
  });
  it('a ghost never conflicts, whatever the other file is', () => {
    expect(rpmFilesConflict(file({ isGhost: true, digest: '', size: 0 }), file({ digest: 'bb' }))).toBe(
      false,
    );
    expect(rpmFilesConflict(file(), file({ isGhost: true, mode: 0o40755 }))).toBe(false);
  });
  it('a difference of mode, size, owner, group or digest is a conflict', () => {
    expect(rpmFilesConflict(file(), file({ mode: 0o100755 }))).toBe(true);
    expect(rpmFilesConflict(file(), file({ size: 4 }))).toBe(true);
    expect(rpmFilesConflict(file(), file({ user: 'nobody' }))).toBe(true);
    expect(rpmFilesConflict(file(), file({ group: 'wheel' }))).toBe(true);
    expect(rpmFilesConflict(file(), file({ digest: 'bb' }))).toBe(true);
  });
  it('symlinks compare by target, not by mode', () => {
    const link = (to: string, mode = 0o120777) => file({ mode, linkTo: to, digest: '', size: to.length });
    expect(rpmFilesConflict(link('a'), link('a', 0o120755))).toBe(false);
    expect(rpmFilesConflict(link('a'), link('b'))).toBe(true);
  });
  it('devices compare by device number', () => {
    const dev = (rdev: number) => file({ mode: 0o20644, rdev, digest: '', size: 0 });
    expect(rpmFilesConflict(dev(1), dev(1))).toBe(false);
    expect(rpmFilesConflict(dev(1), dev(2))).toBe(true);
  });
  it('an ELF32 and an ELF64 file resolve to the preferred one (multilib), two of one color conflict', () => {
    expect(rpmFilesConflict(file({ color: 1 }), file({ color: 2, digest: 'bb' }))).toBe(false);
    expect(rpmFilesConflict(file({ color: 2 }), file({ color: 2, digest: 'bb' }))).toBe(true);
    expect(rpmFilesConflict(file({ color: 0 }), file({ color: 2, digest: 'bb' }))).toBe(true);
  });
});
