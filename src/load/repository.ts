import { createHash } from 'node:crypto';
import type { Host, ReadOptions } from '../host/host.js';
import { HostError } from '../host/host.js';
import { DEFAULT_LIMITS, decompressedCap, formatSize, type Limits } from '../limits/limits.js';
import { looksLikeUnknownCompression } from '../solver/compression.js';
import { type Engine, EngineError, Format, type Pool, Repo } from '../solver/index.js';
import { CLIP_TEXT_LENGTH, clip } from '../util/clip.js';
import { hashAlgorithm } from './checksum-type.js';
import { decompressedSize } from './decompressed-size.js';
import { InputError } from './errors.js';
import { ghostsFromText, ghostsToText, mergeGhosts } from './ghost-cache.js';
import { resolveInside } from './inside.js';
import type { Repomd, RepomdEntry } from './repomd.js';
import { jsHead, rootElement } from './xml-sniff.js';

/** A repository as the user names it: `id=path` (or a bare path, whose id is derived). */
export interface RepoSpec {
  id: string;
  /** Path as the user gave it (used in messages). */
  path: string;
  /** Absolute path on the host. */
  absPath: string;
  /** Named on the command line: a FIFO there (`--repo <(...)`) is read, up to `limits.pipeSize`. */
  allowPipe?: boolean;
}

/** A cache of parsed repositories as `.solv` bytes (the CLI gives one backed by $XDG_CACHE_HOME). */
export interface SolvCache {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** Called when an entry could not be loaded: it must not be trusted again. */
  drop(key: string): Promise<void>;
}

export interface LoadOptions {
  /** Skip filelists.xml (faster; file dependencies then resolve only through primary's file list). */
  noFilelists?: boolean;
  cache?: SolvCache;
  /** Version string of the engine and loader, part of every cache key. */
  cacheVersion?: string;
}

/** What was loaded for one repository, for reports and for later commands. */
export interface LoadedRepo {
  spec: RepoSpec;
  repo: Repo;
  /** updateinfo advisories live in their own libsolv repo, so they never count as packages. */
  updateinfo?: Repo;
  kind: 'repomd' | 'primary' | 'solv';
  packages: number;
  usedFilelists: boolean;
  fromCache: boolean;
  /** Metadata types present in repomd.xml that redproof does not use. */
  ignoredTypes: string[];
  /** Paths the metadata lists as directories (libsolv keeps the paths, not their type). */
  dirs: Set<string>;
  /**
   * `%ghost` files by package NEVRA (`<file type="ghost">`); `undefined` when the metadata could not
   * be read for them (a compression Node cannot decompress). Empty for a `.solv` file, which keeps none.
   */
  ghosts: Map<string, string[]> | undefined;
  /** `sha256:<hex>` of repomd.xml (or of the metadata file itself): what a lock records. */
  checksum: string;
  /** repomd.xml's `<revision>`, when it has one. */
  revision?: string;
}

/** sha256 digests (hex) readVerified computed anyway, so the cache key does not hash the bytes again. */
const verifiedSha256 = new WeakMap<Uint8Array, string>();

function sha256Hex(bytes: Uint8Array): string {
  return verifiedSha256.get(bytes) ?? createHash('sha256').update(bytes).digest('hex');
}

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Derives a repository id from a path: its last meaningful component. */
export function deriveRepoId(path: string): string {
  const parts = path.split('/').filter((p) => p && p !== '.' && p !== 'repodata');
  let last = parts[parts.length - 1] ?? 'repo';
  // a metadata file (hashed or not) is named after its repository directory
  if (/primary\.xml|\.solv$/.test(last) && parts.length >= 2 && /primary\.xml/.test(last))
    last = parts[parts.length - 2]!;
  last = last.replace(/\.(xml|solv)(\.(gz|xz|zst|bz2))?$/, '');
  return last.replace(/[^A-Za-z0-9._+-]/g, '_') || 'repo';
}

/**
 * Reads one repository into the pool: a directory with repodata/repomd.xml (every file's checksum and
 * size verified against repomd.xml before use), a primary.xml in any compression, or a .solv file.
 */
