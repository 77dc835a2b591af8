import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageRoot } from '../../../src/host/image-root.js';
import { createNodeHost } from '../../../src/host/node-host.js';
import { DiscoveryError, discoverNodes, type NodeTree } from '../../../src/load/redpak/discover.js';
import { loadPackageLayers } from '../../../src/load/redpak/layers.js';
import { readRpmdb } from '../../../src/load/rpmdb/index.js';
import { loadImageFixture } from '../../helpers/image-fixtures/load.js';
import { type BuiltImage, leafNormalYaml } from './make-image.js';

// Real node trees as red-pak lays them out, rpm databases written by Debian's rpm: the images
// `discover-system` and `discover-no-system` of test/helpers/image-fixtures/specs.ts, committed and rebuilt in CI.

const R = 'var/redpak';

describe('system-node image', () => {
  let img: BuiltImage;
  let image: ImageRoot;
  let tree: NodeTree;

  beforeAll(async () => {
    img = loadImageFixture('discover-system');
    // `linked/etc` points out of the image (relative escape). Outside sits a valid config that
    // must never be read: the escape is clamped at IMAGE_ROOT, where no such file exists.
    const outside = join(img.workDir, 'outside', 'etc');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'redpak.yaml'), leafNormalYaml('outside'));
    const linkedEtc = img.pathOf(`${R}/linked/etc`);
    const { rmSync, symlinkSync } = await import('node:fs');
    rmSync(linkedEtc, { recursive: true });
    symlinkSync('../../../../../../../../outside/etc', linkedEtc);
    image = new ImageRoot(createNodeHost(), img.root);
    tree = await discoverNodes(image);
  }, 120_000);

  afterAll(() => img?.cleanup());

  it('finds every node in sorted order, below non-node dirs too, skipping dot dirs and symlinks', () => {
    expect(tree.nodes.map((n) => n.path)).toEqual([
      R,
      `${R}/bad`,
      `${R}/legacy`,
      `${R}/linked`,
      `${R}/off`,
      `${R}/platform`,
      `${R}/platform/apps/nav`,
      `${R}/platform/badalias`,
      `${R}/platform/dup`,
      `${R}/platform/priv`,
    ]);
    expect(tree.warnings.map((w) => w.message).join('\n')).toMatch(
      /symlink `var\/redpak\/shortcut` to node `var\/redpak\/platform`: the node is audited once, as `var\/redpak\/platform`/,
    );
  });

  it('links nodes to the nearest node above and attaches the host through the system node', () => {
    const by = new Map(tree.nodes.map((n) => [n.path, n]));
    expect(tree.mode).toBe('system-node');
    expect(tree.hostRpmdbPath).toBe('var/lib/rpm');
    expect(by.get(R)).toMatchObject({
      alias: 'system',
      parentPath: 'host',
      isSystem: true,
      attach: 'system-node',
      rpmdbPath: 'var/lib/rpm',
    });
    expect(by.get(`${R}/platform`)).toMatchObject({ parentPath: R, rpmdbPath: `${R}/platform/var/lib/rpm` });
    expect(by.get(`${R}/platform/apps/nav`)).toMatchObject({ parentPath: `${R}/platform`, alias: 'nav' });
    expect(by.get(`${R}/platform`)?.status?.state).toBe('Enable');
    expect(by.get(R)?.adminConfig?.headers.alias).toBe('admin-of-system');
  });

  it('reads the legacy etc/redpack.yaml', () => {
    const legacy = tree.nodes.find((n) => n.path === `${R}/legacy`);
    expect(legacy?.config).toMatchObject({ isLegacyName: true, file: `${R}/legacy/etc/redpack.yaml` });
    expect(legacy?.alias).toBe('legacy');
  });

  it('reports exactly the expected RP010-RP013 findings', () => {
    const got = tree.findings
      .map((f) => `${f.rule} ${f.node} ${f.location?.file}:${f.location?.line}`)
      .sort();
    expect(got).toEqual(
      [
        `RP010 ${R}/bad ${R}/bad/etc/redpak.yaml:5`,
        `RP010 ${R}/linked ${R}/linked/etc/redpak.yaml:1`,
        `RP011 ${R}/off ${R}/off/.rednode.yaml:4`,
        `RP012 ${R}/platform/badalias ${R}/platform/badalias/etc/redpak.yaml:2`,
        `RP012 ${R}/platform/dup ${R}/platform/dup/etc/redpak.yaml:2`,
        `RP013 ${R}/platform/priv ${R}/platform/priv/etc/redpak.yaml:15`,
        `RP013 ${R}/platform/priv ${R}/platform/priv/etc/redpak.yaml:10`,
      ].sort(),
    );
    const byRule = (r: string, node: string) => tree.findings.find((f) => f.rule === r && f.node === node)!;
    expect(byRule('RP010', `${R}/linked`).message).toContain('is missing');
    expect(byRule('RP011', `${R}/off`).message).toContain('`Disable`');
    expect(byRule('RP012', `${R}/platform/dup`).message).toContain(`ancestor \`${R}/platform\``);
    const rp013 = tree.findings.filter((f) => f.rule === 'RP013').map((f) => f.message);
    expect(rp013.join('\n')).toContain('`share_pid: enabled`');
    expect(rp013.join('\n')).toContain(`re-enables \`share_pid\`, disabled by ancestor \`${R}\``);
    expect(rp013.join('\n')).toContain(`capability \`CAP_NET_RAW\` added in node \`${R}/platform/priv\``);
    // share_net: enabled is fine (the system node re-shares net itself), cap_chown too (platform re-adds it).
    expect(rp013.join('\n')).not.toContain('share_net');
    expect(rp013.join('\n')).not.toContain('cap_chown');
    for (const f of tree.findings) {
      // a duplicate alias points at the node that has it first
      if (f.rule === 'RP012' && f.message.includes('already used')) expect(f.evidence[0]?.role).toBe('first');
      else expect(f.evidence).toEqual([]);
      expect(f.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it('reads the host db through the absolute symlink, and node dbs', async () => {
    const viaSystem = await readRpmdb(image, `${R}/var/lib/rpm`, R);
    expect(viaSystem.file).toBe('var/lib/rpm/rpmdb.sqlite');
    expect(viaSystem.packages.map((p) => p.name).sort()).toEqual(['helper', 'libfoo']);
    const platform = await readRpmdb(image, `${R}/platform/var/lib/rpm`, `${R}/platform`);
    expect(platform.packages.map((p) => p.name)).toEqual(['app']);
  });

  it('loads one package layer per node, the system node standing for the host db', async () => {
    const { layers, errors, warnings } = await loadPackageLayers(image, tree);
    expect(errors).toEqual([]);
    const by = new Map(layers.map((l) => [l.id, l]));
    expect(
      by
        .get('host')
        ?.packages.map((p) => p.name)
        .sort(),
    ).toEqual(['helper', 'libfoo']);
    expect(by.get(R)).toMatchObject({ parent: 'host', isHostAlias: true, packages: [] });
    expect(by.get(`${R}/platform`)?.packages.map((p) => p.name)).toEqual(['app']);
    expect(by.get(`${R}/platform/apps/nav`)).toMatchObject({ parent: `${R}/platform`, format: 'sqlite' });
    // Nodes with nothing installed have no db: empty layers, with a warning.
    expect(by.get(`${R}/legacy`)?.packages).toEqual([]);
    expect(warnings.map((w) => w.node)).toContain(`${R}/legacy`);
  });

  it('explicit --node paths must be nodes', async () => {
    await expect(discoverNodes(image, { nodes: [`${R}/platform/apps`] })).rejects.toBeInstanceOf(
      DiscoveryError,
    );
    const t = await discoverNodes(image, { redroot: `${R}/platform/apps`, nodes: [`${R}/shortcut`] });
    // The symlinked node is resolved to its real path and its family is closed upward.
    expect(t.nodes.map((n) => n.path)).toEqual([R, `${R}/platform`, `${R}/platform/apps/nav`]);
  });
});

describe('no-system-node image', () => {
  let img: BuiltImage;
  let tree: NodeTree;

  beforeAll(async () => {
    img = loadImageFixture('discover-no-system');
    tree = await discoverNodes(new ImageRoot(createNodeHost(), img.root));
  }, 120_000);

  afterAll(() => img?.cleanup());

  it('attaches the host db under the top node (`<top>/..`)', () => {
    expect(tree.mode).toBe('no-system-node');
    expect(tree.findings).toEqual([]);
    expect(tree.nodes).toHaveLength(2);
    expect(tree.nodes[0]).toMatchObject({
      path: `${R}/top`,
      parentPath: 'host',
      isSystem: false,
      attach: 'no-system-node',
      rpmdbPath: `${R}/top/var/lib/rpm`,
    });
    expect(tree.nodes[1]).toMatchObject({ path: `${R}/top/leaf`, parentPath: `${R}/top` });
    expect(tree.hostRpmdbPath).toBe('var/lib/rpm');
  });

  it('a missing redroot is a typed error', async () => {
    await expect(
      discoverNodes(new ImageRoot(createNodeHost(), img.root), { redroot: 'var/none' }),
    ).rejects.toMatchObject({ name: 'DiscoveryError', kind: 'redroot-missing' });
  });
});
