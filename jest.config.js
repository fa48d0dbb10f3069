/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  // Jest keeps one core for itself by default; the suite's work (offline renders, child processes of
  // the action and the plan) is what this machine's two cores are for.
  maxWorkers: 2,
  testTimeout: 60000,
  // The Pulumi SDK's closure serialization, which no test uses, is not loaded (see the file).
  moduleNameMapper: {
    '^(\\.\\./\\.\\./typescript-shim|@npmcli/arborist)$': '<rootDir>/test/support/closure-serialization.js',
  },
  // Renders without Jest's source-map formatting of the Pulumi SDK's promise bookkeeping (see the file).
  setupFiles: ['<rootDir>/test/support/pulumi-promise-stacks.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
