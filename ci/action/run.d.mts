// Types of run.mjs for the tests (the script itself stays plain JavaScript: action.yml runs it unbuilt).
export const COMMANDS: string[];
export class InputProblem extends Error {}
export function splitArgs(text: string): string[];
export interface Inputs {
  command: string;
  target: string;
  args: string[];
  failOn: string;
  waivers: string;
  baseline: string;
  version: string;
  source: string;
  cli: string;
  annotations: boolean;
  cache: boolean;
}
export function readInputs(env: NodeJS.ProcessEnv): Inputs;
export function setOutput(env: NodeJS.ProcessEnv, name: string, value: string | number): void;
export function cacheKey(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
): { key: string; restore: string; files: number };
export function prepare(env: NodeJS.ProcessEnv, log?: (line: string) => void): number;
export function run(env: NodeJS.ProcessEnv, log?: (line: string) => void): number;
export function finish(env: NodeJS.ProcessEnv, log?: (line: string) => void): number;
