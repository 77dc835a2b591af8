/**
 * Memory images of prepared pools (src/solver/image.ts): a pool restored into a fresh engine answers
 * every query as the pool it was taken of, and an image that is not exactly one of this module is refused.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine, type Engine, EngineError, Format, job, type Pool } from '../../src/solver/index.js';

const repos = new URL('../../corpus/repos/', import.meta.url).pathname;
const primary = (repo: string) => {
  const dir = join(repos, repo, 'repodata');
  return readFileSync(join(dir, readdirSync(dir).find((f) => f.includes('primary.xml'))!));
};

/** A pool of two repositories (demo, missing-req) with an updateinfo-free layout, prepared. */
function build(e: Engine): Pool {
  const pool = e.createPool('x86_64');
  pool.addRepo('demo').add(Format.RPMMD, primary('demo'), 'demo');
  pool.addRepo('broken', 5).add(Format.RPMMD, primary('missing-req'), 'missing-req');
  pool.prepare();
  return pool;
}

/** What the pool answers: its listing, installcheck with explanations, and a solve per package. */
function answers(pool: Pool) {
  const list = pool.list();
  const candidates = pool.installCheckCandidates(pool.repos);
  return {
    repos: pool.repos.map((r) => [r.name, r.start, r.end]),
    list,
    check: pool.installCheck(candidates, { derive: true }),
    solves: list.map((p) => pool.solve([job.install(p.id)])),
    provides: pool.whatProvides('/bin/sh'),
  };
}

describe('pool images', () => {
  it('a restored pool answers as the pool it was taken of, and the engine keeps working after it', async () => {
    const a = await createEngine();
    const original = build(a);
    const expected = answers(original);
    expect(expected.list.length).toBeGreaterThan(3);
    expect(expected.check.length).toBeGreaterThan(0);
    const image = original.saveImage();
    original.dispose();

    const b = await createEngine();
    const restored = b.restorePool(image);
    expect(restored.arch).toBe('x86_64');
    expect(answers(restored)).toEqual(expected);
    // the image's allocator is the engine's now: more repositories and pools still work
    restored.addRepo('more').add(Format.RPMMD, primary('conflict'), 'conflict');
    restored.prepare();
    expect(restored.list().length).toBeGreaterThan(expected.list.length);
    restored.dispose();
    expect(b.liveObjects()).toBe(0);
    const again = build(b);
    expect(answers(again)).toEqual(expected);
    again.dispose();
  });

  it('restores an image of a grown memory into a fresh engine', async () => {
    const a = await createEngine();
    const grow = a.m._malloc(80 * 1024 * 1024);
    a.m._free(grow);
    const p = build(a);
    const expected = answers(p);
    const image = p.saveImage();
    p.dispose();
    const b = await createEngine();
    expect(b.m.HEAPU8.length).toBeLessThan(a.m.HEAPU8.length);
    const restored = b.restorePool(image);
    expect(b.m.HEAPU8.length).toBeGreaterThanOrEqual(a.m.HEAPU8.length);
    expect(answers(restored)).toEqual(expected);
    restored.dispose();
  });

  it('restores into an engine whose memory grew past the image, and keeps only the image', async () => {
    const a = await createEngine();
    const p = build(a);
    const image = p.saveImage();
    const expected = answers(p);
    p.dispose();
    const b = await createEngine();
    // grow b's memory well past the image, then free it all
    const big = b.m._malloc(96 * 1024 * 1024);
    expect(big).toBeGreaterThan(0);
    b.m.HEAPU8.fill(0xa5, big, big + 1024);
    b.m._free(big);
    const restored = b.restorePool(image);
    expect(answers(restored)).toEqual(expected);
    restored.dispose();
  });

  it('is taken only of a prepared pool that is alone in its engine', async () => {
    const e = await createEngine();
    const unprepared = e.createPool('x86_64');
    unprepared.addRepo('demo').add(Format.RPMMD, primary('demo'), 'demo');
    expect(() => unprepared.saveImage()).toThrow(/prepared pool/);
    unprepared.prepare();
    const other = e.createPool('x86_64');
    expect(() => unprepared.saveImage()).toThrow(/only pool/);
    other.dispose();
    expect(unprepared.saveImage().length).toBeGreaterThan(4096);
    unprepared.dispose();
  });

  it('refuses an image that is damaged, truncated or not one, and an engine that holds a pool', async () => {
    const a = await createEngine();
    const p = build(a);
    const image = p.saveImage();
    p.dispose();
    const b = await createEngine();
    for (const bad of [
      new Uint8Array(0),
      new TextEncoder().encode('RPIMG001 and then nothing that decodes'),
      image.subarray(0, image.length - 1),
      Uint8Array.from([...image.subarray(0, 8), 0xff, 0xff, 0xff, 0x7f, ...image.subarray(12)]),
    ]) {
      expect(() => b.restorePool(bad)).toThrow(EngineError);
      expect(b.liveObjects()).toBe(0);
    }
    // another module's image: the same bytes with another module digest in the header
    const header = new TextDecoder().decode(
      image.subarray(12, 12 + new DataView(image.buffer).getUint32(8, true)),
    );
    const meta = JSON.parse(header) as { module: string };
    const foreign = new TextEncoder().encode(header.replace(meta.module, '0'.repeat(64)));
    const forged = new Uint8Array(image.length);
    forged.set(image);
    forged.set(foreign, 12);
    expect(() => b.restorePool(forged)).toThrow(/another libsolv\.wasm/);
    const busy = b.createPool('x86_64');
    expect(() => b.restorePool(image)).toThrow(/holds no pool/);
    busy.dispose();
    const ok = b.restorePool(image);
    expect(ok.list().length).toBeGreaterThan(3);
    ok.dispose();
  });
});
