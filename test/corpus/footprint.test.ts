/**
 * The footprint of families over real CentOS Stream 9 packages: the figures `check` reports must be the
 * ones computed here from the repositories' own primary.xml (`<size installed>`) and the layers the
 * report lists, the obvious way (a view is every NEVRA on the path up to the host).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CORPUS, cli, corpus, ROOT, report } from './corpus.js';

interface Doc {
  subjects: {
    id: string;
    kind: string;
    parent?: string;
    packages: { nevra: string; installSize?: number }[];
  }[];
  stats: {
    footprint: {
      familyBytes: number;
      standaloneBytes: number;
      unknownSizePackages: number;
      containers: number;
      layers: { id: string; ownBytes: number; viewBytes: number }[];
    };
  };
}

/** NEVRA → installed bytes of a repository, from its primary.xml.gz with regular expressions. */
function primarySizes(repo: string, into: Map<string, number>): void {
  const dir = join(CORPUS, repo, 'repodata');
  const file = readdirSync(dir).find((f) => f.endsWith('-primary.xml.gz'))!;
  const xml = gunzipSync(readFileSync(join(dir, file))).toString('utf8');
  for (const m of xml.matchAll(/<package type="rpm">([\s\S]*?)<\/package>/g)) {
    const p = m[1]!;
    const name = /<name>([^<]+)<\/name>/.exec(p)![1];
    const arch = /<arch>([^<]+)<\/arch>/.exec(p)![1];
    const [, epoch, ver, rel] = /<version epoch="(\d+)" ver="([^"]+)" rel="([^"]+)"\/>/.exec(p)!;
    const size = /<size [^>]*installed="(\d+)"/.exec(p);
    if (size) into.set(`${name}-${epoch === '0' ? '' : `${epoch}:`}${ver}-${rel}.${arch}`, Number(size[1]));
  }
}

describe('footprint of CS9 families', () => {
  const sizes = new Map<string, number>();

  it.each(['cs9-coherent.yaml', 'cs9-mistakes.yaml'])('%s: the figures of primary.xml', (family) => {
    corpus('cs9-baseos-2024-04');
    corpus('cs9-appstream');
    if (sizes.size === 0) {
      primarySizes('cs9-baseos-2024-04', sizes);
      primarySizes('cs9-appstream', sizes);
    }
    const run = cli([
      'check',
      `${ROOT}test/corpus/families/${family}`,
      '--no-cache',
      '--format',
      'json',
      '-q',
    ]);
    const doc = report(run) as unknown as Doc;
    const byId = new Map(doc.subjects.map((s) => [s.id, s]));
    const sum = (nevras: Iterable<string>) =>
      [...nevras].reduce((n, x) => {
        expect(sizes.has(x), x).toBe(true);
        return n + sizes.get(x)!;
      }, 0);
    const view = (id: string) => {
      const all = new Set<string>();
      for (let s = byId.get(id); s; s = s.parent ? byId.get(s.parent) : undefined) {
        for (const p of s.packages) all.add(p.nevra);
      }
      return all;
    };
    const family$ = doc.subjects.reduce((n, s) => n + sum(new Set(s.packages.map((p) => p.nevra))), 0);
    const nodes = doc.subjects.filter((s) => s.kind === 'node');
    const standalone = nodes.reduce((n, s) => n + sum(view(s.id)), 0);
    const fp = doc.stats.footprint;
    expect(fp.familyBytes).toBe(family$);
    expect(fp.standaloneBytes).toBe(standalone);
    expect(fp.containers).toBe(nodes.length);
    // basesystem installs 0 bytes: a size, not an unknown one
    expect(fp.unknownSizePackages).toBe(0);
    expect(byId.get('host')!.packages.find((p) => p.nevra.startsWith('basesystem-'))?.installSize).toBe(0);
    for (const l of fp.layers) {
      expect(l.ownBytes, l.id).toBe(sum(new Set(byId.get(l.id)!.packages.map((p) => p.nevra))));
      expect(l.viewBytes, l.id).toBe(sum(view(l.id)));
    }
  });
});