export async function loadRepository(
  host: Host,
  engine: Engine,
  pool: Pool,
  spec: RepoSpec,
  options: LoadOptions = {},
): Promise<LoadedRepo> {
  const st = await statOrThrow(host, spec.absPath, spec.path);
  if (st.type === 'dir') return loadRepomdDir(host, engine, pool, spec, options);
  const pipe = spec.allowPipe === true && (st.mode & 0o170000) === 0o010000;
  if (st.type !== 'file' && !pipe) {
    throw new InputError('not-a-file', `${nonRegular(st.mode)}, which is not read`, {
      file: spec.path,
      expected: 'a directory holding repodata/repomd.xml, a primary.xml[.gz|.xz|.zst|.bz2] or a .solv file',
    });
  }
  const bytes = await readOrThrow(host, spec.absPath, spec.path, { allowPipe: pipe });
  if (isSolv(bytes)) {
    const repo = pool.addRepo(spec.id);
    addSolv(repo, bytes, spec.path);
    return {
      spec,
      repo,
      kind: 'solv',
      packages: repo.size,
      usedFilelists: false,
      fromCache: false,
      ignoredTypes: [],
      dirs: new Set(),
      ghosts: new Map(),
      checksum: sha256(bytes),
    };
  }
  await checkDecompressedSize(bytes, spec.path, limitsOf(host), undefined);
  const repo = pool.addRepo(spec.id);
  const n = await addPrimary(engine, repo, bytes, spec.path);
  const dirs = new Set(Repo.dirEntries(engine, bytes));
  const ghosts = (await ghostScan())(bytes, decompressedCap(limitsOf(host), bytes.byteLength));
  return {
    spec,
    repo,
    kind: 'primary',
    packages: n,
    usedFilelists: false,
    fromCache: false,
    ignoredTypes: [],
    dirs,
    ghosts,
    checksum: sha256(bytes),
  };
}

const USED_TYPES = new Set(['primary', 'filelists', 'updateinfo']);

async function loadRepomdDir(
  host: Host,
  engine: Engine,
  pool: Pool,
  spec: RepoSpec,
  options: LoadOptions,
): Promise<LoadedRepo> {
  return addVerifiedRepomd(host, engine, pool, await verifyRepomdDir(host, spec, options), options);
}

/**
 * A repository directory whose repomd.xml was read and every file it uses read and verified against it,
 * not yet in any pool: what `addVerifiedRepomd` adds, and what a pool image is keyed by.
 */
export interface VerifiedRepomd {
  spec: RepoSpec;
  repomdBytes: Uint8Array;
  revision?: string;
  ignoredTypes: string[];
  primary: { entry: RepomdEntry; bytes: Uint8Array };
  filelists?: { entry: RepomdEntry; bytes: Uint8Array };
  updateinfo?: { entry: RepomdEntry; bytes: Uint8Array };
  /** Key of the parse (`.solv`, dirs, ghosts) in the cache, when there is a cache. */
  cacheKey?: string;
  /** sha256 (hex) of the updateinfo bytes, when there are some. */
  updateinfoSha256?: string;
}

/** True for a path that `loadRepository` reads as a repository directory (repodata/repomd.xml). */
export async function isRepoDir(host: Host, spec: RepoSpec): Promise<boolean> {
  return (await statOrThrow(host, spec.absPath, spec.path)).type === 'dir';
}

/**
 * Reads repomd.xml and every file of it that is used, each checked against its size and checksum.
 * Every file repomd.xml names is verified on every run, cache or not, so the verdict never depends on
 * the cache; the cache key covers the verified bytes, so the cache only saves the parse.
 */
