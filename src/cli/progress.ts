/** Progress on stderr for work longer than about a second, only on a TTY (silent in CI logs). */
export function createProgress(
  stream: NodeJS.WriteStream,
  enabled: boolean,
): { update(msg: string): void; done(): void } {
  if (!enabled || !stream.isTTY) return { update() {}, done() {} };
  const start = Date.now();
  let last = '';
  let shown = false;
  return {
    update(msg: string) {
      last = msg;
      const elapsed = Date.now() - start;
      if (elapsed < 1000 && !shown) return;
      shown = true;
      stream.write(`\r\u001b[2K${last} (${(elapsed / 1000).toFixed(1)} s)`);
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
    },
  };
}
