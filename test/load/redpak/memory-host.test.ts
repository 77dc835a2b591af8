import { describe, expect, it } from 'vitest';
import { ImageRoot } from '../../../src/host/image-root.js';
import { createMemoryHost } from '../../../src/host/memory-host.js';
import { discoverNodes } from '../../../src/load/redpak/discover.js';
import { leafNormalYaml, statusYaml } from './make-image.js';

describe('discovery on an in-memory host', () => {
  const host = createMemoryHost({
    '/outside/etc/redpak.yaml': leafNormalYaml('outside'),
    '/img/var/lib/rpm': { dir: true },
    '/img/var/redpak/a/.rednode.yaml': statusYaml({ realpath: '/var/redpak/a' }),
    '/img/var/redpak/a/etc/redpak.yaml': leafNormalYaml('a'),
    '/img/var/redpak/a/x/y/b/.rednode.yaml': statusYaml({ realpath: '/var/redpak/a/x/y/b' }),
    '/img/var/redpak/a/x/y/b/etc': { symlink: '../../../../../../../outside/etc' },
    '/img/var/redpak/loop': { symlink: 'loop' },
    '/img/var/redpak/c/.rednode.yaml': statusYaml({ realpath: '/var/redpak/c' }),
    '/img/var/redpak/c/etc/redpak.yaml': { symlink: 'redpak.yaml' },
  });
  const image = new ImageRoot(host, '/img');

  it('finds nested nodes, confines symlinks and survives loops', async () => {
    const tree = await discoverNodes(image);
    expect(tree.nodes.map((n) => [n.path, n.parentPath, n.alias])).toEqual([
      ['var/redpak/a', 'host', 'a'],
      ['var/redpak/a/x/y/b', 'var/redpak/a', 'b'],
      ['var/redpak/c', 'host', 'c'],
    ]);
    expect(tree.mode).toBe('no-system-node');
    // `b/etc` escapes to `/outside/etc` on the host, but resolves to `/img/outside/etc`: missing.
    expect(tree.findings.map((f) => `${f.rule} ${f.node}`)).toEqual([
      'RP010 var/redpak/a/x/y/b',
      'RP010 var/redpak/c',
    ]);
    expect(tree.findings[1]?.message).toContain('too many levels of symbolic links');
    expect(tree.warnings.map((w) => w.message).join('\n')).toContain('`var/redpak/loop` cannot be resolved');
    expect(await host.readText('/outside/etc/redpak.yaml')).toContain('alias: outside');
  });

  it('follows a symlinked node inside the image, errs on one that leaves it, and flags a shared alias', async () => {
    const h = createMemoryHost({
      '/img/var/lib/rpm': { dir: true },
      '/img/var/redpak/one/.rednode.yaml': statusYaml({ realpath: '/var/redpak/one' }),
      '/img/var/redpak/one/etc/redpak.yaml': leafNormalYaml('same'),
      '/img/var/redpak/two/.rednode.yaml': statusYaml({ realpath: '/var/redpak/two' }),
      '/img/var/redpak/two/etc/redpak.yaml': leafNormalYaml('same'),
      '/img/opt/app/.rednode.yaml': statusYaml({ realpath: '/var/redpak/app' }),
      '/img/opt/app/etc/redpak.yaml': leafNormalYaml('app'),
      '/img/opt/app/child/.rednode.yaml': statusYaml({ realpath: '/var/redpak/app/child' }),
      '/img/opt/app/child/etc/redpak.yaml': leafNormalYaml('child'),
      '/img/var/redpak/app': { symlink: '/opt/app' },
      '/img/var/redpak/again': { symlink: 'one' },
      '/img/away/.rednode.yaml': statusYaml({ realpath: '/away' }),
      '/img/var/redpak/escape': { symlink: '../../../away' },
    });
    const tree = await discoverNodes(new ImageRoot(h, '/img'));
    expect(tree.nodes.map((n) => [n.path, n.parentPath, n.alias])).toEqual([
      ['var/redpak/app', 'host', 'app'],
      ['var/redpak/app/child', 'var/redpak/app', 'child'],
      ['var/redpak/one', 'host', 'same'],
      ['var/redpak/two', 'host', 'same'],
    ]);
    expect(tree.errors.map((e) => e.node)).toEqual(['var/redpak/escape']);
    expect(tree.warnings.map((w) => w.message).join('\n')).toContain(
      '`var/redpak/again` to node `var/redpak/one`: the node is audited once',
    );
    expect(tree.findings.map((f) => `${f.rule} ${f.node}`)).toEqual(['RP012 var/redpak/two']);
  });
});
