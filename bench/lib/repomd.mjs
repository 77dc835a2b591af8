// bench/lib/repomd.mjs — find metadata files of an rpm-md repo through repodata/repomd.xml
// (file names are usually hashed: <sha256>-primary.xml.gz).
//
//   repomdData('/path/to/repo')            // { primary: '/path/to/repo/repodata/…-primary.xml.gz', filelists: …, … }
//   primaryPath('/path/to/repo')           // just the primary
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Map data type → absolute path of each <data type="…"><location href="…"/> in repomd.xml. */
export function repomdData(repoDir) {
  const repomd = join(repoDir, 'repodata/repomd.xml');
  if (!existsSync(repomd)) throw new Error(`no repodata/repomd.xml in ${repoDir}`);
  const xml = readFileSync(repomd, 'utf8');
  const out = {};
  for (const m of xml.matchAll(/<data\s+type="([^"]+)"[^>]*>([\s\S]*?)<\/data>/g)) {
    const href = /<location\s+[^>]*href="([^"]+)"/.exec(m[2]);
    if (href) out[m[1]] = join(repoDir, href[1]);
  }
  return out;
}

export function primaryPath(repoDir) {
  const p = repomdData(repoDir).primary;
  if (!p) throw new Error(`repomd.xml of ${repoDir} lists no primary`);
  return p;
}
