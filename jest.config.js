/** Jest runs the TypeScript tests through ts-jest; a real redis-server is spawned once for the run. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // PDF.js is ESM-only; its one bundle is turned into CommonJS for jest (see the transform's comment).
    'unpdf/dist/pdfjs\\.mjs$': '<rootDir>/test/helpers/esm-to-commonjs.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!unpdf/dist/pdfjs\\.mjs$)'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  testTimeout: 30000,
  maxWorkers: 2,
  // How long a worker may take to exit once its tests are done (jest's default, 500 ms, is too short here).
  // Measured on this loaded 2-core machine: each worker got the end message and fired 'exit' within 2 ms,
  // holding nothing, yet jest saw the process gone ~600 ms later. A handle left open (a server, a socket, an
  // interval) holds a worker for good and is still reported; only a timer shorter than 5 s would go unseen.
  workerGracefulExitTimeout: 5000,
};
