/**
 * The checksum types of rpm-md, apart from the repomd.xml parser: a warm run checks the files
 * repomd.xml names against the cached entry without loading the XML parser (≈ 60 ms CPU to import).
 */

/** Node's hash name for an rpm-md checksum type (`sha` is sha1 in old createrepo output). */
export function hashAlgorithm(type: string): string | undefined {
  switch (type.toLowerCase()) {
    case 'sha':
    case 'sha1':
      return 'sha1';
    case 'sha224':
      return 'sha224';
    case 'sha256':
      return 'sha256';
    case 'sha384':
      return 'sha384';
    case 'sha512':
      return 'sha512';
    case 'md5':
      return 'md5';
    default:
      return undefined;
  }
}
