/**
 * Which repository packages dnf lets a layer pick: all of them minus what its modular filtering hides
 * (`modules.yaml`, src/engine/modular.ts) for the layer's module streams. One mechanism for every
 * command that turns a name or a request into a package: `lock` (install requests and `packages:`
 * names), `update-check` (the state's names, `--install`, `--upgrade`) and `check` (name entries), so
 * `nodejs` over CentOS Stream 9 is `nodejs-1:16.20.2` everywhere, as dnf installs it.
 */
import type { Host } from '../../host/host.js';
import { readRepoModules } from '../../load/repo-metadata.js';
import type { RepoSpec } from '../../load/repository.js';
import type { PackageSummary, Pool } from '../../solver/index.js';
import { modularExcludes } from '../modular.js';

/** The module streams of one layer, as `dnf module enable` / `dnf module disable` take them. */
export interface ModuleStreams {
  /** `name:stream`, or `name` for its default stream. */
  enable?: readonly string[];
  /** Module names. */
  disable?: readonly string[];
}

/** The modules.yaml texts of the repositories, with the file each came from (for errors). */
export interface ModularSource {
  docs: string[];
  files: string[];
}

/** The modules.yaml of every rpm-md directory repository; undefined when none has one. */
export async function readModularSource(
  host: Host,
  specs: readonly RepoSpec[],
): Promise<ModularSource | undefined> {
  const docs: string[] = [];
  const files: string[] = [];
  for (const s of specs) {
    const st = await host.stat(s.absPath).catch(() => undefined);
    if (st?.type !== 'dir') continue;
    const got = await readRepoModules(host, s.absPath, s.path);
    if (!got) continue;
    docs.push(got.text);
    files.push(got.file);
  }
  return docs.length ? { docs, files } : undefined;
}

const NONE: ReadonlySet<number> = new Set();

/**
 * The packages hidden from a layer. Compute every set a run needs before any node transaction
 * restricts the pool (`hidden` asks the provider index, which a restricted view would narrow).
 */
export class CandidateView {
  readonly #pool: Pool;
  readonly #packages: readonly PackageSummary[];
  readonly #source: ModularSource | undefined;
  readonly #cache = new Map<string, ReadonlySet<number>>();

  /** `packages`: the repository packages of the pool (not installed copies). */
  constructor(pool: Pool, packages: readonly PackageSummary[], source: ModularSource | undefined) {
    this.#pool = pool;
    this.#packages = packages;
    this.#source = source;
  }

  /** True when a repository has modules.yaml. */
  get modular(): boolean {
    return this.#source !== undefined;
  }

  /**
   * The ids dnf hides with these streams (default streams only when none are given). Throws the
   * InputError of modularExcludes for a stream the repositories do not have.
   */
  hidden(streams: ModuleStreams = {}): ReadonlySet<number> {
    const enable = [...(streams.enable ?? [])].sort();
    const disable = [...(streams.disable ?? [])].sort();
    if (!this.#source) {
      if (enable.length) modularExcludes([], [], { enable }); // throws: no module stream in the repositories
      return NONE;
    }
    const key = `${enable.join(',')}\0${disable.join(',')}`;
    const had = this.#cache.get(key);
    if (had) return had;
    const got = modularExcludes(this.#source.docs, this.#packages, {
      files: this.#source.files,
      enable,
      disable,
      whatProvides: (n) => this.#pool.whatProvides(n),
    }).hidden;
    this.#cache.set(key, got);
    return got;
  }
}
