const lwcTransformer = require('@lwc/jest-transformer');

/**
 * @lwc/jest-transformer with a cache key that depends on whether coverage is collected. Its own key
 * ignores that, so a coverage run reuses the uninstrumented output of an earlier run and reports no
 * coverage for unchanged components.
 */
module.exports = {
    ...lwcTransformer,
    getCacheKey(sourceText, sourcePath, options) {
        const key = lwcTransformer.getCacheKey(sourceText, sourcePath, options);
        return options && options.instrument ? `${key}:instrumented` : key;
    }
};
