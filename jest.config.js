const { jestConfig: lwcJestConfig } = require('@salesforce/sfdx-lwc-jest/config');

/**
 * Jest runs the service's unit and integration tests (ts-jest, node) and the package's Lightning web
 * component tests (sfdx-lwc-jest, jsdom). `npx jest --selectProjects lwc` runs only the components.
 *
 * The LWC mocks live outside force-app: every file under force-app must be package metadata or
 * excluded by .forceignore (service/test/package checks that).
 */
const LWC_DIR = 'force-app/main/default/lwc';

module.exports = {
  testTimeout: 60000,
  // Jest's default on 2 cores is one worker, which runs the suite file by file. Most service tests wait on
  // something else (Postgres, a child service, slapd, kamailio, Chromium), so three workers keep the cores busy
  // and CI's two passes (Node 20 and 24) within budget. Correctness tests never depend on timing.
  maxWorkers: 3,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  // Thresholds are global in jest; this one only concerns the components (each file on its own).
  coverageThreshold: {
    [`./${LWC_DIR}/**/*.js`]: { lines: 90 },
  },
  projects: [
    {
      displayName: 'service',
      testEnvironment: 'node',
      roots: ['<rootDir>/service/test'],
      testMatch: ['**/*.test.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
      setupFiles: ['<rootDir>/service/test/setup-env.ts'],
    },
    {
      ...lwcJestConfig,
      displayName: 'lwc',
      rootDir: __dirname,
      roots: ['<rootDir>/force-app'],
      testMatch: ['**/__tests__/**/*.test.js'],
      transform: { '^.+\\.(js|ts|html|css)$': '<rootDir>/jest-lwc/transformer.js' },
      setupFilesAfterEnv: [...lwcJestConfig.setupFilesAfterEnv, '<rootDir>/jest-lwc/sa11ySetup.js'],
      moduleNameMapper: {
        // The shipped stubs have no lightning/modal, and their NavigationMixin forgets where it went.
        '^lightning/modal$': '<rootDir>/jest-lwc/mocks/lightning/modal/modal.js',
        '^lightning/navigation$': '<rootDir>/jest-lwc/mocks/lightning/navigation/navigation.js',
      },
      // collectCoverageFrom is global in jest (it would narrow the service's coverage too): leave out
      // what is not component code instead.
      coveragePathIgnorePatterns: ['/node_modules/', '<rootDir>/jest-lwc/', '\\.html$', '\\.css$'],
    },
  ],
};
