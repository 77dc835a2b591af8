import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { Format, job, loadEngine } from '../../src/solver/index.js';
import { fields, unescapeValue } from '../../src/solver/wire.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir, writeRepo } from '../hostile/repo-helpers.js';

// Values from the input travel from the wasm engine to TypeScript in tab- and newline-separated
// records. A dependency, a name or a file path holding a newline, a tab or a backslash must come back
// whole, not split a record (RP030's message was empty for a dependency with a newline).
const NL = 'foo\nbar';
const TAB = 'tab\there';
const BS = 'back\\slash\\n';
const primary = `<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="1">
<package type="rpm">
  <name>a</name><arch>x86_64</arch><version epoch="0" ver="1.0" rel="1"/>
  <format>
    <rpm:provides><rpm:entry name="a"/><rpm:entry name="${BS}"/></rpm:provides>
    <rpm:requires><rpm:entry name="foo&#10;bar"/><rpm:entry name="tab&#9;here"/></rpm:requires>
    <file>/usr/share/a/line&#10;break</file>
  </format>
</package>
</metadata>
`;
const tmp = tempDir('wire');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the glue escapes every value it writes', () => {
  it('unescapes exactly what out_val escapes', () => {
    expect(unescapeValue('a\\nb\\tc\\\\d\\\\n')).toBe('a\nb\tc\\d\\n');
    expect(fields('x\\ty\tz')).toEqual(['x\ty', 'z']);
  });

  it('dependencies, provides and file names with a newline, a tab or a backslash come back whole', async () => {
    const e = await loadEngine();
    using pool = e.createPool('x86_64');
    pool.addRepo('r').add(Format.RPMMD, new TextEncoder().encode(primary), 'p.xml');
    pool.prepare();
    const [a] = pool.list();
    expect(a).toMatchObject({ name: 'a', nevra: 'a-1.0-1.x86_64', repo: 'r' });
    const s = pool.solvable(a!.id, { files: true });
    expect(s.requires).toEqual([NL, TAB]);
    expect(s.provides).toContain(BS);
    expect(s.files).toContain('/usr/share/a/line\nbreak');
    // the file list alone (RP005's read) is the same list
    expect(pool.files(a!.id)).toEqual(s.files);
    pool.setConsidered([a!.id]);
    expect(pool.unmetRequires([a!.id]).map((u) => u.dep)).toEqual([NL, TAB]);
    const { problems } = pool.solve([job.install(a!.id)]);
    const rules = problems.flatMap((p) => p.rules);
    expect(rules.map((r) => r.dep)).toContain(NL);
    expect(rules.find((r) => r.dep === NL)?.text).toBe(`nothing provides ${NL} needed by a-1.0-1.x86_64`);
  });

  it('RP030 names a dependency with a newline, escaped in text', async () => {
    const dir = writeRepo(join(tmp, 'nl'), [
      { type: 'primary', name: 'p-primary.xml.gz', bytes: gzipSync(primary) },
    ]);
    const r = await runCli(['repo-check', '--repo', dir, '--no-cache'], { cacheHome: join(tmp, 'c') });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/cannot be installed: nothing provides foo\\nbar needed by a-1\.0-1\.x86_64\n/);
    const j = await runCli(['repo-check', '--repo', dir, '--no-cache', '--format', 'json'], {
      cacheHome: join(tmp, 'c'),
    });
    const finding = JSON.parse(j.out).findings[0];
    expect(finding.dependency).toBe(NL);
    expect(finding.message).toBe(
      `\`a-1.0-1.x86_64\` of repository \`nl\` cannot be installed: nothing provides ${NL} needed by a-1.0-1.x86_64`,
    );
  });
});
