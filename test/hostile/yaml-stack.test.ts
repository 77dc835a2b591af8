import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parseDocumentGuarded, YAML_TOO_DEEP } from '../../src/load/yaml-guard.js';
import { runCli } from '../helpers/run-cli.js';
import { tempDir } from './repo-helpers.js';

// A lockfile the fuzz campaign made (corpus/families/requests/coherent.lock.yaml with a broken quote
// and one block repeated 16,577 times; 1.6 MB, 8 KB gzipped): the yaml library's parser recursed until
// `RangeError: Maximum call stack size exceeded`, which reached the user as an internal error.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TEXT = gunzipSync(readFileSync(join(ROOT, 'test/fixtures/hostile/yaml-stack.lock.yaml.gz'))).toString(
  'utf8',
);
const tmp = tempDir('yaml-stack');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const cli = (argv: string[]) => runCli(argv, { cwd: tmp, cacheHome: join(tmp, 'cache') });

describe('a YAML file that exhausts the parser stack is an input error', () => {
  it('the yaml library itself throws on it; the guard reports it as the document error', () => {
    expect(() => parseDocument(TEXT)).toThrow(RangeError);
    const doc = parseDocumentGuarded(TEXT, { prettyErrors: false });
    expect(doc.errors.map((e) => [e.code, e.message])).toEqual([['RESOURCE_EXHAUSTION', YAML_TOO_DEEP]]);
  });

  it('as a lockfile, a manifest, waivers, a policy and a .redproof.yaml: exit 3 naming the file', async () => {
    const file = (name: string) => {
      writeFileSync(join(tmp, name), TEXT);
      return name;
    };
    const family = join(ROOT, 'corpus/families/coherent.yaml');
    for (const [argv, name] of [
      [['check', file('x.lock.yaml')], 'x.lock.yaml'],
      [['check', file('m.yaml')], 'm.yaml'],
      [['check', family, '--waivers', file('w.yaml')], 'w.yaml'],
      [['check', family, '--policy', file('p.yaml')], 'p.yaml'],
      [['audit', join(ROOT, 'test/fixtures/images/sqlite/audit/image'), '--no-cache'], '.redproof.yaml'],
    ] as const) {
      if (name === '.redproof.yaml') file('.redproof.yaml');
      const r = await cli([...argv]);
      expect(r.err, name).not.toMatch(/internal error|Maximum call stack/);
      expect(r.err, name).toMatch(
        new RegExp(`^redproof: input error: ${name.replace('.', '\\.')}:1:1: .*ran out of stack`),
      );
      expect(r.code, name).toBe(3);
    }
  });
});
