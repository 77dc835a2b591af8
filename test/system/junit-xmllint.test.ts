import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { junitReporter } from '../../src/reporters/junit.js';
import {
  cleanResult,
  familyResult,
  repoCheckResult,
  SOURCES,
  toolErrorResult,
} from '../reporters/fixtures.js';
import { JUNIT_XSD, validateJunit } from '../reporters/junit-xsd.js';
import { requireTool } from './require-tool.js';

// The unit suite validates JUnit with libxml2 compiled to wasm; this checks that Debian's native xmllint
// (libxml2-utils) gives the same verdicts, so the wasm build is not a weaker stand-in.
const workdir = mkdtempSync(join(tmpdir(), 'redproof-junit-native-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));
beforeAll(() => requireTool('xmllint', 'libxml2-utils'));

function nativeXmllint(xml: string, name: string): string {
  const file = join(workdir, `${name}.xml`);
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--schema', JUNIT_XSD, file], { stdio: 'pipe' });
    return 'ok';
  } catch (error) {
    return (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
  }
}

const CASES: Record<string, () => string> = {
  family: () => junitReporter(familyResult(), { sources: SOURCES }),
  repoCheck: () => junitReporter(repoCheckResult(), { sources: SOURCES }),
  clean: () => junitReporter(cleanResult()),
  toolError: () => junitReporter(toolErrorResult()),
  broken: () => junitReporter(familyResult()).replace(' name="unresolved-dependency"', ''),
};

describe('JUnit against junit-4.xsd: native xmllint agrees with xmllint-wasm', () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(name, async () => {
      const xml = make();
      const native = nativeXmllint(xml, name);
      const wasm = await validateJunit(xml, name);
      expect(native === 'ok').toBe(wasm === 'ok');
      expect(native === 'ok').toBe(name !== 'broken');
    });
  }
});
