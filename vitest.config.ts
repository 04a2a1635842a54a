import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      // Their temporary files live in one directory of the run, removed at its end (test/unit/temp-root.ts).
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
          globalSetup: ['test/unit/temp-root.ts'],
        },
      },
      // The reliability matrix (test/reliability): bad inputs here; faults against the sandbox join it.
      {
        test: {
          name: 'reliability',
          include: ['test/reliability/*.test.ts'],
          testTimeout: 20_000,
          globalSetup: ['test/unit/temp-root.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          // The reliability matrix's faults run against the same sandbox, one file at a time with the rest.
          include: ['test/integration/**/*.test.ts', 'test/reliability/faults/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          globalSetup: ['test/integration/global-teardown.ts'],
        },
      },
    ],
  },
});
