import { EngineError } from './errors.js';
import { GLUE_VERSION, instantiate, lastStderr, moduleSha256, type RawModule } from './module.js';
import { Pool } from './pool.js';

/** Token that keeps facade constructors private to src/solver/. @internal */
export const INTERNAL = Symbol('redproof.solver.internal');

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * One libsolv wasm instance. It owns the module's memory: every pointer lives in a facade object
 * created from it (Pool, Repo) and freed by that object's dispose(). Load it with loadEngine().
 */
export class Engine {
  /** @internal */ readonly m: RawModule;
  /** libsolv version compiled into the module, e.g. `0.7.23`. */
  readonly libsolvVersion: string;
  #broken: EngineError | undefined;
  #fileSeq = 0;

  constructor(token: symbol, m: RawModule) {
    if (token !== INTERNAL) throw new TypeError('Illegal constructor: use loadEngine()');
    this.m = m;
    this.libsolvVersion = m.UTF8ToString(m._rp_libsolv_version());
    m.FS.mkdir('/in');
  }

  /** Creates a pool with rpm semantics for the given arch (it also accepts the arch's compatible arches and noarch). */
  createPool(arch: string): Pool {
    return new Pool(INTERNAL, this, arch);
  }

  /**
   * What the pool images of this engine are made by (the glue's version and the sha256 of its
   * libsolv.wasm): an image is restored only into an engine of the same id, so a cache key of images
   * must include it.
   */
  get imageId(): string {
    return `glue${GLUE_VERSION}-${moduleSha256()}`;
  }

  /**
   * A pool saved by `pool.saveImage()`, made again from its memory image; this engine must hold no pool
   * or solver (its memory is replaced). Throws an EngineError for an image it cannot take.
   */
  restorePool(image: Uint8Array): Pool {
    return Pool._restore(this, image);
  }

  /** Number of pools and solvers alive inside the module (for leak tests). */
  liveObjects(): number {
    return this.call(() => this.m._rp_live_objects());
  }

  /** True once the module aborted: every later call throws. */
  get isBroken(): boolean {
    return this.#broken !== undefined;
  }

  /**
   * Runs one libsolv testcase file (a `.t` of libsolv's test suite) the way `testsolv` does without
   * options. The directory of the file is mounted read-only into the module's file system for the run.
   */
  runTestcase(path: string): { status: 'pass' | 'fail' | 'skip'; output: string } {
    const slash = path.lastIndexOf('/');
    const dir = slash > 0 ? path.slice(0, slash) : '.';
    const base = path.slice(slash + 1);
    const mnt = `/tc${++this.#fileSeq}`;
    const { FS, NODEFS } = this.m;
    FS.mkdir(mnt);
    FS.mount(NODEFS, { root: dir }, mnt);
    try {
      const rc = this.call(() => this.withString(`${mnt}/${base}`, (p) => this.m._rp_testcase_run(p)));
      const output = this.takeOutput();
      return { status: rc === 0 ? 'pass' : rc === 77 ? 'skip' : 'fail', output };
    } finally {
      FS.unmount(mnt);
      FS.rmdir(mnt);
    }
  }

  /**
   * Calls into the module, turning a wasm abort or memory exhaustion into a typed error. After an
   * abort the instance is marked broken (libsolv state may be half-written) and loadEngine() gives a new one.
   * @internal
   */
  call<T>(fn: () => T, context = 'libsolv'): T {
    if (this.#broken)
      throw new EngineError('abort', `${context}: the engine aborted earlier and cannot be used`, {
        cause: this.#broken,
      });
    try {
      lastStderr.text = '';
      return fn();
    } catch (cause) {
      if (cause instanceof EngineError) throw cause;
      const text = String((cause as Error)?.message ?? cause);
      const oom = /out of memory|Cannot enlarge memory|OOM/i.test(`${text} ${lastStderr.text}`);
      const err = new EngineError(
        oom ? 'out-of-memory' : 'abort',
        `${context}: the wasm engine ${oom ? 'ran out of memory' : 'aborted'} (${text})`,
        { cause },
      );
      this.#broken = err;
      forgetEngine(this);
      throw err;
    }
  }

  /** Reads the transfer buffer written by the last rp_* call. @internal */
  takeOutput(): string {
    const m = this.m;
    const ptr = m._rp_out_ptr();
    const len = m._rp_out_len();
    return len ? decoder.decode(m.HEAPU8.subarray(ptr, ptr + len)) : '';
  }

  /** Passes a NUL-terminated UTF-8 copy of s to fn, freed afterwards. @internal */
  withString<T>(s: string, fn: (ptr: number) => T): T {
    const m = this.m;
    const n = m.lengthBytesUTF8(s) + 1;
    const p = m._malloc(n);
    if (!p) throw new EngineError('out-of-memory', 'the wasm engine ran out of memory (string argument)');
    try {
      m.stringToUTF8(s, p, n);
      return fn(p);
    } finally {
      m._free(p);
    }
  }

  /** Passes a copy of an int32 array to fn, freed afterwards. @internal */
  withInts<T>(values: ArrayLike<number>, fn: (ptr: number, n: number) => T): T {
    const m = this.m;
    const p = m._malloc(Math.max(4, values.length * 4));
    if (!p) throw new EngineError('out-of-memory', 'the wasm engine ran out of memory (array argument)');
    try {
      m.HEAP32.set(values, p >> 2);
      return fn(p, values.length);
    } finally {
      m._free(p);
    }
  }

  /** Passes a copy of bytes to fn, freed afterwards. @internal */
  withBytes<T>(bytes: Uint8Array, fn: (ptr: number, n: number) => T): T {
    const m = this.m;
    const p = m._malloc(Math.max(1, bytes.length));
    if (!p) throw new EngineError('out-of-memory', 'the wasm engine ran out of memory (byte argument)');
    try {
      m.HEAPU8.set(bytes, p);
      return fn(p, bytes.length);
    } finally {
      m._free(p);
    }
  }

  /** Puts bytes into the module's in-memory file system for the duration of fn. @internal */
  withFile<T>(bytes: Uint8Array, suffix: string, fn: (path: string) => T): T {
    const path = `/in/f${++this.#fileSeq}${suffix}`;
    this.m.FS.writeFile(path, bytes);
    try {
      return fn(path);
    } finally {
      this.m.FS.unlink(path);
    }
  }

  /** Reads and removes a file the module wrote. @internal */
  takeFile(path: string): Uint8Array {
    const data = this.m.FS.readFile(path);
    this.m.FS.unlink(path);
    return data;
  }

  /** A fresh path in the module's file system. @internal */
  tempPath(suffix: string): string {
    return `/in/t${++this.#fileSeq}${suffix}`;
  }
}

let current: Promise<Engine> | undefined;
let currentEngine: Engine | undefined;

function forgetEngine(e: Engine): void {
  if (currentEngine === e) {
    current = undefined;
    currentEngine = undefined;
  }
}

/**
 * The engine of this thread, loaded on first use (one module per thread: worker threads each get
 * their own). After an abort a new instance is loaded.
 */
export function loadEngine(): Promise<Engine> {
  if (!current) {
    current = instantiate().then((m) => {
      const e = new Engine(INTERNAL, m);
      currentEngine = e;
      return e;
    });
    current.catch(() => {
      current = undefined;
    });
  }
  return current;
}

/** Loads a new, private engine instance (not shared with loadEngine()). */
export async function createEngine(): Promise<Engine> {
  return new Engine(INTERNAL, await instantiate());
}

export { encoder as utf8Encoder };
