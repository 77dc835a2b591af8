import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;

/** Throws unless `npm run build` ran after the last change to src/: a test of dist/ would test old code. */
export function requireFreshBuild(file = 'dist/bin/redproof.js'): void {
  const built = existsSync(join(ROOT, file)) ? statSync(join(ROOT, file)).mtimeMs : 0;
  const newest = Math.max(
    ...readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => statSync(join(ROOT, 'src', f)).mtimeMs),
  );
  if (built < newest) throw new Error(`${file} is missing or older than src/: run npm run build`);
}
