export { readRpmdbBdb } from './bdb.js';
export { RpmdbError, type RpmdbErrorKind } from './errors.js';
export {
  formatNevra,
  HeaderError,
  parseHeaderBlob,
  RpmFileFlag,
  RpmHeader,
  RpmSense,
  RpmTag,
  RpmType,
  type TagValue,
} from './header.js';
export { adler32, readRpmdbNdb } from './ndb.js';
export { EXPORT_HINT, type LocatedRpmdb, locateRpmdb, type RpmdbFormat, readRpmdb } from './open.js';
export { rpmFileHeaderDigests } from './rpmfile.js';
export { readRpmdbSqlite } from './sqlite.js';
export type { Dependency, DepOp, InstalledPackage, PackageFile, RpmdbContents } from './types.js';
