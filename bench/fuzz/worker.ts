/**
 * Runs fuzz cases in this process, one after the other, through the CLI's `main` (the same code path
 * as `redproof ...`, without a process start per case). Reads a JSON list of cases from argv[2]; for
 * each prints `BEGIN <i>` then one JSON result line, so the runner knows which case a crash (heap
 * exhaustion, abort) or a hang happened in.
 */
import { readFileSync } from 'node:fs';
import { main } from '../../src/cli.js';
import { sink } from '../../test/helpers/run-cli.js';

interface Case {
  id: number;
  dir: string;
  argv: string[];
}

const cases = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Case[];
for (const c of cases) {
  process.stdout.write(`BEGIN ${c.id}\n`);
  const stdout = sink();
  const stderr = sink();
  const t0 = performance.now();
  let code: number;
  let thrown = '';
  try {
    code = await main({
      argv: c.argv,
      env: { NO_COLOR: '1', XDG_CACHE_HOME: `${c.dir}/../.cache` },
      cwd: c.dir,
      stdout,
      stderr,
    });
  } catch (err) {
    code = -1;
    thrown = err instanceof Error ? (err.stack ?? err.message) : String(err);
  }
  const ms = performance.now() - t0;
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  const err = stderr.text;
  process.stdout.write(
    `${JSON.stringify({
      id: c.id,
      code,
      ms,
      rssMiB,
      stack: thrown || (/^\s+at .+:\d+:\d+\)?$/m.test(err) ? err.slice(0, 2000) : ''),
      internal: /internal error/.test(err) ? err.slice(0, 2000) : '',
      firstLine: err.split('\n')[0]?.slice(0, 300) ?? '',
      stderrBytes: err.length,
    })}\n`,
  );
}
