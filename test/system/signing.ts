import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { requireTool } from './require-tool.js';

/** A throwaway OpenPGP signing key in its own GNUPGHOME, made with Debian's gpg. */
export interface SigningKey {
  gnupgHome: string;
  /** Long key id (16 hex digits, lower case) as `gpg --list-keys --with-colons` gives it. */
  keyId: string;
  /** `rpmsign --addsign` each rpm in place with this key. */
  sign(rpms: readonly string[]): void;
}

/** Generate a key without a passphrase (`gpg --batch --quick-gen-key`) under `dir`. */
export function makeSigningKey(dir: string, algo = 'rsa2048'): SigningKey {
  requireTool('gpg', 'gnupg');
  requireTool('rpmsign', 'rpm');
  const gnupgHome = join(dir, 'gnupg');
  mkdirSync(gnupgHome, { recursive: true, mode: 0o700 });
  const env = { ...process.env, GNUPGHOME: gnupgHome };
  const gpg = (args: string[]) =>
    execFileSync('gpg', ['--batch', ...args], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  gpg([
    '--passphrase',
    '',
    '--quick-gen-key',
    'redproof test key <test@redproof.invalid>',
    algo,
    'sign',
    'never',
  ]);
  const pub = gpg(['--list-keys', '--with-colons'])
    .split('\n')
    .find((l) => l.startsWith('pub:'));
  const keyId = pub?.split(':')[4]?.toLowerCase();
  if (keyId === undefined || !/^[0-9a-f]{16}$/.test(keyId)) throw new Error(`gpg listed no key: ${pub}`);
  return {
    gnupgHome,
    keyId,
    sign(rpms) {
      if (rpms.length === 0) return;
      execFileSync(
        'rpmsign',
        ['--addsign', '--define', `_gpg_name ${keyId}`, '--define', '__gpg /usr/bin/gpg', ...rpms],
        { env, stdio: ['ignore', 'ignore', 'pipe'] },
      );
    },
  };
}

/** The signature of an rpm file as rpm reads it: `rpm -qp --qf '%{RSAHEADER:pgpsig}'`, e.g. `RSA/SHA512, <date>, Key ID 2e67...`. */
export function rpmPgpsig(rpm: string, tag = 'RSAHEADER'): string {
  return execFileSync('rpm', ['-qp', '--qf', `%{${tag}:pgpsig}`, rpm], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}