export async function verifyRepomdDir(
  host: Host,
  spec: RepoSpec,
  options: LoadOptions,
): Promise<VerifiedRepomd> {
  const repomdShown = `${spec.path.replace(/\/+$/, '')}/repodata/repomd.xml`;
  const root = await realpathOrThrow(host, spec.absPath, spec.path);
  const repomdPath = await insideOrThrow(host, root, 'repodata/repomd.xml', repomdShown, repomdShown, true);
  const repomdBytes = await readOrThrow(host, repomdPath, repomdShown);
  const repomd = await readRepomd(repomdBytes, repomdShown, options);
  const byType = new Map<string, RepomdEntry>();
  for (const e of repomd.entries) if (!byType.has(e.type)) byType.set(e.type, e);
  const primary = byType.get('primary');
  if (!primary) {
    throw new InputError('repomd-no-primary', 'repomd.xml lists no primary metadata', {
      file: repomdShown,
      expected: 'a <data type="primary"> entry',
    });
  }
  const useFilelists = !options.noFilelists && byType.has('filelists');
  const ignoredTypes = [...byType.keys()].filter((t) => !USED_TYPES.has(t)).sort();
  const primaryBytes = await readVerified(host, spec, root, primary, repomdShown);
  const fl = useFilelists ? byType.get('filelists')! : undefined;
  const flBytes = fl && (await readVerified(host, spec, root, fl, repomdShown));
  const ui = byType.get('updateinfo');
  const uiBytes = ui && (await readVerified(host, spec, root, ui, repomdShown));
  const cacheKey = options.cache
    ? createHash('sha256')
        .update(options.cacheVersion ?? '')
        .update('\0')
        .update(repomdBytes)
        .update(useFilelists ? '\0filelists\0' : '\0primary\0')
        .update(sha256Hex(primaryBytes))
        .update(flBytes ? sha256Hex(flBytes) : '')
        .digest('hex')
    : undefined;
  return {
    spec,
    repomdBytes,
    ...(repomd.revision !== undefined && { revision: repomd.revision }),
    ignoredTypes,
    primary: { entry: primary, bytes: primaryBytes },
    ...(fl && flBytes && { filelists: { entry: fl, bytes: flBytes } }),
    ...(ui && uiBytes && { updateinfo: { entry: ui, bytes: uiBytes }, updateinfoSha256: sha256Hex(uiBytes) }),
    ...(cacheKey && { cacheKey }),
  };
}

/** Adds a verified repository to the pool, from the cache's `.solv` when it holds it, else by parsing. */
export async function addVerifiedRepomd(
  host: Host,
  engine: Engine,
  pool: Pool,
  v: VerifiedRepomd,
  options: LoadOptions,
): Promise<LoadedRepo> {
  const { spec, cacheKey } = v;
  const repo = pool.addRepo(spec.id);
  let fromCache = false;
  let dirs = new Set<string>();
  let ghosts: Map<string, string[]> | undefined = new Map();
  if (options.cache && cacheKey) {
    const side = await cachedSideEntries(options.cache, cacheKey);
    const cached = side && (await options.cache.get(cacheKey).catch(() => undefined));
    if (cached && side) {
      try {
        addSolv(repo, cached, `cache entry for ${spec.path}`);
        ({ dirs, ghosts } = side);
        fromCache = true;
      } catch {
        // A corrupt or stale entry is rebuilt, never trusted.
        await options.cache.drop(cacheKey).catch(() => {});
        repo.dispose();
      }
    }
  }
  const target = fromCache ? repo : repo.pool.isDisposed ? repo : freshRepo(pool, repo, spec.id);
  let packages = target.size;
  if (!fromCache) {
    const primary = v.primary;
    const primaryShown = `${spec.path}/${primary.entry.href}`;
    await checkDecompressedSize(primary.bytes, primaryShown, limitsOf(host), primary.entry.openSize);
    packages = await addPrimary(engine, target, primary.bytes, primaryShown);
    for (const d of Repo.dirEntries(engine, primary.bytes)) dirs.add(d);
    ghosts = (await ghostScan())(primary.bytes, decompressedCap(limitsOf(host), primary.bytes.byteLength));
    const fl = v.filelists;
    if (fl) {
      const flShown = `${spec.path}/${fl.entry.href}`;
      await checkDecompressedSize(fl.bytes, flShown, limitsOf(host), fl.entry.openSize);
      addChecked(
        target,
        Format.FILELISTS,
        fl.bytes,
        flShown,
        `well-formed rpm-md filelists.xml${skippable(fl.entry)}`,
      );
      for (const d of Repo.dirEntries(engine, fl.bytes)) dirs.add(d);
      ghosts = mergeGhosts(
        ghosts,
        (await ghostScan())(fl.bytes, decompressedCap(limitsOf(host), fl.bytes.byteLength)),
      );
    }
    if (options.cache && cacheKey) {
      await options.cache.put(cacheKey, target.writeSolv()).catch(() => {});
      await options.cache
        .put(`${cacheKey}-dirs`, new TextEncoder().encode([...dirs].sort().join('\n')))
        .catch(() => {});
      await options.cache
        .put(`${cacheKey}-ghosts`, new TextEncoder().encode(ghostsToText(ghosts)))
        .catch(() => {});
    }
  }
  let updateinfo: Repo | undefined;
  const ui = v.updateinfo;
  if (ui) {
    const uiShown = `${spec.path}/${ui.entry.href}`;
    await checkDecompressedSize(ui.bytes, uiShown, limitsOf(host), ui.entry.openSize);
    updateinfo = pool.addRepo(`${spec.id}:updateinfo`);
    addChecked(updateinfo, Format.UPDATEINFO, ui.bytes, uiShown, 'well-formed rpm-md updateinfo.xml');
  }
  return loadedRepomd(v, target, updateinfo, { packages, fromCache, dirs, ghosts });
}

