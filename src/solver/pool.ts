import { compressionSuffix, detectCompression, looksLikeUnknownCompression } from './compression.js';
import { Format, JobAction, Select } from './constants.js';
import { type Engine, INTERNAL } from './engine.js';
import { EngineError } from './errors.js';
import { applyImage, decodeImage, encodeImage } from './image.js';
import { GLUE_VERSION, moduleSha256 } from './module.js';
import { parseProblems, parseTransaction, parseUninstallable } from './problems.js';
import type {
  Advisory,
  InstallCheckOptions,
  InstallCheckTriage,
  Job,
  PackageSummary,
  Problem,
  Requirement,
  RuleInfo,
  Selection,
  SharedPaths,
  Solvable,
  SolveResult,
  Uninstallable,
} from './types.js';
import { fields, records, unescapeValue } from './wire.js';

/** rp_installcheck flags (RP_IC_* in wasm/src/glue.c). */
const IC_DERIVE = 1;
const IC_TRIAGE = 2;
const IC_SOLVE_EACH = 4;
/** rp_solve flags (RP_SOLVE_* in wasm/src/glue.c). */
const SOLVE_IGNORE_RECOMMENDED = 1;
const SOLVE_NO_TRANSACTION = 2;

const registry = new FinalizationRegistry<{ engine: Engine; ptr: number }>(({ engine, ptr }) => {
  // Backstop only: a pool that was disposed unregisters itself, so this never runs for it.
  if (!engine.isBroken) engine.m._rp_pool_free(ptr);
});

/**
 * A libsolv pool with rpm semantics for one target arch. Owns its repositories: dispose() frees them
 * all. Usable with `using pool = engine.createPool('x86_64')`.
 */
export class Pool implements Disposable {
  readonly engine: Engine;
  #arch: string;
  #ptr: number;
  #repos: Repo[] = [];
  #prepared = false;
  #nevras: Map<number, string> | undefined;
  #nevrasFor = -1;

