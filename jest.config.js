/** Jest runs the service's unit and integration tests; the LWC project joins here later. */
module.exports = {
  projects: [
    {
      displayName: 'service',
      testEnvironment: 'node',
      roots: ['<rootDir>/service/test'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
      setupFiles: ['<rootDir>/service/test/setup-env.ts'],
      testTimeout: 60000,
    },
  ],
};
