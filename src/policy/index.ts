export { applyBaseline, type Baseline, parseBaseline } from './baseline.js';
export { exitCode, type FailOn, isFailing, type Verdict, verdictOf } from './exit-code.js';
export {
  type FingerprintParts,
  fingerprint,
  type Nevra,
  nameArch,
  packageName,
  parseNevra,
} from './fingerprint.js';
export { globMatch, globToRegExp } from './glob.js';
export {
  applyWaivers,
  isExpired,
  type ParsedWaivers,
  parseWaivers,
  type Waiver,
  waiverMatches,
} from './waivers.js';
export { WAIVERS_V1_SCHEMA } from './waivers-schema.js';
