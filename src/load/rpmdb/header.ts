import { clip } from '../../util/clip.js';
import type { Dependency, DepOp, InstalledPackage, PackageFile } from './types.js';

/** Tag numbers from rpm's `rpmtag.h` (stable on-disk values). */
export const RpmTag = {
  HEADERIMMUTABLE: 63,
  HEADERI18NTABLE: 100,
  SHA1HEADER: 269,
  SHA256HEADER: 273,
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  INSTALLTIME: 1008,
  SIZE: 1009,
  VENDOR: 1011,
  LICENSE: 1014,
  ARCH: 1022,
  OLDFILENAMES: 1027,
  FILESIZES: 1028,
  FILEMODES: 1030,
  FILERDEVS: 1033,
  FILEDIGESTS: 1035,
  FILELINKTOS: 1036,
  FILEFLAGS: 1037,
  FILEUSERNAME: 1039,
  FILEGROUPNAME: 1040,
  FILECOLORS: 1140,
  SOURCERPM: 1044,
  PROVIDENAME: 1047,
  REQUIREFLAGS: 1048,
  REQUIRENAME: 1049,
  REQUIREVERSION: 1050,
  CONFLICTFLAGS: 1053,
  CONFLICTNAME: 1054,
  CONFLICTVERSION: 1055,
  OBSOLETENAME: 1090,
  PROVIDEFLAGS: 1112,
  PROVIDEVERSION: 1113,
  OBSOLETEFLAGS: 1114,
  OBSOLETEVERSION: 1115,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
  LONGFILESIZES: 5008,
  LONGSIZE: 5009,
  FILEDIGESTALGO: 5011,
  RECOMMENDNAME: 5046,
  RECOMMENDVERSION: 5047,
  RECOMMENDFLAGS: 5048,
  SUGGESTNAME: 5049,
  SUGGESTVERSION: 5050,
  SUGGESTFLAGS: 5051,
  SUPPLEMENTNAME: 5052,
  SUPPLEMENTVERSION: 5053,
  SUPPLEMENTFLAGS: 5054,
  ENHANCENAME: 5055,
  ENHANCEVERSION: 5056,
  ENHANCEFLAGS: 5057,
} as const;

/** Header data types (`rpmTagType`). */
export const RpmType = {
  NULL: 0,
  CHAR: 1,
  INT8: 2,
  INT16: 3,
  INT32: 4,
  INT64: 5,
  STRING: 6,
  BIN: 7,
  STRING_ARRAY: 8,
  I18NSTRING: 9,
} as const;

/** RPMSENSE_* dependency flags (`rpmds.h`). */
export const RpmSense = {
  LESS: 1 << 1,
  GREATER: 1 << 2,
  EQUAL: 1 << 3,
  POSTTRANS: 1 << 5,
  PREREQ: 1 << 6,
  PRETRANS: 1 << 7,
  INTERP: 1 << 8,
  SCRIPT_PRE: 1 << 9,
  SCRIPT_POST: 1 << 10,
  SCRIPT_PREUN: 1 << 11,
  SCRIPT_POSTUN: 1 << 12,
  SCRIPT_VERIFY: 1 << 13,
  MISSINGOK: 1 << 19,
  RPMLIB: 1 << 24,
  CONFIG: 1 << 28,
} as const;

/** RPMFILE_* file flags (`rpmfiles.h`). */
export const RpmFileFlag = {
  CONFIG: 1 << 0,
  DOC: 1 << 1,
  MISSINGOK: 1 << 3,
  NOREPLACE: 1 << 4,
  GHOST: 1 << 6,
  LICENSE: 1 << 7,
  README: 1 << 8,
  ARTIFACT: 1 << 12,
} as const;

/** Bits that make a requirement an install-time one (rpm's `isLegacyPreReq`/`isInstallPreReq`). */
const PRE_BITS =
  RpmSense.PREREQ |
  RpmSense.PRETRANS |
  RpmSense.SCRIPT_PRE |
  RpmSense.SCRIPT_POST |
  RpmSense.SCRIPT_PREUN |
  RpmSense.SCRIPT_POSTUN |
  RpmSense.SCRIPT_VERIFY |
  RpmSense.POSTTRANS;