/** The cached directory and `%ghost` lists of a parse, or undefined when the cache lacks either. */
export async function cachedSideEntries(
  cache: SolvCache,
  cacheKey: string,
): Promise<{ dirs: Set<string>; ghosts: Map<string, string[]> | undefined } | undefined> {
  const [dirs, ghosts] = await Promise.all([
    cache.get(`${cacheKey}-dirs`).catch(() => undefined),
    cache.get(`${cacheKey}-ghosts`).catch(() => undefined),
  ]);
  if (!dirs || !ghosts) return undefined;
  try {
    return {
      dirs: new Set(new TextDecoder().decode(dirs).split('\n').filter(Boolean)),
      ghosts: ghostsFromText(new TextDecoder().decode(ghosts)),
    };
  } catch {
    // an entry of an older format: the parse is made again and the entries replaced
    return undefined;
  }
}

/** The LoadedRepo of a verified repository once its packages are in a pool (parsed, cached or restored). */
export function loadedRepomd(
  v: VerifiedRepomd,
  repo: Repo,
  updateinfo: Repo | undefined,
  got: { packages: number; fromCache: boolean; dirs: Set<string>; ghosts: Map<string, string[]> | undefined },
): LoadedRepo {
  return {
    spec: v.spec,
    repo,
    ...(updateinfo && { updateinfo }),
    kind: 'repomd',
    packages: got.packages,
    usedFilelists: v.filelists !== undefined,
    fromCache: got.fromCache,
    ignoredTypes: v.ignoredTypes,
    dirs: got.dirs,
    ghosts: got.ghosts,
    checksum: sha256(v.repomdBytes),
    ...(v.revision !== undefined && { revision: v.revision }),
  };
}

/**
 * repomd.xml as data. With a cache, the parse of these exact bytes is kept in it (entry `KEY-repomd`), so
 * a warm run does not even load the XML parser (importing fast-xml-parser alone took ≈ 65 ms CPU).
 * Malformed XML is never cached: its error comes back on every run.
 */
async function readRepomd(bytes: Uint8Array, shown: string, options: LoadOptions): Promise<Repomd> {
  const key = options.cache
    ? `${createHash('sha256')
        .update(options.cacheVersion ?? '')
        .update('\0repomd\0')
        .update(bytes)
        .digest('hex')}-repomd`
    : undefined;
  if (options.cache && key) {
    const cached = await options.cache.get(key).catch(() => undefined);
    const parsed = cached && parseCachedRepomd(cached);
    if (parsed) return parsed;
  }
  const { parseRepomd } = await import('./repomd.js');
  const repomd = parseRepomd(new TextDecoder().decode(bytes), shown);
  // JSON has no NaN: a repomd.xml with a non-numeric <size> is simply parsed again next time.
  if (options.cache && key && repomd.entries.every((e) => e.size === undefined || Number.isFinite(e.size))) {
    await options.cache.put(key, new TextEncoder().encode(JSON.stringify(repomd))).catch(() => {});
  }
  return repomd;
}

/** A cached parse, or undefined when the entry is not one (it is then parsed again and replaced). */
function parseCachedRepomd(bytes: Uint8Array): Repomd | undefined {
  try {
    const data = JSON.parse(new TextDecoder().decode(bytes)) as Repomd;
    const ok =
      Array.isArray(data?.entries) &&
      data.entries.every(
        (e) =>
          typeof e === 'object' &&
          e !== null &&
          typeof e.type === 'string' &&
          typeof e.href === 'string' &&
          (e.size === undefined || typeof e.size === 'number') &&
          (e.openSize === undefined || typeof e.openSize === 'number') &&
          (e.checksum === undefined ||
            (typeof e.checksum?.type === 'string' && typeof e.checksum?.value === 'string')),
      );
    return ok ? data : undefined;
  } catch {
    return undefined;
  }
}

