import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';
import { InputError } from './errors.js';

/** One `<data>` entry of repomd.xml. */
export interface RepomdEntry {
  type: string;
  href: string;
  checksum?: { type: string; value: string };
  size?: number;
  /** `<open-size>`: the decompressed size, when createrepo_c recorded it. */
  openSize?: number;
}

/** What redproof needs from repodata/repomd.xml. */
export interface Repomd {
  revision?: string;
  entries: RepomdEntry[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  isArray: (name) => name === 'data',
  parseTagValue: false,
  parseAttributeValue: false,
});

/** Parses repomd.xml text (pure). Errors name the file and what was expected. */
export function parseRepomd(text: string, file: string): Repomd {
  // rpm-md never uses a DTD; refusing one up front keeps entity expansion (XXE, billion laughs) out.
  const dtd = /<!DOCTYPE|<!ENTITY/i.exec(text);
  if (dtd) {
    const line = text.slice(0, dtd.index).split('\n').length;
    throw new InputError('repomd-xml', 'a DOCTYPE or ENTITY declaration is not allowed in repomd.xml', {
      file,
      line,
      expected: 'a repomd.xml as createrepo_c writes it (no DTD)',
    });
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new InputError('repomd-xml', `malformed XML: ${clip(valid.err.msg, CLIP_TEXT_LENGTH)}`, {
      file,
      line: valid.err.line,
      column: valid.err.col,
      expected: 'a repomd.xml as createrepo_c writes it',
    });
  }
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new InputError('repomd-xml', `malformed XML: ${clip((err as Error).message, CLIP_TEXT_LENGTH)}`, {
      file,
      expected: 'a repomd.xml as createrepo_c writes it',
    });
  }
  const root = doc.repomd as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') {
    const found = Object.keys(doc).filter((k) => !k.startsWith('?'))[0];
    throw new InputError('repomd-root', `root element is <${clip(found ?? 'nothing')}>`, {
      file,
      expected: '<repomd> (rpm-md repository metadata)',
    });
  }
  const entries: RepomdEntry[] = [];
  for (const d of (root.data as Record<string, unknown>[] | undefined) ?? []) {
    const type = String(d['@type'] ?? '');
    const loc = d.location as Record<string, unknown> | undefined;
    const href = loc ? String(loc['@href'] ?? '') : '';
    if (!type || !href) {
      throw new InputError('repomd-entry', `a <data> entry has no type or no <location href>`, {
        file,
        expected: '<data type="..."><location href="..."/></data>',
      });
    }
    const entry: RepomdEntry = { type, href };
    const ck = d.checksum as Record<string, unknown> | string | undefined;
    if (ck && typeof ck === 'object') {
      entry.checksum = { type: String(ck['@type'] ?? 'sha256'), value: String(ck['#text'] ?? '').trim() };
    }
    if (d.size !== undefined) entry.size = Number(d.size);
    const open = d['open-size'];
    if (open !== undefined && /^\s*\d+\s*$/.test(String(open))) entry.openSize = Number(open);
    entries.push(entry);
  }
  const rev = root.revision;
  return { ...(rev !== undefined && { revision: String(rev) }), entries };
}

export { hashAlgorithm } from './checksum-type.js';