/** Header blob too short or self-inconsistent. */
export class HeaderError extends Error {
  override name = 'HeaderError' as const;
  constructor(
    readonly kind: 'truncated' | 'corrupt',
    message: string,
  ) {
    super(message);
  }
}

/** One raw tag value. Numbers are plain numbers (INT64 as number, exact up to 2^53). */
export type TagValue =
  | { type: 'string'; value: string }
  | { type: 'strings'; value: string[] }
  | { type: 'numbers'; value: number[] }
  | { type: 'binary'; value: Uint8Array };

/** Upper bounds rpm itself enforces in `hdrchkTags`/`hdrchkData` (headerImport). */
const MAX_TAGS = 0x0000ffff;
const MAX_DATA = 0x0fffffff;

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * A parsed rpm header as stored in an rpmdb (no lead, no magic): big-endian `il`, `dl`, then
 * `il` index entries `{tag, type, offset, count}` and `dl` bytes of data. Entries after the
 * immutable region (tag 63) were added at install time ("dribble") and win over region entries.
 */
export class RpmHeader {
  readonly tags: ReadonlyMap<number, TagValue>;

  private constructor(tags: Map<number, TagValue>) {
    this.tags = tags;
  }

  /** Parse a header blob; throws `HeaderError` on truncated or inconsistent data. */
  static parse(blob: Uint8Array): RpmHeader {
    if (blob.byteLength < 8)
      throw new HeaderError('truncated', `header is ${blob.byteLength} bytes, need at least 8`);
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const il = view.getUint32(0);
    const dl = view.getUint32(4);
    if (il === 0 || il > MAX_TAGS || dl > MAX_DATA) {
      throw new HeaderError('corrupt', `implausible header sizes: ${il} tags, ${dl} data bytes`);
    }
    const dataStart = 8 + il * 16;
    if (dataStart + dl > blob.byteLength) {
      throw new HeaderError(
        'truncated',
        `header declares ${il} tags and ${dl} data bytes (${dataStart + dl} bytes) but the blob has ${blob.byteLength}`,
      );
    }
    const tags = new Map<number, TagValue>();
    for (let i = 0; i < il; i++) {
      const at = 8 + i * 16;
      const tag = view.getUint32(at);
      const type = view.getUint32(at + 4);
      const offset = view.getInt32(at + 8);
      const count = view.getUint32(at + 12);
      if (tag >= 61 && tag <= 63) {
        // Region tags (HEADERIMAGE/SIGNATURES/IMMUTABLE) point at their trailer; nothing to extract.
        continue;
      }
      if (offset < 0 || offset > dl) {
        throw new HeaderError('corrupt', `tag ${tag} has data offset ${offset} outside 0..${dl}`);
      }
      tags.set(tag, readValue(blob, view, dataStart + offset, dataStart + dl, tag, type, count));
    }
    return new RpmHeader(tags);
  }

  /** A STRING/I18NSTRING tag (first string of an array), or `''`. */
  string(tag: number): string {
    const v = this.tags.get(tag);
    if (v === undefined) return '';
    if (v.type === 'string') return v.value;
    if (v.type === 'strings') return v.value[0] ?? '';
    return '';
  }

  /** A STRING_ARRAY tag (a single STRING becomes a one-element array), or `[]`. */
  strings(tag: number): string[] {
    const v = this.tags.get(tag);
    if (v === undefined) return [];
    if (v.type === 'strings') return v.value;
    if (v.type === 'string') return [v.value];
    return [];
  }

  /** An integer array tag, or `[]`. */
  numbers(tag: number): number[] {
    const v = this.tags.get(tag);
    return v?.type === 'numbers' ? v.value : [];
  }

  /** First integer of a tag, or `undefined`. */
  number(tag: number): number | undefined {
    return this.numbers(tag)[0];
  }

  has(tag: number): boolean {
    return this.tags.has(tag);
  }
}

function readCString(blob: Uint8Array, start: number, end: number, tag: number): [string, number] {
  const nul = blob.indexOf(0, start);
  if (nul < 0 || nul >= end) throw new HeaderError('corrupt', `tag ${tag}: unterminated string`);
  return [decoder.decode(blob.subarray(start, nul)), nul + 1];
}

