import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockFamily } from '../../src/engine/lock/lock.js';
import { createNodeHost } from '../../src/host/node-host.js';
import { InputError } from '../../src/load/errors.js';
import { runCli } from '../helpers/run-cli.js';

// `host.kickstart` in a lock, over corpus/repos/demo (which has no comps): where findings of kickstart
// requests point, the implicit @core of anaconda, and what is refused up front.

const ROOT = new URL('../../', import.meta.url).pathname;
const REPO = join(ROOT, 'corpus/repos/demo');
const dir = mkdtempSync(join(tmpdir(), 'redproof-lock-ks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MANIFEST = `redproof: 1\nfamily: ks\narch: x86_64\nrepos:\n  - id: demo\n    path: ${REPO}\nhost:\n  kickstart: ks/host.ks\nnodes:\n  - alias: app\n    install: [media-player]\n`;

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

const lock = () =>
  lockFamily(createNodeHost(), {
    manifestText: MANIFEST,
    manifestFile: 'family.yaml',
    manifestAbsDir: dir,
    manifestFromLock: 'family.yaml',
    readSync: (abs) => {
      try {
        return readFileSync(abs, 'utf8');
      } catch {
        return undefined;
      }
    },
  });

describe('lock with host.kickstart', () => {
  it('an RP050 of a line of an %include is framed in the included file (CLI)', async () => {
    write({
      'family.yaml': MANIFEST,
      'ks/host.ks':
        'network --bootproto=dhcp\n%packages --nocore\nsetup\nfilesystem\nglibc\n%include parts/more.ks\n%end\n',
      'ks/parts/more.ks': 'bash\ncoreutils\nnavigaton\n',
    });
    const r = await runCli(['lock', 'family.yaml'], { cwd: dir, cacheHome: join(dir, 'cache') });
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      [
        'RP050 error: request `navigaton` of node `host` matches no package for x86_64; did you mean `navigation`?',
        ' --> ks/parts/more.ks:3:1',
        '  |',
        '2 | coreutils',
        '3 | navigaton',
        '  | ^^^^^^^^^',
      ].join('\n'),
    );
    // from another directory, the path is shown as given
    const up = await runCli(['lock', join(dir.split('/').pop()!, 'family.yaml'), '--format', 'json'], {
      cwd: join(dir, '..'),
      cacheHome: join(dir, 'cache'),
    });
    const f = JSON.parse(up.out).findings[0];
    expect(f.location).toMatchObject({
      file: `${dir.split('/').pop()}/ks/parts/more.ks`,
      line: 3,
      column: 1,
    });
  });

  it('the last line naming a package is where its finding points', async () => {
    write({ 'ks/host.ks': '%packages --nocore\nnavigaton\n-navigaton\nbash\nnavigaton\n%end\n' });
    const { result } = await lock();
    const f = result.findings.find((x) => x.rule === 'RP050')!;
    expect(f.location).toMatchObject({ file: 'ks/host.ks', line: 5 });
  });

  it('anaconda adds @core unless --nocore: without comps, @core is refused at the %packages line', async () => {
    write({ 'ks/host.ks': '# base\n%packages\nbash\n%end\n' });
    const { result, lock: l } = await lock();
    const f = result.findings.filter((x) => x.rule === 'RP050');
    expect(f.map((x) => [x.entry, x.location?.line, x.location?.column])).toEqual([['@core', 2, 1]]);
    expect(l).toBeUndefined();
    write({ 'ks/host.ks': '%packages\n-@core\nbash\n%end\n' });
    expect((await lock()).result.findings.filter((x) => x.rule === 'RP050')).toEqual([]);
    write({ 'ks/host.ks': '%packages --nocore\n@core\nbash\n%end\n' });
    expect((await lock()).result.findings.filter((x) => x.rule === 'RP050')).toEqual([]);
  });

  it('refuses %packages --default and a module stream the repositories lack, at their lines', async () => {
    write({ 'ks/host.ks': '%packages --default\n%end\n' });
    let e = (await lock().catch((x: unknown) => x)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect([e.kind, e.file, e.line]).toEqual(['kickstart-default', 'ks/host.ks', 1]);
    write({ 'ks/host.ks': 'module --name=nodejs --stream=20\n%packages --nocore\nbash\n%end\n' });
    e = (await lock().catch((x: unknown) => x)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect([e.kind, e.file, e.line, e.reason]).toEqual([
      'module-stream',
      'ks/host.ks',
      1,
      'no module `nodejs` in the repositories',
    ]);
    write({
      'ks/host.ks': 'module --name=a --stream=1\nmodule --name=a --stream=2\n%packages --nocore\n%end\n',
    });
    e = (await lock().catch((x: unknown) => x)) as InputError;
    expect([e.kind, e.line]).toEqual(['kickstart-module', 2]);
  });
});
