/**
 * One node transaction as red-pak's package manager makes it (../shared/redpak/FORMATS.md §4): the
 * installed system is the node's own packages plus its ancestors' ones, every ancestor package locked
 * (red-pak refuses a transaction that changes a parent). Shared by `update-check` (upgrades, installs,
 * removals) and `lock` (install requests), so both see the same installed system, the same request
 * selection and the same reading of libsolv's transaction.
 */
import {
  type Job,
  JobAction,
  job,
  type PackageSummary,
  type Pool,
  type Repo,
  SelectionFlag,
  type SolveResult,
  TransactionType,
} from '../../solver/index.js';

/** How an install request of `update-check --install` is matched: name, provide, NEVRA, `name.arch`. */
export const INSTALL_SELECTION =
  SelectionFlag.NAME |
  SelectionFlag.PROVIDES |
  SelectionFlag.CANON |
  SelectionFlag.DOTARCH |
  SelectionFlag.REL |
  SelectionFlag.WITH_BADARCH;

/** A package entering the layer, and the installed package it replaces (when it replaces an own one). */
export interface Entering {
  id: number;
  type: number;
  /** The own package it replaces, as a repository solvable id. */
  old?: number;
  /** The installed copy it replaces. */
  oldCopy?: number;
}

/** An own package leaving the layer without a replacement already reported by `Entering`. */
export interface Leaving {
  /** The repository solvable id of the package. */
  orig: number;
  /** Its installed copy. */
  copy: number;
  type: number;
  /** The repository package replacing it, if any. */
  by?: number;
}

/**
 * The installed system of one layer in the pool, for as long as the object lives: copies of the own
 * and ancestor packages in a `@System:<layer>` repo marked installed. `dispose()` removes it; the
 * provider index is rebuilt by the next layer (or by the caller's `pool.refresh()`).
 */
export class NodeSystem {
  readonly first: number;
  readonly #sys: Repo;
  readonly #own: readonly number[];
  readonly #ancestors: readonly number[];

  readonly #restricted: boolean;

  /**
   * `visible`: the repository packages the transaction may take (dnf's excludes and modular filtering);
   * the others are left out of the provider index, as libdnf does, so no job (not even a best one)
   * sees them. Undefined: every package.
   */
  constructor(
    readonly pool: Pool,
    layer: string,
    own: readonly number[],
    ancestors: readonly number[],
    visible?: readonly number[],
  ) {
    this.#own = own;
    this.#ancestors = ancestors;
    this.#sys = pool.addRepo(`@System:${layer}`);
    this.first = this.#sys.addCopies([...own, ...ancestors]);
    this.#restricted = visible !== undefined;
    if (visible) {
      const ids = [...visible];
      for (let c = this.first; c < this.end; c++) ids.push(c);
      pool.setConsidered(ids, { prepare: false });
    }
    pool.setInstalled(this.#sys);
    pool.refresh();
  }

  /** One past the last copy. */
  get end(): number {
    return this.first + this.#own.length + this.#ancestors.length;
  }

  /** The repository package an installed copy stands for (undefined for any other solvable). */
  toOrig(copy: number): number | undefined {
    if (copy < this.first || copy >= this.end) return undefined;
    const i = copy - this.first;
    return i < this.#own.length ? this.#own[i] : this.#ancestors[i - this.#own.length];
  }

  isAncestorCopy(copy: number): boolean {
    return copy >= this.first + this.#own.length && copy < this.end;
  }

  /** The installed copy of the i-th own package. */
  ownCopy(i: number): number {
    return this.first + i;
  }

  /** One lock job per ancestor package. */
  locks(): Job[] {
    return this.#ancestors.map((_, i) => job.lock(this.first + this.#own.length + i));
  }

  /** Solves the jobs with every ancestor package locked. */
  solve(jobs: readonly Job[], options: { ignoreRecommended: boolean }): SolveResult {
    return this.pool.solve([...this.locks(), ...jobs], options);
  }

  /**
   * Reads a transaction: the repository packages entering the layer (each with the own package it
   * replaces, if any), then the own packages leaving it that no entering package already accounts for.
   * `isRepoPackage` tells the repository packages from other solvables of the pool.
   */
  changes(
    transaction: SolveResult['transaction'],
    isRepoPackage: (id: number) => boolean,
  ): { entering: Entering[]; leaving: Leaving[] } {
    const entering: Entering[] = [];
    const replaced = new Set<number>();
    for (const t of transaction) {
      if (this.toOrig(t.id) !== undefined || !isRepoPackage(t.id)) continue;
      const oldCopy = t.other || undefined;
      const old = oldCopy !== undefined ? this.toOrig(oldCopy) : undefined;
      if (old !== undefined && oldCopy !== undefined && !this.isAncestorCopy(oldCopy)) {
        replaced.add(oldCopy);
        entering.push({ id: t.id, type: t.type, old, oldCopy });
      } else entering.push({ id: t.id, type: t.type });
    }
    const leaving: Leaving[] = [];
    for (const t of transaction) {
      const orig = this.toOrig(t.id);
      if (orig === undefined || replaced.has(t.id)) continue;
      if (this.isAncestorCopy(t.id)) throw new Error('internal: a locked ancestor package changed');
      if (t.type === TransactionType.IGNORE) continue;
      const by = t.other && isRepoPackage(t.other) ? t.other : undefined;
      leaving.push({ orig, copy: t.id, type: t.type, ...(by !== undefined && { by }) });
    }
    return { entering, leaving };
  }

  dispose(): void {
    if (this.#restricted) this.pool.setConsidered(null, { prepare: false });
    this.pool.clearInstalled();
    this.#sys.dispose();
  }
}

/**
 * The install jobs of one request, as `update-check --install` matches it; an exact NEVRA of an arch the
 * pool does not accept still becomes a job, so libsolv explains why it cannot go in. Undefined when
 * nothing matches.
 */
export function installJobs(
  pool: Pool,
  spec: string,
  packages: Iterable<PackageSummary>,
  flags: number = INSTALL_SELECTION,
): Job[] | undefined {
  const sel = pool.selection(spec, flags);
  if (sel.length) return sel.map((s) => ({ how: s.how | JobAction.INSTALL, what: s.what }));
  for (const p of packages) if (p.nevra === spec) return [job.install(p.id)];
  return undefined;
}
