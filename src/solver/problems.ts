import { ruleTypeName } from './constants.js';
import type { Pool } from './pool.js';
import type { Problem, RuleInfo, TransactionStep, Uninstallable } from './types.js';
import { fields } from './wire.js';

/**
 * Parses the problem lines written by the glue (X problem, I rule info, H "(we have)" hint) into data,
 * resolving solvable ids to NEVRAs while the pool is alive.
 */
export function parseProblems(text: string, pool: Pool): Problem[] {
  return parseBlocks(text, pool).problems;
}

/** Parses installcheck output: `U id` followed by that package's problems. */
export function parseUninstallable(text: string, pool: Pool): Uninstallable[] {
  return parseBlocks(text, pool).uninstallable;
}

function parseBlocks(text: string, pool: Pool): { problems: Problem[]; uninstallable: Uninstallable[] } {
  const nevraCache = new Map<number, string>();
  const size = pool.size;
  const nevra = (id: number): string | undefined => {
    // only real solvable ids: anything else (a job's flags, a dependency id) must never reach the engine
    if (id <= 1 || id >= size) return undefined;
    let n = nevraCache.get(id);
    if (n === undefined) {
      n = pool.nevra(id);
      nevraCache.set(id, n);
    }
    return n;
  };
  const uninstallable: Uninstallable[] = [];
  let problems: Problem[] = [];
  const top = problems;
  let problem: Problem | undefined;
  let rule: RuleInfo | undefined;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const f = fields(line);
    switch (f[0]) {
      case 'U': {
        const id = Number(f[1]);
        problems = [];
        uninstallable.push({ id, nevra: nevra(id) ?? String(id), problems });
        problem = undefined;
        break;
      }
      case 'X':
        problem = { rules: [] };
        problems.push(problem);
        break;
      case 'I': {
        const type = Number(f[1]);
        const source = Number(f[2]);
        const target = Number(f[3]);
        rule = {
          type,
          kind: ruleTypeName(type),
          source,
          target,
          dep: f[5] ?? '',
          text: f[6] ?? '',
          weHave: [],
        };
        // job rules (0x400-0x4ff) carry the job's index and `how` flags, never solvables
        const isJob = (type & 0xff00) === 0x400;
        const sn = isJob ? undefined : nevra(source);
        const tn = isJob ? undefined : nevra(target);
        if (sn) rule.sourceNevra = sn;
        if (tn) rule.targetNevra = tn;
        problem?.rules.push(rule);
        break;
      }
      case 'H':
        if (rule) rule.weHave.push(nevra(Number(f[1])) ?? f[1]!);
        break;
    }
  }
  return { problems: top, uninstallable };
}

/** Parses `T type id other` lines. */
export function parseTransaction(text: string): TransactionStep[] {
  const steps: TransactionStep[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('T\t')) continue;
    const [, type, id, other] = line.split('\t');
    steps.push({ type: Number(type), id: Number(id), other: Number(other) });
  }
  return steps;
}
