/**
 * The engine raises V8's wasm tiering budget at start-up (docs/decisions/0006). V8 does not throw for a
 * flag it lacks: it prints "unrecognized flag" on the process's stderr, which would end up in every run's
 * output. A fresh process loading the engine must print nothing.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WASM_TIERING_BUDGET } from '../../src/solver/module.js';

const index = fileURLToPath(new URL('../../src/solver/index.ts', import.meta.url));

describe('wasm tier-up budget', () => {
  it("is raised above V8 11.3's default (1.8M), and loading the engine prints nothing on stderr", () => {
    expect(WASM_TIERING_BUDGET).toBeGreaterThan(1_800_000);
    const script = `import { loadEngine } from ${JSON.stringify(index)};
const e = await loadEngine();
const pool = e.createPool('x86_64');
pool.dispose();
process.stdout.write('loaded ' + e.libsolvVersion);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^loaded 0\.7\./);
  });
});
