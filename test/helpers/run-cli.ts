import { Writable } from 'node:stream';
import { main } from '../../src/cli.js';

/** A writable stream that keeps what is written, standing in for stdout/stderr. */
export function sink(): NodeJS.WriteStream & { text: string } {
  const s = new Writable({
    write(chunk, _enc, cb) {
      s.text += String(chunk);
      cb();
    },
  }) as unknown as NodeJS.WriteStream & { text: string };
  s.text = '';
  return s;
}

/**
 * Runs the CLI in-process (src/cli.ts `main`) with NO_COLOR and the given cache home and working
 * directory; returns the exit code and what it printed.
 */
export async function runCli(
  argv: string[],
  options: { cwd?: string; cacheHome?: string } = {},
): Promise<{ code: number; out: string; err: string }> {
  const stdout = sink();
  const stderr = sink();
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  if (options.cacheHome) env.XDG_CACHE_HOME = options.cacheHome;
  const code = await main({ argv, env, cwd: options.cwd ?? process.cwd(), stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}
