import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import * as formatsModule from 'ajv-formats';

/** Absolute path of a file of this repository. */
export function repoPath(relative: string): string {
  return fileURLToPath(new URL(`../../${relative}`, import.meta.url));
}

// ajv-formats is CommonJS: Node hands `module.exports` over as `default`, TypeScript sees a namespace.
type FormatsPlugin = (ajv: Ajv2020) => Ajv2020;
const formatsRoot = (formatsModule as unknown as { default: FormatsPlugin & { default?: FormatsPlugin } })
  .default;
const addFormats: FormatsPlugin = formatsRoot.default ?? formatsRoot;

/** Compiles a draft 2020-12 JSON schema file with every standard format checked. */
export function compileSchema(path: string): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(path, 'utf8')) as object);
}

/** ajv errors as short lines, for readable assertion failures. */
export function errorsOf(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
