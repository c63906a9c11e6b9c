import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS build for every importer; without this, Vite would hand our
    // modules its ESM build and the libraries the CJS one: two graphql instances ("another realm").
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    // One JSON copy of the whole run (every project) for .ci/run's closing "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest/results.json' },
    projects: [
      {
        extends: true,
        test: {
          // No I/O: no PostgreSQL, no HTTP server, no Redis. Runs anywhere `npm ci` has run.
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          setupFiles: ['test/support/forbid-network.ts'],
        },
      },
      {
        extends: true,
        test: {
          // Real PostgreSQL (TEST_DATABASE_URL, or an embedded one) and the real service over HTTP.
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          // A file's database, seed and server are fixtures set up inside its first test, so that
          // test's time includes them (a 10,000-user seed, four services).
          testTimeout: 60_000,
        },
      },
    ],
  },
});
