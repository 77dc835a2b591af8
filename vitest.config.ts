import { defineConfig } from 'vitest/config';

// Two suites: `unit` needs nothing but this repository; `corpus` reads the real rpm-md corpora in
// ../shared/corpus and native reference tools, which a fresh clone elsewhere does not have.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/corpus/**', 'node_modules/**'],
          testTimeout: 60_000,
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