/** A repo disposed after a bad cache entry is replaced by a new, empty one under the same id. */
function freshRepo(pool: Pool, repo: Repo, id: string): Repo {
  try {
    void repo.size;
    return repo;
  } catch {
    return pool.addRepo(id);
  }
}

/** What `--no-filelists` would do about a broken filelists file (the one entry that can be done without). */
function skippable(entry: RepomdEntry): string {
  return entry.type === 'filelists'
    ? '; `--no-filelists` skips it: file dependencies then resolve only through the paths primary.xml lists, and RP005 compares only those'
    : '';
}

async function readVerified(
  host: Host,
  spec: RepoSpec,
  root: string,
  entry: RepomdEntry,
  repomdShown: string,
): Promise<Uint8Array> {
  const shown = `${spec.path.replace(/\/+$/, '')}/${entry.href}`;
  if (entry.href.split('/').includes('..') || entry.href.startsWith('/') || /^[a-z]+:/i.test(entry.href)) {
    throw new InputError('repomd-href', `location href \`${clip(entry.href)}\` leaves the repository`, {
      file: repomdShown,
      expected: 'a path relative to the repository, such as repodata/<file>',
    });
  }
  const abs = await insideOrThrow(host, root, entry.href, shown, repomdShown, false, entry);
  const st = await statOrThrow(host, abs, shown);
  if (st.type !== 'file') {
    throw new InputError('not-a-file', `${nonRegular(st.mode)}, which is not read`, {
      file: shown,
      expected: `the ${entry.type} file repomd.xml describes, a regular file`,
    });
  }
  // Sizes are compared before reading, so a file of the wrong size is never read whole.
  if (entry.size !== undefined && !Number.isNaN(entry.size) && st.size !== entry.size) {
    throw new InputError(
      'checksum-mismatch',
      `size mismatch: repomd.xml says ${entry.size} bytes, the file has ${st.size}${skippable(entry)}`,
      { file: shown, expected: 'the file repomd.xml describes (truncated or replaced?)' },
    );
  }
  const bytes = await readOrThrow(host, abs, shown);
  if (entry.size !== undefined && !Number.isNaN(entry.size) && bytes.length !== entry.size) {
    throw new InputError(
      'checksum-mismatch',
      `size mismatch: repomd.xml says ${entry.size} bytes, the file has ${bytes.length}${skippable(entry)}`,
      { file: shown, expected: 'the file repomd.xml describes (truncated or replaced?)' },
    );
  }
  if (entry.checksum) {
    const algo = hashAlgorithm(entry.checksum.type);
    if (!algo) {
      throw new InputError('checksum-type', `unknown checksum type \`${clip(entry.checksum.type)}\``, {
        file: repomdShown,
        expected: 'sha1, sha224, sha256, sha384, sha512 or md5',
      });
    }
    const actual = createHash(algo).update(bytes).digest('hex');
    if (algo === 'sha256') verifiedSha256.set(bytes, actual);
    if (actual !== entry.checksum.value.toLowerCase()) {
      throw new InputError(
        'checksum-mismatch',
        `checksum mismatch: repomd.xml expects ${entry.checksum.type} ${clip(entry.checksum.value)}, the file has ${actual}${skippable(entry)}`,
        { file: shown, expected: 'the file repomd.xml describes' },
      );
    }
  }
  return bytes;
}

function limitsOf(host: Host): Limits {
  return host.limits ?? DEFAULT_LIMITS;
}

/**
 * Refuses a compressed file whose decompressed size is over the bound (docs/limits.md) or over the
 * `open-size` repomd.xml declares, before the engine decompresses it.
 */
