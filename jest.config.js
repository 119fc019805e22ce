/** Jest runs the service's unit and integration tests; the LWC project joins here later. */
module.exports = {
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  projects: [
    {
      displayName: 'service',
      testEnvironment: 'node',
      roots: ['<rootDir>/service/test'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
      setupFiles: ['<rootDir>/service/test/setup-env.ts'],
    },
  ],
};
