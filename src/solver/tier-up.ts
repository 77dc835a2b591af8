import { setFlagsFromString } from 'node:v8';

/**
 * V8's budget before a hot wasm function is recompiled by TurboFan, raised from its default (1.8M)
 * to 100M (docs/decisions/0006-wasm-tier-up.md). With the default, a short run (the README example,
 * repo-check of BaseOS) starts TurboFan jobs for libsolv's hot functions that it never lives to use,
 * and the process exit waits for them: 60-70 ms of a 0.25 s run. Long runs still tier up, a little
 * later: a 200-node family and BaseOS+AppStream are as fast as before.
 */
export const WASM_TIERING_BUDGET = 100_000_000;

let tierUpDelayed = false;

/**
 * Sets the budget once per process, before the first wasm module is compiled (V8 reads the flag then).
 * The launcher (src/launch/) calls it before it compiles the program too: V8's code cache records the
 * flags it was made under, and a cache made after the flag changed would be refused on every run.
 */
export function delayTierUp(): void {
  if (tierUpDelayed) return;
  tierUpDelayed = true;
  // Measured on Node 20's V8 (11.x) only. V8 prints "unrecognized flag" on stderr for a flag it lacks,
  // so another V8 keeps its own default rather than risk a line in every run's stderr.
  if (!process.versions.v8.startsWith('11.')) return;
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
}
