import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from './repo-helpers.js';

// Files redproof opens without being told to (`.redproof.yaml` beside the manifest, a kickstart's
// `%include`, the default lockfile of `lock --check`) are refused when they are not regular files: a
// FIFO would block the run forever, /dev/zero would be read until memory runs out.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = tempDir('implicit');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const cli = (argv: string[], cwd: string) => runCli(argv, { cwd, cacheHome: join(tmp, 'cache') });

/** A directory holding `m.yaml` (the corpus family `name`, its repository path made absolute). */
function family(dir: string, name = 'coherent.yaml', extra = ''): string {
  const d = join(tmp, dir);
  mkdirSync(d, { recursive: true });
  const text = readFileSync(join(ROOT, 'corpus/families', name), 'utf8').replace(
    /path: (\.\.\/)+repos\/demo/,
    `path: ${join(ROOT, 'corpus/repos/demo')}`,
  );
  writeFileSync(join(d, 'm.yaml'), text.replace('host:\n', `host:\n${extra}`));
  return d;
}

describe('implicitly opened files are regular files or nothing', () => {
  it('a `.redproof.yaml` that is a FIFO is refused, not waited on', async () => {
    const d = family('config-fifo');
    execFileSync('mkfifo', [join(d, '.redproof.yaml')]);
    const r = await cli(['check', 'm.yaml', '--no-cache'], d);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(
      /^redproof: input error: \.redproof\.yaml: cannot read: a FIFO, not a regular file, which is not read; expected a regular file of project settings/,
    );
  });

  it('a `.redproof.yaml` linked to /dev/zero is refused, not read', async () => {
    const d = family('config-zero');
    symlinkSync('/dev/zero', join(d, '.redproof.yaml'));
    const r = await cli(['check', 'm.yaml', '--no-cache'], d);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(
      /\.redproof\.yaml: cannot read: a character device, not a regular file, which is not read/,
    );
  });

  it('a `.redproof.yaml` larger than policy-size is refused with the option', async () => {
    const d = family('config-big');
    writeFileSync(join(d, '.redproof.yaml'), `# ${'x'.repeat(4096)}\n`);
    const r = await cli(['check', 'm.yaml', '--no-cache', '--limit', 'policy-size=1k'], d);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(
      /\.redproof\.yaml: cannot read: 4\.0 KiB is larger than the limit of 1 KiB \(--limit policy-size\)/,
    );
  });

  it('the policy a `.redproof.yaml` names is not read from a FIFO either', async () => {
    const d = family('config-policy-fifo');
    writeFileSync(join(d, '.redproof.yaml'), 'policy: p.yaml\n');
    execFileSync('mkfifo', [join(d, 'p.yaml')]);
    const r = await cli(['check', 'm.yaml', '--no-cache'], d);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/p\.yaml: cannot read: a FIFO, not a regular file; expected a policy file/);
  });

  it('no `.redproof.yaml` is no policy, as before', async () => {
    const r = await cli(['check', 'm.yaml', '--no-cache'], family('config-none'));
    expect(r.code).toBe(0);
  });

  it("a kickstart's `%include` that is a FIFO is an error at its line", async () => {
    const d = family('ks-include', 'requests/coherent.yaml', '  kickstart: host.ks\n');
    writeFileSync(join(d, 'host.ks'), '%packages\nbash\n%include more.ks\n%end\n');
    execFileSync('mkfifo', [join(d, 'more.ks')]);
    const r = await cli(['lock', 'm.yaml', '--no-cache'], d);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(
      /host\.ks:3:1: %include more\.ks: cannot read more\.ks: a FIFO, not a regular file, which is not read/,
    );
    rmSync(join(d, 'more.ks'));
    symlinkSync('/dev/zero', join(d, 'more.ks'));
    const z = await cli(['lock', 'm.yaml', '--no-cache'], d);
    expect(z.code).toBe(3);
    expect(z.err).toMatch(/%include more\.ks: cannot read more\.ks: a character device/);
  });

  it('a kickstart that is a FIFO is refused with the reason', async () => {
    const d = family('ks-fifo', 'requests/coherent.yaml', '  kickstart: host.ks\n');
    execFileSync('mkfifo', [join(d, 'host.ks')]);
    const r = await cli(['lock', 'm.yaml', '--no-cache'], d);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(
      /m\.yaml:\d+:\d+: cannot read the kickstart `host\.ks`: a FIFO, not a regular file/,
    );
  });

  it('`lock --check` refuses a default lockfile that is a FIFO', async () => {
    const d = family('lock-fifo', 'requests/coherent.yaml');
    execFileSync('mkfifo', [join(d, 'm.lock.yaml')]);
    const r = await cli(['lock', 'm.yaml', '--check', '--no-cache'], d);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/m\.lock\.yaml: cannot read: a FIFO, not a regular file, which is not read/);
    const u = await cli(['lock', 'm.yaml', '--update', '--no-cache'], d);
    expect(u.code).toBe(3);
    expect(u.err).toMatch(
      /m\.lock\.yaml: cannot read: a FIFO, not a regular file; expected the lockfile to update/,
    );
  });
});

describe('--node-solv', () => {
  it('reads a FIFO named on the command line (`<(rpmdb2solv ...)`), refuses a device', async () => {
    const image = join(ROOT, 'test/fixtures/images/sqlite/audit/image');
    const json = join(tmp, 'solv.json');
    const plain = await cli(['audit', image, '--format', 'json', '--output', json], tmp);
    expect(plain.code).toBe(1);
    // a .solv export of the host's packages, through the library, written into a FIFO
    const { loadEngine } = await import('../../src/solver/index.js');
    const { readRpmdb } = await import('../../src/load/rpmdb/open.js');
    const { ImageRoot } = await import('../../src/host/image-root.js');
    const { createNodeHost } = await import('../../src/host/node-host.js');
    const db = await readRpmdb(new ImageRoot(createNodeHost(), image), 'var/lib/rpm', 'host');
    const e = await loadEngine();
    const pool = e.createPool('noarch');
    const repo = pool.addRepo('@host');
    for (const b of db.blobs) repo.addRpmHeader(b, 'host');
    const solv = repo.writeSolv();
    pool.dispose();
    const fifo = join(tmp, 'host.solv');
    execFileSync('mkfifo', [fifo]);
    const writer = writeFile(fifo, solv);
    const r = await cli(['audit', image, '--node-solv', `host=${fifo}`, '--format', 'json'], tmp);
    await writer;
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).summary.packages).toBe(JSON.parse(readFileSync(json, 'utf8')).summary.packages);
    const z = await cli(['audit', image, '--node-solv', 'host=/dev/zero'], tmp);
    expect(z.code).toBe(3);
    expect(z.err).toMatch(
      /^redproof: input error: \/dev\/zero: cannot read: a character device, not a regular file; expected a \.solv file/,
    );
  });
});
