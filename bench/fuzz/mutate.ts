/**
 * Mutations of real inputs, drawn with fast-check from a seed so every case can be replayed:
 * truncate, flip bits, splice (a chunk of another seed or of itself), inflate (repeat a chunk or a
 * run of one byte many times), and the same on the decompressed content before recompressing.
 */
import fc from 'fast-check';

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; bits: number[] }
  | { kind: 'splice'; at: number; from: number; len: number; other: boolean }
  | { kind: 'inflate'; at: number; len: number; times: number }
  | { kind: 'run'; at: number; byte: number; len: number };

/** A mutation, positions as fractions of the input so one arbitrary fits every size. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(1_000_000) }),
  fc.record({
    kind: fc.constant('flip' as const),
    bits: fc.array(fc.nat(1_000_000), { minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.nat(1_000_000),
    from: fc.nat(1_000_000),
    len: fc.integer({ min: 1, max: 4096 }),
    other: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('inflate' as const),
    at: fc.nat(1_000_000),
    len: fc.integer({ min: 1, max: 256 }),
    times: fc.integer({ min: 2, max: 20_000 }),
  }),
  fc.record({
    kind: fc.constant('run' as const),
    at: fc.nat(1_000_000),
    byte: fc.constantFrom(0, 0x20, 0x3c, 0x41, 0xff),
    len: fc.integer({ min: 1, max: 8 << 20 }),
  }),
);

const pos = (frac: number, n: number) => (n === 0 ? 0 : Math.floor((frac / 1_000_001) * n));

/** Apply `m` to `input`; `other` is a second seed for splices. */
export function applyMutation(input: Uint8Array, m: Mutation, other: Uint8Array): Uint8Array {
  const n = input.byteLength;
  switch (m.kind) {
    case 'truncate':
      return input.slice(0, pos(m.at, n));
    case 'flip': {
      const out = input.slice();
      for (const b of m.bits) {
        if (n === 0) break;
        const bit = pos(b, n * 8);
        out[bit >> 3]! ^= 1 << (bit & 7);
      }
      return out;
    }
    case 'splice': {
      const src = m.other ? other : input;
      const from = pos(m.from, src.byteLength);
      const chunk = src.subarray(from, from + m.len);
      const at = pos(m.at, n);
      return concat([input.subarray(0, at), chunk, input.subarray(at)]);
    }
    case 'inflate': {
      const at = pos(m.at, n);
      const chunk = input.subarray(at, at + m.len);
      const parts: Uint8Array[] = [input.subarray(0, at)];
      for (let i = 0; i < m.times; i++) parts.push(chunk);
      parts.push(input.subarray(at));
      return concat(parts);
    }
    case 'run': {
      const at = pos(m.at, n);
      return concat([input.subarray(0, at), new Uint8Array(m.len).fill(m.byte), input.subarray(at)]);
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** `count` mutation chains (1 to 3 mutations each) drawn from `seed`. */
export function mutationChains(seed: number, count: number): Mutation[][] {
  return fc.sample(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), { seed, numRuns: count });
}

export function describeChain(chain: readonly Mutation[]): string {
  return chain
    .map((m) =>
      m.kind === 'flip'
        ? `flip×${m.bits.length}`
        : m.kind === 'inflate'
          ? `inflate×${m.times}`
          : m.kind === 'run'
            ? `run ${m.len}B`
            : m.kind,
    )
    .join('+');
}
