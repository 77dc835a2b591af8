import { defineConfig } from 'vitest/config';

// Three suites:
// - `unit` (`npm test`) needs nothing but Node.js 20, npm, git and this repository;
// - `system` (`npm run test:system`) spawns Debian's tools (rpm, rpmbuild, createrepo_c, xmllint,
//   rpmdb2solv, dnf, chromium): each test fails, never skips, when one is missing, naming the package;
// - `corpus` (`npm run test:corpus`) reads the real rpm-md corpora in ../shared/corpus and native
//   reference tools, which a fresh clone elsewhere does not have.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/corpus/**', 'test/system/**', 'node_modules/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'system',
          include: ['test/system/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'corpus',
          include: ['test/corpus/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