  /** @internal `adopt`: a pool already in the module's memory (a restored image), not a new one. */
  constructor(token: symbol, engine: Engine, arch: string, adopt?: number) {
    if (token !== INTERNAL) throw new TypeError('Illegal constructor: use engine.createPool()');
    if (!/^[A-Za-z0-9_]+$/.test(arch)) throw new EngineError('input', `invalid architecture \`${arch}\``);
    this.engine = engine;
    this.#arch = arch;
    this.#ptr =
      adopt ??
      engine.call(() => engine.withString(arch, (p) => engine.m._rp_pool_create(p)), 'creating a pool');
    if (!this.#ptr) {
      throw new EngineError(
        'semantics',
        'this libsolv build cannot use rpm semantics (DISTTYPE_RPM): rebuild wasm/dist',
      );
    }
    registry.register(this, { engine, ptr: this.#ptr }, this);
  }

  /** Target arch; the pool accepts it, its compatible arches (unless strict) and noarch. */
  get arch(): string {
    return this.#arch;
  }

  /** Changes the target arch (before queries); `strict` accepts only the arch itself and noarch. */
  setArch(arch: string, options: { strict?: boolean } = {}): void {
    if (!/^[A-Za-z0-9_]+$/.test(arch)) throw new EngineError('input', `invalid architecture \`${arch}\``);
    const e = this.engine;
    e.call(() => e.withString(arch, (p) => e.m._rp_pool_setarch(this.ptr, p, options.strict ? 1 : 0)));
    this.#arch = arch;
    this.#prepared = false;
  }

  /** @internal */
  get ptr(): number {
    if (!this.#ptr) throw new EngineError('disposed', 'pool used after it was disposed');
    return this.#ptr;
  }

  get isDisposed(): boolean {
    return this.#ptr === 0;
  }

  /** Frees the pool and every repo in it. Disposing twice does nothing. */
  dispose(): void {
    if (!this.#ptr) return;
    const ptr = this.#ptr;
    this.#ptr = 0;
    registry.unregister(this);
    for (const r of this.#repos) r._detach();
    this.#repos = [];
    if (!this.engine.isBroken) this.engine.m._rp_pool_free(ptr);
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Arches this pool accepts (the arch, its compatible arches and noarch). */
  arches(): string[] {
    const e = this.engine;
    e.call(() => e.m._rp_pool_arches(this.ptr));
    return fields(e.takeOutput()).filter(Boolean);
  }

  /** Creates an empty repository; higher priority wins when the same package is in several. */
  addRepo(name: string, priority = 0): Repo {
    const e = this.engine;
    const rptr = e.call(() => e.withString(name, (p) => e.m._rp_repo_create(this.ptr, p, priority)));
    const repo = new Repo(INTERNAL, this, rptr, name);
    this.#repos.push(repo);
    this.#prepared = false;
    return repo;
  }

  get repos(): readonly Repo[] {
    return this.#repos;
  }

  /**
   * This prepared pool as an image of the module's memory (src/solver/image.ts), for
   * `engine.restorePool()` in a later run: it must be the only pool or solver alive in its engine.
   */
  saveImage(): Uint8Array {
    const e = this.engine;
    if (!this.#prepared) throw new EngineError('input', 'a pool image can only be taken of a prepared pool');
    if (e.liveObjects() !== 1)
      throw new EngineError(
        'input',
        'a pool image can only be taken of the only pool or solver of its engine',
      );
    return encodeImage(e.m.HEAPU8, {
      glue: GLUE_VERSION,
      module: moduleSha256(),
      arch: this.#arch,
      pool: this.ptr,
      repos: this.#repos.map((r) => ({ name: r.name, ptr: r.ptr })),
    });
  }

  /**
   * The pool of an image, in `engine`, which must hold no pool or solver: its memory becomes the
   * image's. An image of another libsolv.wasm or glue, or one that does not decode, is refused.
   * @internal Use engine.restorePool().
   */
  static _restore(engine: Engine, bytes: Uint8Array): Pool {
    const image = decodeImage(bytes);
    if (image.meta.glue !== GLUE_VERSION || image.meta.module !== moduleSha256())
      throw new EngineError('input', 'the pool image was made by another libsolv.wasm');
    if (engine.liveObjects() !== 0)
      throw new EngineError('input', 'a pool image can only be restored into an engine that holds no pool');
    engine.call(() => applyImage(engine.m, image), 'restoring a pool image');
    const pool = new Pool(INTERNAL, engine, image.meta.arch, image.meta.pool);
    for (const r of image.meta.repos) pool.#repos.push(new Repo(INTERNAL, pool, r.ptr, r.name));
    pool.#prepared = true;
    return pool;
  }

  /** Must run after loading and before queries: internalizes repos, adds file provides, builds whatprovides. */
  prepare(): void {
    const e = this.engine;
    e.call(() => e.m._rp_pool_prepare(this.ptr), 'preparing the pool');
    this.#prepared = true;
  }

  /** @internal */
  ensurePrepared(): void {
    if (!this.#prepared) this.prepare();
  }

  /** @internal */
  markDirty(): void {
    this.#prepared = false;
    this.#nevras = undefined;
  }

  /** Marks a repo as the installed system (for update and erase jobs). */
  setInstalled(repo: Repo): void {
    const e = this.engine;
    e.call(() => e.m._rp_pool_set_installed(this.ptr, repo.ptr));
    this.#prepared = false;
  }

  /** Unsets the installed system (no repo is installed afterwards). */
  clearInstalled(): void {
    const e = this.engine;
    e.call(() => e.m._rp_pool_set_installed(this.ptr, 0));
    this.#prepared = false;
  }

  /**
   * Rebuilds the provider index after repos were added or removed since prepare(), without searching
   * file lists again: file provides found by prepare() travel with copied solvables.
   */
  refresh(): void {
    const e = this.engine;
    e.call(() => e.m._rp_pool_refresh(this.ptr), 'refreshing the pool');
    this.#prepared = true;
  }

  /** libsolv selection as job pairs (flags in `how`; OR in a JobAction to use one as a job). */
  selection(text: string, flags: number): Selection[] {
    const e = this.engine;
    this.ensurePrepared();
    e.call(() => e.withString(text, (p) => e.m._rp_selection(this.ptr, p, flags)));
    const out: Selection[] = [];
    for (const line of e.takeOutput().split('\n')) {
      if (!line) continue;
      const [how, what] = line.split('\t');
      out.push({ how: Number(how), what: Number(what) });
    }
    return out;
  }

  /** Which of `candidates` require (requires and pre-requires) a capability one of `targets` provides. */
  requirers(targets: readonly number[], candidates: readonly number[]): Requirement[] {
    const e = this.engine;
    this.ensurePrepared();
    if (!targets.length || !candidates.length) return [];
    e.call(() =>
      e.withInts(targets, (pt, nt) =>
        e.withInts(candidates, (pc, nc) => e.m._rp_requirers(this.ptr, pt, nt, pc, nc)),
      ),
    );
    const out: Requirement[] = [];
    for (const line of e.takeOutput().split('\n')) {
      if (!line) continue;
      const [c, t, dep] = fields(line);
      out.push({ candidate: Number(c), target: Number(t), dependency: dep ?? '' });
    }
    return out;
  }

  /** The updateinfo advisories of a repo (loaded with Format.UPDATEINFO). */
  advisories(repo: Repo): Advisory[] {
    const e = this.engine;
    this.ensurePrepared();
    e.call(() => e.m._rp_advisories(this.ptr, repo.start, repo.end));
    const out: Advisory[] = [];
    let cur: Advisory | undefined;
    for (const line of e.takeOutput().split('\n')) {
      if (!line) continue;
      const f = fields(line);
      if (f[0] === 'A') {
        cur = {
          solvable: Number(f[1]),
          id: f[2] ?? '',
          type: f[3] ?? '',
          severity: f[4] ?? '',
          status: f[5] ?? '',
          issued: Number(f[6] ?? 0),
          title: f[7] ?? '',
          references: [],
          packages: [],
        };
        out.push(cur);
      } else if (f[0] === 'R' && cur) {
        cur.references.push({ type: f[1] ?? '', id: f[2] ?? '', title: f[3] ?? '' });
      } else if (f[0] === 'K' && cur) {
        cur.packages.push({ name: f[1] ?? '', evr: f[2] ?? '', arch: f[3] ?? '' });
      }
    }
    return out;
  }

  /** Number of solvable ids (id 0 and 1 are reserved). */
  get size(): number {
    return this.engine.call(() => this.engine.m._rp_pool_nsolvables(this.ptr));
  }

  /**
   * Compact listing of solvables in [start, end) (default: all). `prepare: false` lists a pool not yet
   * prepared (names, versions and arches are there as loaded; install sizes and `installable` are only
   * right once it is): for a caller that picks the arch before the one prepare it needs.
   */
  list(start = 2, end = this.size, options: { prepare?: boolean } = {}): PackageSummary[] {
    const e = this.engine;
    if (options.prepare !== false) this.ensurePrepared();
    e.call(() => e.m._rp_list(this.ptr, start, end));
    const out: PackageSummary[] = [];
    for (const line of e.takeOutput().split('\n')) {
      if (!line) continue;
      const [id, name, evr, arch, repo, inst, size] = fields(line);
      out.push({
        id: Number(id),
        name: name!,
        evr: evr!,
        arch: arch!,
        nevra: `${name}-${evr}.${arch}`,
        repo: repo!,
        installable: inst === '1',
        ...installSizeOf(size),
      });
    }
    return out;
  }

  /** Everything libsolv knows about one solvable; files only when asked (they can be many). */
  solvable(id: number, options: { files?: boolean } = {}): Solvable {
    const e = this.engine;
    this.ensurePrepared();
    e.call(() => e.m._rp_solvable_info(this.ptr, id, options.files ? 1 : 0));
    const lines = e.takeOutput().split('\n');
    const head = fields(lines[0] ?? '');
    const s: Solvable = {
      id,
      name: head[0]!,
      evr: head[1]!,
      arch: head[2]!,
      nevra: head[3]!,
      repo: head[4]!,
      vendor: head[5] || undefined,
      license: head[6] || undefined,
      sourceRpm: head[7] || undefined,
      location: head[8] || undefined,
      checksum: head[9] || undefined,
      downloadSize: Number(head[10] ?? 0),
      ...installSizeOf(head[11]),
      buildTime: Number(head[12] ?? 0),
      ...splitEvr(head[1]!),
      provides: [],
      requires: [],
      prerequires: [],
      conflicts: [],
      obsoletes: [],
      recommends: [],
      suggests: [],
      supplements: [],
      enhances: [],
      files: options.files ? [] : undefined,
    };
    const dest: Record<string, string[] | undefined> = {
      P: s.provides,
      R: s.requires,
      Q: s.prerequires,
      C: s.conflicts,
      O: s.obsoletes,
      M: s.recommends,
      S: s.suggests,
      U: s.supplements,
      E: s.enhances,
      F: s.files,
    };
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (!line) continue;
      dest[line[0]!]?.push(unescapeValue(line.slice(2)));
    }
    return s;
  }

  /**
   * The paths of one solvable alone, as `solvable(id, { files: true }).files` lists them, without the
   * header and dependencies (audit reads those of packages from a `.solv` export this way).
   */
  files(id: number): string[] {
    const e = this.engine;
    this.ensurePrepared();
    e.call(() => e.m._rp_solvable_files(this.ptr, id));
    return records(e.takeOutput()).map(unescapeValue);
  }

  /**
   * The paths two or more of the packages `ids` ship, and which of them ship something below each such
   * path, computed in C from the file lists (src/engine/checks/shared-paths.ts computes the same from
   * lists in JavaScript): a family ships ~100k paths, of which RP005 looks at the few shared ones.
   */
  sharedPaths(ids: readonly number[]): SharedPaths {
    const e = this.engine;
    this.ensurePrepared();
    // the glue counts a package once per path only when it meets it once
    const distinct = [...new Set(ids)];
    e.call(() => e.withInts(distinct, (p, n) => e.m._rp_shared_paths(this.ptr, p, n)));
    const owners = new Map<string, number[]>();
    const below = new Map<string, number[]>();
    for (const line of records(e.takeOutput())) {
      const [kind, path, list] = fields(line);
      (kind === 'S' ? owners : below).set(path!, list!.split(' ').map(Number));
    }
    return { owners, below };
  }

  /** Providers of a dependency given in rpm syntax (`bash >= 4.0`, `(a or b)`, `/usr/bin/sh`). */
  whatProvides(dep: string): number[] {
    const e = this.engine;
    if (!dep.trim()) throw new EngineError('input', 'cannot parse an empty dependency');
    this.ensurePrepared();
    const n = e.call(() => e.withString(dep, (p) => e.m._rp_whatprovides(this.ptr, p)));
    if (n < 0) throw new EngineError('input', `cannot parse dependency \`${dep}\``);
    return idLines(e.takeOutput());
  }

  /** libsolv selection: solvables matching a name, provide, file or NEVRA, as the flags allow. */
  select(text: string, flags: number): number[] {
    const e = this.engine;
    this.ensurePrepared();
    e.call(() => e.withString(text, (p) => e.m._rp_select(this.ptr, p, flags)));
    return idLines(e.takeOutput());
  }

  /** rpm version comparison (epoch:version-release), as libsolv does it: <0, 0 or >0. */
  evrcmp(a: string, b: string): number {
    const e = this.engine;
    return e.call(() => e.withString(a, (pa) => e.withString(b, (pb) => e.m._rp_evrcmp(this.ptr, pa, pb))));
  }

  /** Restricts the solver to these solvables (a node's view); null lifts the restriction. */
  setConsidered(ids: readonly number[] | null, options: { prepare?: boolean } = {}): void {
    const e = this.engine;
    // without prepare, the caller rebuilds the provider index (refresh) so that it leaves out what is not considered
    if (options.prepare !== false) this.ensurePrepared();
    if (!ids || ids.length === 0) {
      e.call(() => e.m._rp_pool_set_considered(this.ptr, 0, 0));
      if (ids) {
        // An empty view considers nothing at all: use an id no solvable has, never "everything".
        e.call(() => e.withInts([1], (p, n) => e.m._rp_pool_set_considered(this.ptr, p, n)));
      }
      return;
    }
    e.call(() => e.withInts(ids, (p, n) => e.m._rp_pool_set_considered(this.ptr, p, n)));
  }

  /**
   * Solves a job; on failure every problem comes with every rule that explains it. `transaction: false`
   * when only the problems matter: the transaction is then neither built nor ordered (it stays empty).
   */
  solve(
    jobs: readonly Job[],
    options: { ignoreRecommended?: boolean; transaction?: boolean } = {},
  ): SolveResult {
    const e = this.engine;
    this.ensurePrepared();
    const flat: number[] = [];
    for (const j of jobs) flat.push(j.how, j.what);
    const flags =
      (options.ignoreRecommended === false ? 0 : SOLVE_IGNORE_RECOMMENDED) |
      (options.transaction === false ? SOLVE_NO_TRANSACTION : 0);
    const count = e.call(() => e.withInts(flat, (p, n) => e.m._rp_solve(this.ptr, p, n, flags)), 'solving');
    const text = e.takeOutput();
    const problems: Problem[] = count ? parseProblems(text, this) : [];
    return { problems, transaction: count ? [] : parseTransaction(text) };
  }

  /**
   * installcheck over the given candidates (default: installcheck's own candidate filter over the
   * solvables of `repos`): every package that cannot be installed, with its complete explanation.
   */
  installCheck(candidates: readonly number[], options: InstallCheckOptions = {}): Uninstallable[] {
    const e = this.engine;
    this.ensurePrepared();
    // installcheck also installs `rpm` of the pool arch when the pool has one; inside a restricted view
    // (a node) that would fail every package, so callers can leave it out (an empty arch matches no rpm).
    const arch = options.rpmJob === false ? '' : this.arch;
    const flags = (options.derive ? IC_DERIVE : 0) | (options.solveEach ? IC_SOLVE_EACH : 0);
    e.call(
      () =>
        e.withInts(candidates, (p, n) =>
          e.withString(arch, (a) => e.m._rp_installcheck(this.ptr, p, n, a, flags)),
        ),
      'checking installability',
    );
    return parseUninstallable(e.takeOutput(), this);
  }

  /**
   * Every Conflicts and Obsoletes between two of `ids` (a view set with setConsidered), as libsolv's rule
   * infos, found without solving: also for packages a solve would leave out because they cannot be
   * installed anyway. Rich conflicts are left to the solver.
   */
  viewConflicts(ids: readonly number[]): RuleInfo[] {
    const e = this.engine;
    this.ensurePrepared();
    e.call(() => e.withInts(ids, (p, n) => e.m._rp_view_conflicts(this.ptr, p, n)), 'checking conflicts');
    // the glue writes rule infos without a problem header: read them as the rules of one problem
    return parseProblems(`X\t1\n${e.takeOutput()}`, this)[0]?.rules ?? [];
  }

  /**
   * `check: 0` when installing all of `ids` together certainly succeeds, decided without the solver;
   * otherwise the number of the first check that could not prove it (rp_view_installs_trivially,
   * wasm/src/glue.c) with the package and dependency at which it stopped. `ids` must be exactly the
   * considered set (setConsidered) and the pool must have no installed system; a non-zero answer says
   * nothing about the solve, which the caller then runs.
   */
  trivialInstallBlocker(ids: readonly number[]): { check: number; package?: string; dependency?: string } {
    const e = this.engine;
    this.ensurePrepared();
    const check = e.call(() => e.withInts(ids, (p, n) => e.m._rp_view_installs_trivially(this.ptr, p, n)));
    if (check === 0) return { check };
    const [pkg, dep] = e.takeOutput().replace(/\n$/, '').split('\t');
    return { check, ...(pkg && { package: pkg }), ...(dep && { dependency: dep }) };
  }

  /**
   * installCheck without its solves: which candidates are blocked (uninstallable, found without solving)
   * and which are left by pruning. The rest are installable.
   */
  installCheckTriage(candidates: readonly number[], options: { rpmJob?: boolean } = {}): InstallCheckTriage {
    const e = this.engine;
    this.ensurePrepared();
    const arch = options.rpmJob === false ? '' : this.arch;
    e.call(
      () =>
        e.withInts(candidates, (p, n) =>
          e.withString(arch, (a) => e.m._rp_installcheck(this.ptr, p, n, a, IC_TRIAGE)),
        ),
      'checking installability',
    );
    const triage: InstallCheckTriage = { blocked: [], suspects: [] };
    for (const line of e.takeOutput().split('\n')) {
      if (line) (line[0] === 'B' ? triage.blocked : triage.suspects).push(Number(line.slice(2)));
    }
    return triage;
  }

  /**
   * Requirements of `ids` with no provider among the considered solvables (see setConsidered), found
   * without solving; rich dependencies are left out (only the solver evaluates them).
   */
  unmetRequires(ids: readonly number[]): { id: number; dep: string }[] {
    const e = this.engine;
    this.ensurePrepared();
    e.call(() => e.withInts(ids, (p, n) => e.m._rp_unmet_requires(this.ptr, p, n)), 'checking requirements');
    const out: { id: number; dep: string }[] = [];
    for (const line of e.takeOutput().split('\n')) {
      if (!line) continue;
      const [id, dep] = fields(line);
      out.push({ id: Number(id), dep: dep ?? '' });
    }
    return out;
  }

  /** installcheck's candidate filter over the solvables of these repos. */
  installCheckCandidates(repos: readonly Repo[]): number[] {
    const e = this.engine;
    this.ensurePrepared();
    const ids: number[] = [];
    for (const r of repos) {
      e.call(() =>
        e.withString(this.arch, (a) => e.m._rp_installcheck_candidates(this.ptr, r.start, r.end, a)),
      );
      for (const id of idLines(e.takeOutput())) ids.push(id); // no spread: a repository can hold 100k+ ids
    }
    return ids;
  }

  /** `name-[epoch:]version-release.arch` of a solvable id. */
  nevra(id: number): string {
    // Looked up per id and kept until the pool changes: rebuilding a map of the whole pool after every
    // change cost a node transaction (lock, update-check) a listing of ~19k packages per layer.
    if (!this.#nevras || this.#nevrasFor !== this.size) {
      this.#nevras = new Map();
      this.#nevrasFor = this.size;
    }
    let n = this.#nevras.get(id);
    if (n === undefined) {
      n =
        (id >= 2 && id < this.size ? this.list(id, id + 1)[0]?.nevra : undefined) ?? this.solvable(id).nevra;
      this.#nevras.set(id, n);
    }
    return n;
  }
}

/**
 * A repository inside a Pool. Owned by its pool: freed by Pool.dispose(); using it afterwards throws.
 */
export class Repo {
  readonly pool: Pool;
  readonly name: string;
  #ptr: number;

  /** @internal */
  constructor(token: symbol, pool: Pool, ptr: number, name: string) {
    if (token !== INTERNAL) throw new TypeError('Illegal constructor: use pool.addRepo()');
    this.pool = pool;
    this.#ptr = ptr;
    this.name = name;
  }

  /** @internal */
  _detach(): void {
    this.#ptr = 0;
  }

  /** @internal */
  get ptr(): number {
    if (!this.#ptr || this.pool.isDisposed)
      throw new EngineError('disposed', `repo \`${this.name}\` used after its pool was disposed`);
    return this.#ptr;
  }

  get size(): number {
    const e = this.pool.engine;
    return e.call(() => e.m._rp_repo_nsolvables(this.ptr));
  }

  /** First solvable id of this repo. */
  get start(): number {
    const e = this.pool.engine;
    return e.call(() => e.m._rp_repo_start(this.ptr));
  }

  /** One past the last solvable id of this repo. */
  get end(): number {
    const e = this.pool.engine;
    return e.call(() => e.m._rp_repo_end(this.ptr));
  }

  /**
   * Adds metadata in one of libsolv's formats. Compressed input (gzip, xz, zstd, bzip2) is recognised
   * from its content. `file` names the source in error messages.
   */
  add(format: number, bytes: Uint8Array, file: string, flags = 0): void {
    const e = this.pool.engine;
    const c = detectCompression(bytes);
    if (c === 'none') {
      const other = looksLikeUnknownCompression(bytes);
      if (other)
        throw new EngineError(
          'input',
          `${file}: ${other} compression is not supported (expected gzip, xz, zstd, bzip2 or none)`,
          { file },
        );
    }
    const rc = e.call(
      () =>
        e.withFile(bytes, compressionSuffix(c), (path) =>
          e.withString(path, (p) => e.m._rp_repo_add_file(this.ptr, p, format, flags)),
        ),
      `reading ${file}`,
    );
    this.pool.markDirty();
    if (rc !== 0) throw new EngineError('input', `${file}: ${this.#errstr()}`, { file });
  }

  /**
   * The first bytes of a (possibly compressed) file, decompressed: used to check what a file is before
   * handing it to a reader that would silently accept anything.
   */
  static peek(engine: Engine, bytes: Uint8Array, n = 4096): { text: string; error?: string } {
    const c = detectCompression(bytes);
    const got = engine.call(() =>
      engine.withFile(bytes, compressionSuffix(c), (path) =>
        engine.withString(path, (p) => engine.m._rp_peek(p, n)),
      ),
    );
    const text = engine.takeOutput();
    if (got < 0) return { text, error: got === -2 ? `corrupt ${c} data` : 'cannot open' };
    return { text };
  }

  /**
   * Paths listed as directories (`<file type="dir">`) in rpm-md file-list data, which libsolv's reader
   * keeps without their type.
   */
  static dirEntries(engine: Engine, bytes: Uint8Array): string[] {
    const c = detectCompression(bytes);
    const n = engine.call(() =>
      engine.withFile(bytes, compressionSuffix(c), (path) =>
        engine.withString(path, (p) => engine.m._rp_dir_entries(p)),
      ),
    );
    if (n < 0) return [];
    return records(engine.takeOutput()).map(unescapeValue);
  }

  /** Adds an installed package from an rpm header blob (as stored in rpmdb.sqlite). Returns its id. */
  addRpmHeader(blob: Uint8Array, label: string): number {
    const e = this.pool.engine;
    const id = e.call(
      () => e.withBytes(blob, (p, n) => e.m._rp_repo_add_rpmheader(this.ptr, p, n, 0)),
      `reading ${label}`,
    );
    this.pool.markDirty();
    if (id <= 0) throw new EngineError('input', `${label}: ${this.#errstr()}`, { file: label });
    return id;
  }

  /**
   * Appends copies of solvables of other repos (name, evr, arch, vendor, every dependency, file
   * provides) in order: the copy of `ids[i]` gets id `first + i`. Returns `first` (0 when none).
   * Used to build an installed system from repository packages; call `pool.refresh()` afterwards.
   */
  addCopies(ids: readonly number[]): number {
    const e = this.pool.engine;
    if (!ids.length) return 0;
    const first = e.call(() => e.withInts(ids, (p, n) => e.m._rp_repo_add_copies(this.ptr, p, n)));
    this.pool.markDirty();
    return first;
  }

  /** Serializes the repo as a `.solv` file (libsolv's own fast format). */
  writeSolv(): Uint8Array {
    const e = this.pool.engine;
    this.pool.ensurePrepared();
    const path = e.tempPath('.solv');
    const rc = e.call(() => e.withString(path, (p) => e.m._rp_repo_write_solv(this.ptr, p)), 'writing .solv');
    if (rc !== 0) throw new EngineError('input', `writing .solv for \`${this.name}\`: ${this.#errstr()}`);
    return e.takeFile(path);
  }

  /** Frees the repo's solvables now (its pool stays usable). */
  dispose(): void {
    if (!this.#ptr || this.pool.isDisposed) return;
    const e = this.pool.engine;
    e.call(() => e.m._rp_repo_free(this.#ptr));
    this.#ptr = 0;
    this.pool.markDirty();
  }

  #errstr(): string {
    const e = this.pool.engine;
    return e.m.UTF8ToString(e.m._rp_pool_errstr(this.pool.ptr)) || 'libsolv could not read the data';
  }
}

function idLines(text: string): number[] {
  const ids: number[] = [];
  for (const line of text.split('\n')) if (line) ids.push(Number(line));
  return ids;
}

function splitEvr(evr: string): { epoch: number; version: string; release: string } {
  const colon = evr.indexOf(':');
  const epoch = colon > 0 ? Number(evr.slice(0, colon)) : 0;
  const vr = colon > 0 ? evr.slice(colon + 1) : evr;
  const dash = vr.lastIndexOf('-');
  return dash >= 0
    ? { epoch, version: vr.slice(0, dash), release: vr.slice(dash + 1) }
    : { epoch, version: vr, release: '' };
}

/** Job builders. */
export const job = {
  install: (id: number): Job => ({ how: JobAction.INSTALL | Select.SOLVABLE, what: id }),
  erase: (id: number): Job => ({ how: JobAction.ERASE | Select.SOLVABLE, what: id }),
  lock: (id: number): Job => ({ how: JobAction.LOCK | Select.SOLVABLE, what: id }),
  update: (id: number): Job => ({ how: JobAction.UPDATE | Select.SOLVABLE, what: id }),
  updateAll: (): Job => ({ how: JobAction.UPDATE | Select.ALL, what: 0 }),
  verifyAll: (): Job => ({ how: JobAction.VERIFY | Select.ALL, what: 0 }),
};

export { Format };

/** The glue prints -1 for a solvable without installed size: 0 bytes then, flagged unknown. */
function installSizeOf(field: string | undefined): { installSize: number; hasInstallSize: boolean } {
  const n = Number(field ?? -1);
  return n >= 0 ? { installSize: n, hasInstallSize: true } : { installSize: 0, hasInstallSize: false };
}