async function checkDecompressedSize(
  bytes: Uint8Array,
  shown: string,
  limits: Limits,
  openSize: number | undefined,
): Promise<void> {
  const cap = decompressedCap(limits, bytes.byteLength);
  if (openSize !== undefined && Number.isFinite(openSize) && openSize > cap) {
    throw new InputError(
      'decompression-limit',
      `repomd.xml declares an open-size of ${formatSize(openSize)}, over the limit of ${formatSize(cap)} for ${formatSize(bytes.byteLength)} compressed`,
      { file: shown, expected: 'metadata within --limit decompressed-size / ratio (docs/limits.md)' },
    );
  }
  const bound = await decompressedSize(bytes, cap);
  if (bound.corrupt) {
    throw new InputError('primary-corrupt', `cannot decompress: ${bound.corrupt}`, {
      file: shown,
      expected: 'intact compressed data',
    });
  }
  if (bound.compression === 'none') return;
  if (openSize !== undefined && Number.isFinite(openSize) && bound.exact && bound.size !== openSize) {
    throw new InputError(
      'open-size-mismatch',
      `decompresses to ${bound.size} bytes but repomd.xml declares an open-size of ${openSize}`,
      { file: shown, expected: 'the file repomd.xml describes' },
    );
  }
  if (bound.size > cap) {
    const what = bound.exact
      ? 'decompresses to'
      : bound.size === cap + 1
        ? 'decompresses to more than'
        : 'may decompress to up to';
    const size = bound.size === cap + 1 ? cap : bound.size;
    throw new InputError(
      'decompression-limit',
      `${bound.compression} data of ${formatSize(bytes.byteLength)} ${what} ${formatSize(size)}, over the limit of ${formatSize(cap)} (ratio ${limits.ratio} above ${formatSize(limits.ratioFloor)}, at most ${formatSize(limits.decompressedSize)})`,
      {
        file: shown,
        expected:
          'metadata within the decompression limits; raise them with --limit decompressed-size=SIZE or --limit ratio=N (docs/limits.md)',
      },
    );
  }
}

/** `repo.add` whose engine error becomes an input error naming the file. */
function addChecked(
  repo: Repo,
  format: (typeof Format)[keyof typeof Format],
  bytes: Uint8Array,
  shown: string,
  expected: string,
): void {
  try {
    repo.add(format, bytes, shown);
  } catch (err) {
    if (err instanceof EngineError) {
      throw new InputError('metadata-parse', clip(err.message.replace(`${shown}: `, ''), CLIP_TEXT_LENGTH), {
        file: shown,
        cause: err,
        expected,
      });
    }
    throw err;
  }
}

/**
 * Adds primary.xml data after checking that it is rpm-md primary metadata: libsolv's reader ignores
 * unknown XML and would silently give an empty repository. Returns the number of packages added.
 */
async function addPrimary(engine: Engine, repo: Repo, bytes: Uint8Array, shown: string): Promise<number> {
  const unknown = looksLikeUnknownCompression(bytes);
  if (unknown) {
    throw new InputError('compression', `${unknown} compression is not supported`, {
      file: shown,
      expected: 'gzip, xz, zstd, bzip2 or uncompressed XML',
    });
  }
  let head = await jsHead(bytes);
  if (head === undefined) {
    const peek = Repo.peek(engine, bytes, 8192);
    if (peek.error) {
      throw new InputError('primary-corrupt', `cannot decompress: ${peek.error}`, {
        file: shown,
        expected: 'intact compressed data',
      });
    }
    head = peek.text;
  }
  const rootName = rootElement(head);
  if (rootName !== 'metadata') {
    throw new InputError(
      'primary-root',
      `not rpm-md primary metadata: root element is <${clip(rootName ?? 'none')}>`,
      {
        file: shown,
        expected: '<metadata xmlns="http://linux.duke.edu/metadata/common" packages="N">',
      },
    );
  }
  const declared = /<metadata\b[^>]*\bpackages="(\d+)"/.exec(head)?.[1];
  const before = repo.size;
  try {
    repo.add(Format.RPMMD, bytes, shown);
  } catch (err) {
    if (err instanceof EngineError) {
      throw new InputError('primary-parse', clip(err.message.replace(`${shown}: `, ''), CLIP_TEXT_LENGTH), {
        file: shown,
        cause: err,
        expected: 'well-formed rpm-md primary.xml',
      });
    }
    throw err;
  }
  const added = repo.size - before;
  if (declared !== undefined && Number(declared) !== added) {
    throw new InputError(
      'primary-count',
      `primary.xml declares ${declared} packages but ${added} could be read (truncated or corrupt?)`,
      { file: shown, expected: `${declared} <package> entries` },
    );
  }
  return added;
}

