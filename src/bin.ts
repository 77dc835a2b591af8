#!/usr/bin/env node
/**
 * The program as shipped: `npm run build` bundles this file into dist/bin/redproof.js (package.json's
 * `bin`); tsc's dist/bin.js is the same program unbundled. dist/cli.js is a module that runs nothing: in
 * the bundle its code shares this file, so an "am I the main module" test there would run main twice.
 */
import { runProgram } from './cli.js';

runProgram();