function readValue(
  blob: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  tag: number,
  type: number,
  count: number,
): TagValue {
  const need = (bytes: number): void => {
    if (start + bytes > end) {
      throw new HeaderError('corrupt', `tag ${tag}: ${bytes} bytes of data run past the data store`);
    }
  };
  switch (type) {
    case RpmType.NULL:
      return { type: 'numbers', value: [] };
    case RpmType.CHAR:
    case RpmType.INT8: {
      need(count);
      return { type: 'numbers', value: Array.from(blob.subarray(start, start + count)) };
    }
    case RpmType.INT16: {
      need(count * 2);
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(view.getUint16(start + i * 2));
      return { type: 'numbers', value: out };
    }
    case RpmType.INT32: {
      need(count * 4);
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(view.getUint32(start + i * 4));
      return { type: 'numbers', value: out };
    }
    case RpmType.INT64: {
      need(count * 8);
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(Number(view.getBigUint64(start + i * 8)));
      return { type: 'numbers', value: out };
    }
    case RpmType.BIN: {
      need(count);
      return { type: 'binary', value: blob.slice(start, start + count) };
    }
    case RpmType.STRING: {
      const [s] = readCString(blob, start, end, tag);
      return { type: 'string', value: s };
    }
    case RpmType.STRING_ARRAY:
    case RpmType.I18NSTRING: {
      const out: string[] = [];
      let at = start;
      for (let i = 0; i < count; i++) {
        const [s, next] = readCString(blob, at, end, tag);
        out.push(s);
        at = next;
      }
      return { type: 'strings', value: out };
    }
    default:
      throw new HeaderError('corrupt', `tag ${tag}: unknown data type ${type}`);
  }
}

function opOf(flags: number): DepOp | undefined {
  const lt = (flags & RpmSense.LESS) !== 0;
  const gt = (flags & RpmSense.GREATER) !== 0;
  const eq = (flags & RpmSense.EQUAL) !== 0;
  if (lt && eq) return '<=';
  if (gt && eq) return '>=';
  if (lt) return '<';
  if (gt) return '>';
  if (eq) return '=';
  return undefined;
}

function deps(h: RpmHeader, nameTag: number, flagsTag: number, versionTag: number): Dependency[] {
  const names = h.strings(nameTag);
  const flags = h.numbers(flagsTag);
  const versions = h.strings(versionTag);
  return names.map((name, i) => {
    const f = flags[i] ?? 0;
    const d: Dependency = {
      name,
      flags: f,
      version: versions[i] ?? '',
      isRich: name.startsWith('('),
      isPre: (f & PRE_BITS) !== 0,
    };
    const op = opOf(f);
    if (op !== undefined) d.op = op;
    return d;
  });
}

function hex(h: RpmHeader, tag: number): string {
  const v = h.tags.get(tag);
  if (v === undefined) return '';
  if (v.type === 'string') return v.value;
  if (v.type === 'binary') return Array.from(v.value, (b) => b.toString(16).padStart(2, '0')).join('');
  return '';
}

function files(h: RpmHeader): PackageFile[] {
  let paths: string[];
  if (h.has(RpmTag.BASENAMES)) {
    const base = h.strings(RpmTag.BASENAMES);
    const dirs = h.strings(RpmTag.DIRNAMES);
    const idx = h.numbers(RpmTag.DIRINDEXES);
    paths = base.map((b, i) => {
      const d = dirs[idx[i] ?? -1];
      if (d === undefined) throw new HeaderError('corrupt', `file ${i} (${clip(b)}) has no directory entry`);
      return d + b;
    });
  } else {
    paths = h.strings(RpmTag.OLDFILENAMES);
  }
  const digests = h.strings(RpmTag.FILEDIGESTS);
  const modes = h.numbers(RpmTag.FILEMODES);
  const flags = h.numbers(RpmTag.FILEFLAGS);
  const sizes = h.has(RpmTag.LONGFILESIZES) ? h.numbers(RpmTag.LONGFILESIZES) : h.numbers(RpmTag.FILESIZES);
  const links = h.strings(RpmTag.FILELINKTOS);
  const users = h.strings(RpmTag.FILEUSERNAME);
  const groups = h.strings(RpmTag.FILEGROUPNAME);
  const rdevs = h.has(RpmTag.FILERDEVS) ? h.numbers(RpmTag.FILERDEVS) : [];
  const colors = h.has(RpmTag.FILECOLORS) ? h.numbers(RpmTag.FILECOLORS) : [];
  return paths.map((path, i) => {
    const f = flags[i] ?? 0;
    return {
      path,
      digest: digests[i] ?? '',
      mode: modes[i] ?? 0,
      flags: f,
      size: sizes[i] ?? 0,
      linkTo: links[i] ?? '',
      user: users[i] ?? '',
      group: groups[i] ?? '',
      rdev: rdevs[i] ?? 0,
      color: colors[i] ?? 0,
      isConfig: (f & RpmFileFlag.CONFIG) !== 0,
      isGhost: (f & RpmFileFlag.GHOST) !== 0,
    };
  });
}

