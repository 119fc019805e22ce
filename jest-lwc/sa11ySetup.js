// Makes `await expect(element).toBeAccessible()` available in every LWC test.
const { registerSa11yMatcher } = require('@sa11y/jest');

registerSa11yMatcher();
