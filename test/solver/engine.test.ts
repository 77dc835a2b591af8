import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createEngine, EngineError, job, loadEngine, SelectionFlag } from '../../src/solver/index.js';

const testtags = new TextEncoder().encode(
  [
    '=Ver: 2.0',
    '=Pkg: a 1.0 1 noarch',
    '=Req: b >= 2',
    '=Pkg: b 1.0 1 noarch',
    '=Pkg: b 2.0 1 x86_64',
    '=Prv: libb.so.2()(64bit)',
    '=Pkg: c 1 1 i686',
    '=Pkg: d 1 1 aarch64',
    '=Pkg: x 1 1 noarch',
    '=Con: b',
    '',
  ].join('\n'),
);

async function poolWith(arch = 'x86_64') {
  const e = await loadEngine();
  const pool = e.createPool(arch);
  pool.addRepo('t').add(5 /* TESTTAGS */, testtags, 't.testtags');
  pool.prepare();
  return { e, pool };
}

describe('wasm engine', () => {
  it('is libsolv 0.7.23 with rpm semantics', async () => {
    const e = await loadEngine();
    expect(e.libsolvVersion).toBe('0.7.23');
    using pool = e.createPool('x86_64');
    // rpm semantics: x86_64 accepts i686 (and the i*86 family) and noarch, not aarch64
    const arches = pool.arches();
    expect(arches).toContain('i686');
    expect(arches).toContain('noarch');
    expect(arches).not.toContain('aarch64');
  });

  it('compares versions as rpm does', async () => {
    const { pool } = await poolWith();
    expect(pool.evrcmp('1.0-1', '1.0-2')).toBeLessThan(0);
    expect(pool.evrcmp('1:0.1-1', '2.0-1')).toBeGreaterThan(0);
    expect(pool.evrcmp('1.0~rc1-1', '1.0-1')).toBeLessThan(0);
    expect(pool.evrcmp('1.10-1', '1.9-1')).toBeGreaterThan(0);
    pool.dispose();
  });

  it('describes solvables and answers whatprovides and selections', async () => {
    const { pool } = await poolWith();
    const ids = pool.select('b', SelectionFlag.NAME);
    const bs = ids.map((id) => pool.solvable(id).nevra).sort();
    expect(bs).toEqual(['b-1.0-1.noarch', 'b-2.0-1.x86_64']);
    const a = pool.solvable(pool.select('a', SelectionFlag.NAME)[0]!);
    expect(a.requires).toEqual(['b >= 2']);
    expect(pool.whatProvides('b >= 2').map((id) => pool.solvable(id).nevra)).toEqual(['b-2.0-1.x86_64']);
    expect(pool.whatProvides('(b or zzz)').length).toBe(2);
    expect(() => pool.whatProvides('')).toThrow(EngineError);
    expect(() => pool.whatProvides('(b or')).toThrow(/cannot parse dependency/);
    pool.dispose();
  });

  it('reports every rule of a problem, and the transaction when solvable', async () => {
    const { pool } = await poolWith();
    const x = pool.select('x', SelectionFlag.NAME)[0]!;
    const a = pool.select('a', SelectionFlag.NAME)[0]!;
    const bad = pool.solve([job.install(x), job.install(a)]);
    expect(bad.problems.length).toBe(1);
    const kinds = bad.problems[0]!.rules.map((r) => r.kind);
    expect(kinds).toContain('pkg-conflicts');
    expect(bad.problems[0]!.rules.some((r) => r.text.includes('conflicts with b'))).toBe(true);
    const good = pool.solve([job.install(a)]);
    expect(good.problems).toEqual([]);
    expect(good.transaction.map((t) => pool.solvable(t.id).nevra).sort()).toEqual([
      'a-1.0-1.noarch',
      'b-2.0-1.x86_64',
    ]);
    pool.dispose();
  });

  it('restricts the solver to a view with the considered map', async () => {
    const { pool } = await poolWith();
    const a = pool.select('a', SelectionFlag.NAME)[0]!;
    pool.setConsidered([a]);
    const r = pool.solve([job.install(a)]);
    expect(r.problems.length).toBe(1);
    pool.setConsidered(null);
    expect(pool.solve([job.install(a)]).problems).toEqual([]);
    pool.dispose();
  });

  it('frees everything it creates and refuses use after dispose', async () => {
    const e = await createEngine();
    for (let i = 0; i < 20; i++) {
      const pool = e.createPool('x86_64');
      pool.addRepo('t').add(5, testtags, 't');
      pool.prepare();
      pool.solve([job.install(2)]);
      pool.dispose();
      pool.dispose(); // twice is harmless
    }
    expect(e.liveObjects()).toBe(0);
    const pool = e.createPool('x86_64');
    const repo = pool.addRepo('t');
    pool.dispose();
    expect(() => pool.arches()).toThrow(/disposed/);
    expect(() => repo.size).toThrow(/disposed/);
    expect(() => pool.solve([])).toThrowError(EngineError);
  });

  it('turns a wasm abort into a typed error and loads a new instance afterwards', async () => {
    const e = await loadEngine();
    let caught: unknown;
    try {
      e.call(() => e.m._rp_debug_trap(1), 'test');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EngineError);
    expect((caught as EngineError).kind).toBe('abort');
    expect(e.isBroken).toBe(true);
    expect(() => e.createPool('x86_64')).toThrow(/aborted earlier/);
    const fresh = await loadEngine();
    expect(fresh).not.toBe(e);
    using p2 = fresh.createPool('x86_64');
    expect(p2.arches()).toContain('noarch');
  });

  it('reports wasm memory exhaustion as out-of-memory', async () => {
    const e = await createEngine();
    let caught: unknown;
    try {
      e.call(() => e.m._rp_debug_trap(2), 'allocating');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EngineError);
    expect((caught as EngineError).kind).toBe('out-of-memory');
    expect((caught as EngineError).message).toMatch(/^allocating: the wasm engine ran out of memory/);
  });

  it('rejects an invalid arch before it reaches libsolv', async () => {
    const e = await loadEngine();
    expect(() => e.createPool('x86_64; rm')).toThrow(/invalid architecture/);
  });

  it('loads in a worker thread', async () => {
    const url = new URL('../../wasm/dist/libsolv.mjs', import.meta.url).href;
    const wasm = new URL('../../wasm/dist/libsolv.wasm', import.meta.url);
    const code = `
      import { parentPort } from 'node:worker_threads';
      import { readFileSync } from 'node:fs';
      const { default: create } = await import(${JSON.stringify(url)});
      const m = await create({ wasmBinary: readFileSync(new URL(${JSON.stringify(wasm.href)})) });
      parentPort.postMessage(m.UTF8ToString(m._rp_libsolv_version()));
    `;
    const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`));
    const version = await new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
    await w.terminate();
    expect(version).toBe('0.7.23');
  });
});