/** `name-[epoch:]version-release.arch`, the form used in findings. */
export function formatNevra(p: {
  name: string;
  epoch?: number | undefined;
  version: string;
  release: string;
  arch: string;
}): string {
  const e = p.epoch !== undefined ? `${p.epoch}:` : '';
  const a = p.arch === '' ? '' : `.${p.arch}`;
  return `${p.name}-${e}${p.version}-${p.release}${a}`;
}

/** Decode the fields redproof uses from a header blob; throws `HeaderError`. */
export function parseHeaderBlob(blob: Uint8Array, hnum: number): InstalledPackage {
  const h = RpmHeader.parse(blob);
  const name = h.string(RpmTag.NAME);
  if (name === '') throw new HeaderError('corrupt', 'header has no NAME tag');
  // INT16 FILEMODES are unsigned 16 bits, as st_mode's low bits.
  const epoch = h.number(RpmTag.EPOCH);
  const pkg: InstalledPackage = {
    hnum,
    name,
    version: h.string(RpmTag.VERSION),
    release: h.string(RpmTag.RELEASE),
    arch: h.string(RpmTag.ARCH),
    nevra: '',
    provides: deps(h, RpmTag.PROVIDENAME, RpmTag.PROVIDEFLAGS, RpmTag.PROVIDEVERSION),
    requires: deps(h, RpmTag.REQUIRENAME, RpmTag.REQUIREFLAGS, RpmTag.REQUIREVERSION),
    conflicts: deps(h, RpmTag.CONFLICTNAME, RpmTag.CONFLICTFLAGS, RpmTag.CONFLICTVERSION),
    obsoletes: deps(h, RpmTag.OBSOLETENAME, RpmTag.OBSOLETEFLAGS, RpmTag.OBSOLETEVERSION),
    recommends: deps(h, RpmTag.RECOMMENDNAME, RpmTag.RECOMMENDFLAGS, RpmTag.RECOMMENDVERSION),
    suggests: deps(h, RpmTag.SUGGESTNAME, RpmTag.SUGGESTFLAGS, RpmTag.SUGGESTVERSION),
    supplements: deps(h, RpmTag.SUPPLEMENTNAME, RpmTag.SUPPLEMENTFLAGS, RpmTag.SUPPLEMENTVERSION),
    enhances: deps(h, RpmTag.ENHANCENAME, RpmTag.ENHANCEFLAGS, RpmTag.ENHANCEVERSION),
    files: files(h),
    fileDigestAlgo: h.number(RpmTag.FILEDIGESTALGO) ?? 1,
    size: h.number(RpmTag.LONGSIZE) ?? h.number(RpmTag.SIZE),
    license: h.string(RpmTag.LICENSE),
    vendor: h.string(RpmTag.VENDOR),
    sourceRpm: h.string(RpmTag.SOURCERPM),
    sha256Header: hex(h, RpmTag.SHA256HEADER),
    sha1Header: hex(h, RpmTag.SHA1HEADER),
    installTime: h.number(RpmTag.INSTALLTIME) ?? 0,
  };
  if (epoch !== undefined) pkg.epoch = epoch;
  pkg.nevra = formatNevra(pkg);
  return pkg;
}
