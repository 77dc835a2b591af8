import { Worker } from 'node:worker_threads';
import { EngineError, type Pool, type Repo, type Uninstallable } from '../solver/index.js';
import type { InstallcheckJob } from './installcheck-worker.js';

/**
 * installcheck spread over worker threads, one wasm module each. Candidates are dealt round-robin so
 * that every worker gets a similar mix; each worker repeats installcheck's cheap weak-install pruning on
 * its share, then solves its suspects. Results come back as plain data, sorted like a single run.
 */
export async function parallelInstallCheck(
  pool: Pool,
  repos: readonly Repo[],
  candidates: readonly number[],
  jobs: number,
  strictArch: boolean,
): Promise<Uninstallable[]> {
  const self = new URL(import.meta.url);
  // Workers run the compiled module (dist/engine/installcheck-worker.js); from TypeScript sources (tests,
  // tsx) there is none, so the check runs in this thread.
  if (jobs <= 1 || candidates.length < 200 || self.pathname.endsWith('.ts'))
    return pool.installCheck(candidates);
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
  const all = (await Promise.all(runs)).flat();
  return all.sort((a, b) => a.id - b.id);
}
