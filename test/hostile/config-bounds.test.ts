import { describe, expect, it } from 'vitest';
import { HostError } from '../../src/host/host.js';
import { ImageRoot } from '../../src/host/image-root.js';
import { createMemoryHost } from '../../src/host/memory-host.js';
import { DEFAULT_LIMITS } from '../../src/limits/limits.js';
import { InputError } from '../../src/load/errors.js';
import { loadNodeFiles } from '../../src/load/redpak/config.js';
import { leafNormalYaml, statusYaml } from '../load/redpak/make-image.js';

const N = 'var/redpak/n';

function image(config: string, limits = DEFAULT_LIMITS): ImageRoot {
  return new ImageRoot(
    createMemoryHost(
      {
        [`/img/${N}/.rednode.yaml`]: statusYaml({ realpath: `/${N}` }),
        [`/img/${N}/etc/redpak.yaml`]: config,
      },
      limits,
    ),
    '/img',
  );
}

const exportsOf = (n: number, mode: string) =>
  `${leafNormalYaml('n').replace(/exports:[\s\S]*$/, 'exports:\n')}${'  - {mode: '.concat(mode, ', mount: /m}\n').repeat(n)}`;

describe('red-pak node files are bounded', () => {
  it('a config over the size limit is an input error naming the file and the limit', async () => {
    const err = await loadNodeFiles(image(exportsOf(100_000, 'Private')), N).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toMatch(
      /^var\/redpak\/n\/etc\/redpak\.yaml: 3\.0 MiB is over the limit of 1 MiB for a red-pak node file \(--limit config-size\)/,
    );
  });

  it('an unreadable node file is an input error, not an internal one', async () => {
    const host = createMemoryHost({
      [`/img/${N}/.rednode.yaml`]: statusYaml({ realpath: `/${N}` }),
      [`/img/${N}/etc/redpak.yaml`]: leafNormalYaml('n'),
    });
    const denying = {
      ...host,
      readText: async (p: string) => {
        throw new HostError('EACCES', p, `reading \`${p}\`: EACCES`);
      },
    };
    const err = await loadNodeFiles(new ImageRoot(denying, '/img'), N).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe(
      'var/redpak/n/.rednode.yaml: cannot read: permission denied; expected a readable red-pak node file (run as a user who can read the whole image)',
    );
  });
});
