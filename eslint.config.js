const lwcConfig = require('@salesforce/eslint-config-lwc');
const jestPlugin = require('eslint-plugin-jest');
const globals = require('globals');

/**
 * ESLint (flat config) for the package's Lightning web components and their jest tests and mocks.
 * The TypeScript service is checked by tsc, not ESLint, so nothing here applies outside these files.
 */
const LWC_SOURCES = ['force-app/**/lwc/**/*.js'];
const LWC_TESTS = ['force-app/**/lwc/**/__tests__/**/*.js', 'jest-lwc/**/*.js'];

const scoped = (files, configs) => configs.map((config) => ({ ...config, files }));

module.exports = [
    ...scoped([...LWC_SOURCES, ...LWC_TESTS], lwcConfig.configs.recommended),
    ...scoped(LWC_TESTS, [
        jestPlugin.configs['flat/recommended'],
        {
            languageOptions: { globals: { ...globals.node, ...globals.jest } },
            rules: {
                // Tests use timers, emit through wire adapters and click through steps in order.
                '@lwc/lwc/no-async-operation': 'off',
                '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off',
                'no-await-in-loop': 'off'
            }
        }
    ])
];
