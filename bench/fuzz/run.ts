/**
 * `npm run fuzz`: mutates real inputs of every reader (bench/fuzz/targets.ts) and runs the CLI on each
 * case. Every case must end with exit 0, 1 or 3, print no stack trace and no "internal error", stay
 * under the time and memory bounds, and keep stderr small (offending values are clipped).
 *
 *   npx tsx bench/fuzz/run.ts [--cases N] [--seed S] [--quick] [--only SUBSTRING] [--markdown FILE]
 *
 * Each reader's cases run in a worker of their own: a row's time and RSS are that reader's.
 *
 * `--quick` (≈ 2 minutes on the project's machine) is the CI run: fewer cases per target. Cases are
 * replayable: the seed and the case number give the same mutation chain.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { applyMutation, describeChain, mutationChains } from './mutate.js';
import { ROOT, TARGETS } from './targets.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string' },
    seed: { type: 'string' },
    quick: { type: 'boolean' },
    only: { type: 'string' },
    markdown: { type: 'string' },
    'time-bound': { type: 'string' },
    'memory-bound': { type: 'string' },
  },
});
const perTarget = Number(values.cases ?? (values.quick ? 8 : 60));
const seed = Number(values.seed ?? 20261202);
/** Seconds per case: generous, the machine is shared (load ≈ 10 on 2 cores while this was written). */
const TIME_BOUND_MS = Number(values['time-bound'] ?? 60) * 1000;
/** Peak RSS of the worker process over its whole batch, in MiB. */
const MEMORY_BOUND_MIB = Number(values['memory-bound'] ?? 1536);
const HEAP_MIB = 2048;

interface CaseInfo {
  id: number;
  target: string;
  label: string;
  dir: string;
  argv: string[];
}
interface Result {
  id: number;
  code: number;
  ms: number;
  rssMiB: number;
  stack: string;
  internal: string;
  firstLine: string;
  stderrBytes: number;
}

const work = mkdtempSync(join(tmpdir(), 'redproof-fuzz-'));
const cases: CaseInfo[] = [];
const targets = TARGETS.filter((t) => !values.only || t.name.includes(values.only));
let next = 0;
for (const [ti, t] of targets.entries()) {
  const seeds = await t.seeds();
  const chains = mutationChains(seed + ti, perTarget);
  const add = (label: string, bytes: Uint8Array) => {
    const dir = join(work, `c${next}`);
    mkdirSync(dir, { recursive: true });
    const argv = t.write(dir, bytes);
    cases.push({ id: next++, target: t.name, label, dir, argv });
  };
  for (const s of seeds) add(`${s.name} (unchanged)`, t.encode ? t.encode(s.bytes) : s.bytes);
  chains.forEach((chain, i) => {
    const s = seeds[i % seeds.length]!;
    const other = seeds[(i + 1) % seeds.length]!;
    let bytes = s.bytes;
    for (const m of chain) bytes = applyMutation(bytes, m, other.bytes);
    add(`${s.name}: ${describeChain(chain)}`, t.encode ? t.encode(bytes) : bytes);
  });
  for (const [label, bytes] of (await t.extra?.()) ?? []) add(label, bytes);
}
process.stderr.write(
  `fuzz: ${cases.length} cases over ${targets.length} readers (seed ${seed}) in ${work}\n`,
);

