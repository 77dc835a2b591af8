import { formatSize } from '../../limits/limits.js';
import { RpmdbError } from './errors.js';

/**
 * The header bytes one rpm database may yield: a multiple of its file size (`--limit
 * rpmdb-amplification`). Headers are stored once each, so a database whose records share storage
 * (slots pointing at one blob, records sharing an overflow chain) is refused before it costs memory.
 */
export function blobBudget(fileSize: number, amplification: number) {
  const max = Math.max(fileSize, 1) * amplification;
  let used = 0;
  return {
    take(n: number, node: string, file: string): void {
      used += n;
      if (used > max) {
        throw new RpmdbError(
          'corrupt',
          node,
          file,
          `its headers add up to more than ${formatSize(max)}, ${amplification}× the file's ${formatSize(fileSize)}: records share storage, which rpm never writes (limit rpmdb-amplification, docs/limits.md)`,
        );
      }
    },
  };
}
