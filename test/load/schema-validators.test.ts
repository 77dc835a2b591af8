import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { standaloneValidator } from '../../src/build/validators.js';
import { compile, SCHEMAS, type SchemaName, type SchemaValidator } from '../../src/load/schema-validators.js';

/*
 * The built CLI validates with the standalone code `npm run build` generates (dist/generated/); tests run
 * from the sources, which compile the schema at run time. Both must give the same verdict and errors.
 */

/** Loads generated CommonJS code as the built package would (its requires resolved from here). */
function load(code: string): SchemaValidator {
  const module = { exports: {} as unknown };
  new Function('module', 'exports', 'require', code)(module, module.exports, createRequire(import.meta.url));
  return module.exports as SchemaValidator;
}

const manifest = {
  redproof: 1,
  family: 'demo',
  arch: 'x86_64',
  repos: [{ id: 'base', path: 'repos/base' }],
  host: { packages: ['bash', 'glibc-2.34-21.el9.x86_64'] },
  nodes: [
    { alias: 'platform', packages: ['openssl'] },
    { alias: 'media', parent: 'platform', packages: [] },
  ],
};

const SAMPLES: Record<SchemaName, unknown[]> = {
  'family-v1': [
    manifest,
    {},
    null,
    [],
    'text',
    { ...manifest, redproof: '1', extra: true },
    { ...manifest, family: ' padded ', arch: '', repos: [] },
    { ...manifest, family: '', arch: 'x86-64' },
    { ...manifest, repos: [{ id: 'a b', path: '' }, { path: 'x' }, 'repo', { id: 'x', path: 'y', z: 1 }] },
    { ...manifest, host: { packages: 'bash' } },
    { ...manifest, host: { packages: ['-bad', '', 'ok', 7], other: 1 } },
    { ...manifest, host: {} },
    {
      ...manifest,
      nodes: [{ alias: 'nav igation' }, { parent: 'x' }, { alias: 'a', parent: '', packages: [null] }, 'n'],
    },
    { ...manifest, family: '\ud83d\ude00', nodes: {} },
  ],
  'lock-v1': [
    {
      'redproof-lock': 1,
      family: 'f',
      arch: 'x86_64',
      manifest: { path: 'f.yaml', sha256: 'a'.repeat(64) },
      repos: [{ id: 'base', path: 'repos/base', checksum: `sha256:${'b'.repeat(64)}` }],
      options: { 'weak-deps': true, best: true },
      nodes: [{ alias: 'host', requests: ['bash'], packages: [] }],
    },
    { 'redproof-lock': 2, extra: 1, nodes: [{ alias: '', packages: [{ nevra: 'bash', reason: 'why' }] }] },
    null,
  ],
  'waivers-v1': [
    { version: 1, waivers: [] },
    { version: 1, waivers: [{ rule: 'RP004', reason: 'ok', node: 'a/**', package: 'x', owner: 'me' }] },
    { version: 1, waivers: [{ rule: 'RP4', reason: '', expires: '31/12/2026', fingerprint: 'XYZ' }] },
    { version: 2, waivers: [{ nod: 'media', reason: 'typo' }, 'entry', { rule: 'RP001' }] },
    { version: 1 },
    { waivers: {} },
    null,
    [],
    { version: 1, waivers: [{ rule: 'RP001', reason: 'r', expires: '2026-13-01', node: '', owner: '' }] },
  ],
  'policy-v1': [
    { 'redproof-policy': 1, rules: [{ nodes: ['**'], 'deny-packages': ['telnet*'] }] },
    {
      'redproof-policy': 1,
      rules: [
        {
          name: 'apps',
          nodes: ['apps/*', 'host'],
          level: 'warning',
          'allow-licenses': 'MIT OR Apache-2.0',
          'deny-licenses': ['GPL-3.0-only'],
          'max-installed-size': '200 MiB',
          'require-packages': ['bash'],
          'deny-setuid': true,
          'require-signed': true,
          'deny-config': { share_net: 'enabled', unsafe: true, capabilities: ['CAP_SYS_ADMIN'] },
        },
      ],
    },
    { 'redproof-policy': '1', rules: [] },
    {
      'redproof-policy': 1,
      rules: [{ nodes: 'x', level: 'fatal', 'max-installed-size': '20 MB', extra: 1 }],
    },
    {
      'redproof-policy': 1,
      rules: [{ name: '', 'deny-setuid': 'yes', 'deny-config': {}, 'allow-licenses': [] }],
    },
    null,
    [],
  ],
};

describe('schema validators: generated standalone code = schema compiled at run time', () => {
  for (const name of Object.keys(SCHEMAS) as SchemaName[]) {
    it(name, () => {
      const generated = load(standaloneValidator(name));
      const compiled = compile(name);
      for (const data of SAMPLES[name]) {
        const ok = compiled(data);
        expect(generated(data), JSON.stringify(data)).toBe(ok);
        expect(generated.errors ?? null).toEqual(compiled.errors ?? null);
      }
      // The samples reach the errors the reports word specially.
      const keywords = new Set<string>();
      for (const data of SAMPLES[name])
        if (!compiled(data)) for (const e of compiled.errors!) keywords.add(e.keyword);
      expect([...keywords].sort()).toEqual(
        expect.arrayContaining(['additionalProperties', 'pattern', 'required', 'type', 'minLength']),
      );
    });
  }
});
