import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Host, ReadOptions } from '../../src/host/host.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { rpmPackageDigests } from '../../src/load/rpm-package.js';
import { tempDir } from './repo-helpers.js';

const tmp = tempDir('rpm-package');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const DIGEST = 'ab'.repeat(32);

/** An rpm lead and a signature header holding SHA256HEADER (tag 273), followed by `payload` bytes. */
function rpmFile(payload: number): Buffer {
  const lead = Buffer.alloc(96);
  lead.set([0xed, 0xab, 0xee, 0xdb, 3, 0]);
  lead.writeUInt16BE(5, 78); // signature type: header
  const data = Buffer.from(`${DIGEST}\0`);
  const sig = Buffer.alloc(16 + 16);
  sig.set([0x8e, 0xad, 0xe8, 0x01]);
  sig.writeUInt32BE(1, 8);
  sig.writeUInt32BE(data.length, 12);
  sig.writeUInt32BE(273, 16);
  sig.writeUInt32BE(6, 20); // STRING
  sig.writeUInt32BE(0, 24);
  sig.writeUInt32BE(1, 28);
  return Buffer.concat([lead, sig, data, Buffer.alloc(payload, 0x55)]);
}

function recording(): Host & { reads: ReadOptions[] } {
  const inner = createNodeHost();
  const reads: ReadOptions[] = [];
  return {
    ...inner,
    reads,
    readFile: (p, o) => {
      reads.push(o ?? {});
      return inner.readFile(p, o);
    },
  };
}

describe('RP014 reads only the head of an .rpm, inside the repository', () => {
  const repo = join(tmp, 'repo');
  mkdirSync(join(repo, 'Packages'), { recursive: true });
  writeFileSync(join(repo, 'Packages/a.rpm'), rpmFile(4 << 20));

  it('reads the lead and signature header, not the payload', async () => {
    const host = recording();
    expect(await rpmPackageDigests(host, repo, 'Packages/a.rpm')).toEqual({ sha256: DIGEST, sha1: '' });
    expect(host.reads.every((r) => r.head === true && (r.maxBytes ?? Infinity) < 4096)).toBe(true);
  });

  it('a FIFO, a link to /dev/zero and a link out of the repository are not read', async () => {
    execFileSync('mkfifo', [join(repo, 'Packages/fifo.rpm')]);
    symlinkSync('/dev/zero', join(repo, 'Packages/zero.rpm'));
    writeFileSync(join(tmp, 'outside.rpm'), rpmFile(0));
    symlinkSync(join(tmp, 'outside.rpm'), join(repo, 'Packages/out.rpm'));
    for (const f of ['fifo.rpm', 'zero.rpm', 'out.rpm']) {
      expect(await rpmPackageDigests(createNodeHost(), repo, `Packages/${f}`), f).toBeUndefined();
    }
  });
});
