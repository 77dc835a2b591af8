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

const data = workerData as InstallcheckJob;
const engine = await loadEngine();
const pool = engine.createPool(data.arch);
try {
  for (const r of data.repos) pool.addRepo(r.name).add(Format.SOLV, r.solv, `${r.name}.solv`);
  pool.setArch(data.arch, { strict: data.strictArch });
  pool.prepare();
  const result: Uninstallable[] = pool.installCheck(data.candidates, { solveEach: true });
  parentPort!.postMessage({ ok: true, result });
} catch (err) {
  parentPort!.postMessage({ ok: false, error: String((err as Error)?.message ?? err) });
} finally {
  pool.dispose();
}