function addSolv(repo: Repo, bytes: Uint8Array, shown: string): void {
  try {
    repo.add(Format.SOLV, bytes, shown);
  } catch (err) {
    if (err instanceof EngineError) {
      throw new InputError('solv', clip(err.message.replace(`${shown}: `, ''), CLIP_TEXT_LENGTH), {
        file: shown,
        cause: err,
        expected: 'a .solv file written by libsolv 0.7.23 (repo2solv, rpmdb2solv or redproof)',
      });
    }
    throw err;
  }
}

/** `.solv` files start with the magic `SOLV`. */
function isSolv(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x53 && bytes[1] === 0x4f && bytes[2] === 0x4c && bytes[3] === 0x56
  );
}

async function statOrThrow(host: Host, abs: string, shown: string) {
  let st: Awaited<ReturnType<Host['stat']>>;
  try {
    st = await host.stat(abs);
  } catch (err) {
    throw hostError(err, shown);
  }
  if (!st) {
    throw new InputError('not-found', 'no such file or directory', {
      file: shown,
      expected: 'a directory holding repodata/repomd.xml, a primary.xml[.gz|.xz|.zst|.bz2] or a .solv file',
    });
  }
  return st;
}

async function readOrThrow(
  host: Host,
  abs: string,
  shown: string,
  options?: ReadOptions,
): Promise<Uint8Array> {
  try {
    return await host.readFile(abs, options);
  } catch (err) {
    throw hostError(err, shown);
  }
}

async function realpathOrThrow(host: Host, abs: string, shown: string): Promise<string> {
  try {
    return await host.realpath(abs);
  } catch (err) {
    throw hostError(err, shown);
  }
}

async function insideOrThrow(
  host: Host,
  root: string,
  rel: string,
  shown: string,
  repomdShown: string,
  isRepomd: boolean,
  entry?: RepomdEntry,
): Promise<string> {
  let real: string | undefined;
  try {
    real = await resolveInside(host, root, rel);
  } catch (err) {
    if (err instanceof HostError && err.code === 'ENOENT') {
      if (isRepomd) {
        throw new InputError('repomd-missing', 'no repodata/repomd.xml in this directory', {
          file: shown.replace(/\/repodata\/repomd\.xml$/, ''),
          expected:
            'a directory holding repodata/repomd.xml, a primary.xml[.gz|.xz|.zst|.bz2] or a .solv file',
        });
      }
      throw new InputError(
        'repomd-href-missing',
        `repomd.xml lists ${entry?.type} at \`${clip(rel)}\`, which does not exist${entry ? skippable(entry) : ''}`,
        { file: repomdShown, expected: 'every file named by repomd.xml to be present' },
      );
    }
    throw hostError(err, shown);
  }
  if (real === undefined) {
    throw new InputError('outside-repository', 'a symlink leads outside the repository; it is not read', {
      file: shown,
      expected: 'every metadata file inside the repository directory',
    });
  }
  return real;
}

/** What a stat mode is when it is not a regular file or a directory. */
function nonRegular(mode: number): string {
  switch (mode & 0o170000) {
    case 0o010000:
      return 'a FIFO';
    case 0o020000:
      return 'a character device';
    case 0o060000:
      return 'a block device';
    case 0o140000:
      return 'a socket';
    default:
      return 'not a regular file';
  }
}

function hostError(err: unknown, shown: string): InputError {
  if (err instanceof HostError) {
    const why =
      err.code === 'EACCES'
        ? 'permission denied (a directory on the way lacks search (x) permission, or the file read permission)'
        : err.code === 'EISDIR'
          ? 'is a directory'
          : err.code === 'ENOTREG' || err.code === 'EFBIG'
            ? err.message.replace(/^reading `[^`]*`: /, '')
            : err.code === 'ENAMETOOLONG'
              ? 'the path is too long (ENAMETOOLONG)'
              : // the message repeats the (absolute) path the error already names
                err.code;
    return new InputError('unreadable', `cannot read: ${why}`, { file: shown, cause: err });
  }
  return new InputError('unreadable', `cannot read: ${clip(String(err), CLIP_TEXT_LENGTH)}`, {
    file: shown,
    cause: err,
  });
}

/**
 * The `%ghost` scan (src/load/ghost-entries.ts), loaded when metadata is parsed: it brings the pure
 * JavaScript decompressors, which a warm run never needs.
 */
async function ghostScan(): Promise<typeof import('./ghost-entries.js').ghostEntries> {
  return (await import('./ghost-entries.js')).ghostEntries;
}
