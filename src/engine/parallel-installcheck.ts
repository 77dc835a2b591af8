import { createRequire } from 'node:module';
import { EngineError, type Pool, type Repo, type Uninstallable } from '../solver/index.js';
import type { InstallcheckJob } from './installcheck-worker.js';

/** Below this many solves per worker, starting one (a module and the repositories each) costs more than it saves. */
const MIN_SOLVES_PER_WORKER = 150;

/**
 * installcheck with its solves spread over worker threads, one wasm module each, for libsolv's own
 * explanations (`derive: false`, one solve per package): the shared step (packages blocked by a
 * requirement) runs once in this thread, then the solves are dealt round-robin, so that every worker gets
 * a similar mix, to as many workers as have enough to do. Derived explanations run in this thread: the
 * shared check (docs/decisions/0004) leaves too few solves for a worker to pay for itself, and its triage
 * alone cost a BaseOS run 20 ms (0.28 s against 0.26 s with `--jobs 1`, 21 interleaved runs; BaseOS +
 * AppStream 2.17 s against 2.28 s, within the spread). Results come back as plain data, sorted by id like a
 * single run, and the same whatever `jobs` is.
 */
export async function parallelInstallCheck(
  pool: Pool,
  repos: readonly Repo[],
  candidates: readonly number[],
  options: { jobs: number; strictArch: boolean; derive: boolean },
): Promise<Uninstallable[]> {
  const { jobs, strictArch, derive } = options;
  const self = new URL(import.meta.url);
  // Workers run the compiled module (dist/engine/installcheck-worker.js); from TypeScript sources (tests,
  // tsx) there is none, so the check runs in this thread.
  if (jobs <= 1 || derive || self.pathname.endsWith('.ts')) return pool.installCheck(candidates, { derive });
  const { blocked, suspects } = pool.installCheckTriage(candidates);
  const toSolve = [...blocked, ...suspects].sort((a, b) => a - b);
  const workers = Math.min(jobs, Math.floor(toSolve.length / MIN_SOLVES_PER_WORKER));
  const solved =
    workers <= 1
      ? pool.installCheck(toSolve, { solveEach: true })
      : await solveInWorkers(pool, repos, toSolve, workers, strictArch, self);
  return solved.sort((a, b) => a.id - b.id);
}

async function solveInWorkers(
  pool: Pool,
  repos: readonly Repo[],
  candidates: readonly number[],
  jobs: number,
  strictArch: boolean,
  self: URL,
): Promise<Uninstallable[]> {
  // loaded here, not at start-up: only --full-explanations on a large repository gets this far (2.5 ms);
  // required, because the bundled program is a script with no loader for import() (decision 0008)
  const { Worker } = createRequire(import.meta.url)(
    'node:worker_threads',
  ) as typeof import('node:worker_threads');
  const solv = repos.map((r) => ({ name: r.name, solv: r.writeSolv() }));
  const shares: number[][] = Array.from({ length: jobs }, () => []);
  for (const [i, id] of candidates.entries()) shares[i % jobs]!.push(id);
  const workerUrl = new URL('./installcheck-worker.js', self);
  const runs = shares.map(
    (share) =>
      new Promise<Uninstallable[]>((resolve, reject) => {
        const job: InstallcheckJob = { arch: pool.arch, strictArch, repos: solv, candidates: share };
        const w = new Worker(workerUrl, { workerData: job });
        w.once('message', (m: { ok: boolean; result?: Uninstallable[]; error?: string }) => {
          void w.terminate();
          if (m.ok) resolve(m.result!);
          else reject(new EngineError('abort', `installcheck worker: ${m.error}`));
        });
        w.once('error', (err) =>
          reject(new EngineError('abort', `installcheck worker: ${err.message}`, { cause: err })),
        );
      }),
  );
  return (await Promise.all(runs)).flat();
}
