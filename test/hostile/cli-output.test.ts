import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { sink } from '../helpers/run-cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A stdout whose writes fail with `code`, as a full disk or a closed pipe makes them. */
function failing(code: string): NodeJS.WriteStream {
  return new Writable({
    write(_chunk, _enc, cb) {
      cb(Object.assign(new Error(`write ${code}`), { code }));
    },
  }) as unknown as NodeJS.WriteStream;
}

const run = (stdout: NodeJS.WriteStream) => {
  const stderr = sink();
  return main({ argv: ['explain', 'RP001'], env: { NO_COLOR: '1' }, cwd: ROOT, stdout, stderr }).then(
    (code) => ({ code, err: stderr.text }),
  );
};

describe('standard output that cannot be written', () => {
  it('EPIPE (the reader went away) ends quietly with the exit code of the run', async () => {
    expect(await run(failing('EPIPE'))).toEqual({ code: 0, err: '' });
  });

  it('any other write error is exit 3 with a message', async () => {
    expect(await run(failing('ENOSPC'))).toEqual({
      code: 3,
      err: 'redproof: cannot write to standard output: ENOSPC\n',
    });
  });

  it('a real process: `> /dev/full` is exit 3 and `| head -c 10` exit 0, without a stack trace', () => {
    const cli = `${JSON.stringify(process.execPath)} --import tsx src/bin.ts explain RP001`;
    const full = spawnSync('sh', ['-c', `${cli} > /dev/full`], { cwd: ROOT, encoding: 'utf8' });
    expect(full.status).toBe(3);
    expect(full.stderr).toBe('redproof: cannot write to standard output: ENOSPC\n');
    const head = spawnSync('sh', ['-c', `${cli} | head -c 10; exit "\${PIPESTATUS:-0}"`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(head.stdout).toHaveLength(10);
    expect(head.stderr).toBe('');
  }, 60_000);
});
