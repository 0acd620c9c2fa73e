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
  // BullMQ connections created inside jest's module sandbox keep its workers alive after a clean close
  // (the same start/stop exits cleanly under plain node); never let that hang a CI run.
  forceExit: true,
};
