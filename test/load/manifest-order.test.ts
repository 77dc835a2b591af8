import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ancestors, nodeOrder, parseManifest } from '../../src/load/manifest.js';

/** A random forest: parents[i] is the index of node i's parent (always a lower index) or -1 for host. */
const treeArb = fc.integer({ min: 1, max: 25 }).chain((n) =>
  fc.record({
    parents: fc.tuple(...Array.from({ length: n }, (_, i) => fc.integer({ min: -1, max: i - 1 }))),
    // declaration order: a permutation, so parents often come after their children
    order: fc.shuffledSubarray(
      Array.from({ length: n }, (_, i) => i),
      { minLength: n, maxLength: n },
    ),
  }),
);

function manifestText(parents: readonly number[], order: readonly number[]): string {
  const lines = ['redproof: 1', 'family: random', 'arch: x86_64', 'repos:', '  - {id: r, path: r}', 'nodes:'];
  for (const i of order) {
    const p = parents[i] ?? -1;
    lines.push(`  - alias: n${i}`, `    parent: ${p < 0 ? 'host' : `n${p}`}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('nodeOrder and ancestors on random trees', () => {
  it('nodeOrder lists every node once, parents first, deterministically', () => {
    fc.assert(
      fc.property(treeArb, ({ parents, order }) => {
        const m = parseManifest(manifestText(parents, order), 'random.yaml');
        const sorted = nodeOrder(m).map((n) => n.alias);
        expect([...sorted].sort()).toEqual(m.nodes.map((n) => n.alias).sort());
        const position = new Map(sorted.map((a, i) => [a, i]));
        for (const node of m.nodes) {
          if (node.parent !== 'host')
            expect(position.get(node.parent)).toBeLessThan(position.get(node.alias) ?? -1);
        }
        expect(nodeOrder(m).map((n) => n.alias)).toEqual(sorted);
      }),
      { numRuns: 150 },
    );
  });

  it('nodeOrder keeps declaration order when it already puts parents first', () => {
    fc.assert(
      fc.property(treeArb, ({ parents }) => {
        const identity = parents.map((_, i) => i);
        const m = parseManifest(manifestText(parents, identity), 'random.yaml');
        expect(nodeOrder(m).map((n) => n.alias)).toEqual(identity.map((i) => `n${i}`));
      }),
      { numRuns: 100 },
    );
  });

  it('ancestors walks the parent chain nearest first and ends with host', () => {
    fc.assert(
      fc.property(treeArb, ({ parents, order }) => {
        const m = parseManifest(manifestText(parents, order), 'random.yaml');
        parents.forEach((_, i) => {
          const expected: string[] = [];
          for (let p = parents[i] ?? -1; p >= 0; p = parents[p] ?? -1) expected.push(`n${p}`);
          expect(ancestors(m, `n${i}`)).toEqual([...expected, 'host']);
        });
      }),
      { numRuns: 100 },
    );
  });
});
