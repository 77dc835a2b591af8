/**
 * Worker thread for repo-check: rebuilds the same pool from .solv bytes (same repos in the same
 * order, so solvable ids match the main thread's) and runs installcheck on its share of candidates.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Format, loadEngine, type Uninstallable } from '../solver/index.js';

export interface InstallcheckJob {
  arch: string;
  strictArch: boolean;
  repos: { name: string; solv: Uint8Array }[];
  candidates: number[];
}

/** Runs the job this worker was started with and posts its result (no top-level await: the bundle is CommonJS). */
async function run(data: InstallcheckJob): Promise<void> {
  const engine = await loadEngine();
  const pool = engine.createPool(data.arch);
  try {
    for (const r of data.repos) pool.addRepo(r.name).add(Format.SOLV, r.solv, `${r.name}.solv`);
    pool.setArch(data.arch, { strict: data.strictArch });
    pool.prepare();
    const result: Uninstallable[] = pool.installCheck(data.candidates, { solveEach: true });
    parentPort!.postMessage({ ok: true, result });
  } finally {
    pool.dispose();
  }
}

run(workerData as InstallcheckJob).catch((err: unknown) => {
  parentPort!.postMessage({ ok: false, error: String((err as Error)?.message ?? err) });
});