/** Runs cases in a worker; a worker that dies or hangs is recorded against its case and restarted after it. */
async function runAll(todo: CaseInfo[]): Promise<Map<number, Result>> {
  const results = new Map<number, Result>();
  let rest = todo;
  while (rest.length > 0) {
    const file = join(work, `batch-${rest[0]!.id}.json`);
    writeFileSync(file, JSON.stringify(rest.map(({ id, dir, argv }) => ({ id, dir, argv }))));
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${HEAP_MIB}`, '--import', 'tsx', join(ROOT, 'bench/fuzz/worker.ts'), file],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let current: number | undefined;
    let started = 0;
    let buf = '';
    let childErr = '';
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => child.kill('SIGKILL'), TIME_BOUND_MS * 2);
    };
    child.stderr.on('data', (d: Buffer) => {
      childErr = (childErr + d.toString()).slice(-4000);
    });
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('BEGIN ')) {
          current = Number(line.slice(6));
          started = performance.now();
          arm();
        } else if (line.startsWith('{')) {
          const r = JSON.parse(line) as Result;
          results.set(r.id, r);
          current = undefined;
        }
      }
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearTimeout(timer);
    if (current !== undefined) {
      results.set(current, {
        id: current,
        code: status ?? -9,
        ms: performance.now() - started,
        rssMiB: Number.NaN,
        stack: `worker died (${status === null ? 'killed: time bound' : `exit ${status}`}): ${childErr.slice(-1500)}`,
        internal: '',
        firstLine: '',
        stderrBytes: 0,
      });
    }
    rest = rest.filter((c) => !results.has(c.id));
  }
  return results;
}

// One worker per reader, so each row's peak RSS is its own (a worker's RSS only grows).
const results = new Map<number, Result>();
for (const t of targets) {
  for (const [id, r] of await runAll(cases.filter((c) => c.target === t.name))) results.set(id, r);
}
interface Row {
  target: string;
  cases: number;
  handled: number;
  codes: Map<number, number>;
  maxMs: number;
  maxRss: number;
  failures: string[];
}
const rows = new Map<string, Row>();
for (const c of cases) {
  const r = results.get(c.id)!;
  const row =
    rows.get(c.target) ??
    rows
      .set(c.target, {
        target: c.target,
        cases: 0,
        handled: 0,
        codes: new Map(),
        maxMs: 0,
        maxRss: 0,
        failures: [],
      })
      .get(c.target)!;
  row.cases++;
  row.codes.set(r.code, (row.codes.get(r.code) ?? 0) + 1);
  row.maxMs = Math.max(row.maxMs, r.ms);
  if (Number.isFinite(r.rssMiB)) row.maxRss = Math.max(row.maxRss, r.rssMiB);
  const why = [
    ![0, 1, 3].includes(r.code) && `exit ${r.code}`,
    r.stack && `stack trace: ${r.stack.split('\n').slice(0, 3).join(' | ')}`,
    r.internal && `internal error: ${r.internal.split('\n')[0]}`,
    r.ms > TIME_BOUND_MS && `took ${(r.ms / 1000).toFixed(1)} s`,
    r.rssMiB > MEMORY_BOUND_MIB && `peak RSS ${r.rssMiB.toFixed(0)} MiB`,
    r.stderrBytes > 64 * 1024 && `stderr of ${r.stderrBytes} bytes`,
  ].filter(Boolean);
  if (why.length === 0) row.handled++;
  else row.failures.push(`case ${c.id} (${c.label}; ${c.argv.join(' ')}): ${why.join('; ')}`);
}

const table = [
  `| reader | cases | handled | exit 0 / 1 / 3 | max time | max RSS (worker) |`,
  `|---|---:|---:|---|---:|---:|`,
  ...[...rows.values()].map(
    (r) =>
      `| ${r.target} | ${r.cases} | ${r.handled} | ${r.codes.get(0) ?? 0} / ${r.codes.get(1) ?? 0} / ${r.codes.get(3) ?? 0} | ${(r.maxMs / 1000).toFixed(2)} s | ${r.maxRss.toFixed(0)} MiB |`,
  ),
].join('\n');
process.stdout.write(`${table}\n`);
if (values.markdown) writeFileSync(values.markdown, `${table}\n`);
const failures = [...rows.values()].flatMap((r) => r.failures);
for (const f of failures) process.stderr.write(`FAIL ${f}\n`);
process.stderr.write(
  `fuzz: ${cases.length - failures.length}/${cases.length} cases handled (bounds: ${TIME_BOUND_MS / 1000} s per case, ${MEMORY_BOUND_MIB} MiB peak RSS)\n`,
);
if (failures.length === 0) rmSync(work, { recursive: true, force: true });
else process.stderr.write(`fuzz: cases kept in ${work}\n`);
process.exitCode = failures.length === 0 ? 0 : 1;
