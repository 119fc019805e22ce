import { copyFile, mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { rollup, type Plugin } from 'rollup';
import lwc from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import { nodeResolve } from '@rollup/plugin-node-resolve';

/**
 * Builds the local preview of the package's Lightning web components with LWC OSS: the components
 * from force-app, lightning-base-components, and the preview-only substitutes and fixture-backed
 * Apex in this folder. The result (index.html + app.js) is served by ./serve.ts.
 */

export const PREVIEW_DIR = __dirname;
export const REPO_DIR = path.resolve(PREVIEW_DIR, '..');
export const LWC_DIR = path.join(REPO_DIR, 'force-app/main/default/lwc');
export const DEFAULT_OUT_DIR = path.join(PREVIEW_DIR, 'dist');
const SUBSTITUTES_DIR = path.join(PREVIEW_DIR, 'substitutes');
const APEX_RUNTIME = path.join(PREVIEW_DIR, 'apex/runtime.js');

/**
 * lightning/* modules that need Lightning Experience (its overlay container, toast container,
 * navigation service or CometD) and are replaced in the preview only, and base-component feature
 * gates the preview closes.
 */
export const SUBSTITUTES: Readonly<Record<string, string>> = {
    'lightning/platformShowToastEvent': 'platformShowToastEvent.js',
    'lightning/empApi': 'empApi.js',
    'lightning/navigation': 'navigation.js',
    'lightning/confirm': 'confirm.js',
    'lightning/modal': 'modal/modal.js',
    'lightning/modalHeader': 'modalHeader/modalHeader.js',
    'lightning/modalBody': 'modalBody/modalBody.js',
    'lightning/modalFooter': 'modalFooter/modalFooter.js',
    // The shipped one throws on ISO date strings (what Apex Datetime values are): see its header.
    // attachInternals() throws under synthetic shadow: the combobox keeps its pre-ElementInternals code.
    '@salesforce/gate/bc.260.enableComboboxElementInternals': 'gateClosed.js'
};

const APEX_PREFIX = '@salesforce/apex/';
const VIRTUAL = '\0preview-apex:';

/**
 * `@salesforce/apex/<Class>.<method>` → a fixture-backed method, `@salesforce/apex` → refreshApex;
 * JSON fixtures load as modules.
 */
function previewApex(): Plugin {
    return {
        name: 'switchboard-preview-apex',
        resolveId(source) {
            if (source === '@salesforce/apex') {
                return APEX_RUNTIME;
            }
            return source.startsWith(APEX_PREFIX) ? VIRTUAL + source.slice(APEX_PREFIX.length) : null;
        },
        async load(id) {
            if (id.startsWith(VIRTUAL)) {
                const method = id.slice(VIRTUAL.length);
                if (!/^\w+\.\w+$/.test(method)) {
                    this.error(`Apex import "${APEX_PREFIX}${method}" is not <Class>.<method>`);
                }
                return `import { apexMethod } from ${JSON.stringify(APEX_RUNTIME)};\nexport default apexMethod(${JSON.stringify(method)});\n`;
            }
            if (id.endsWith('.json')) {
                return `export default ${await readFile(id, 'utf8')};`;
            }
            return null;
        }
    };
}

/** One alias module record per component folder: c/<name> → its .js file. */
async function componentModules(): Promise<Array<{ name: string; path: string }>> {
    const entries = await readdir(LWC_DIR, { withFileTypes: true });
    return entries
        .filter((entry) => entry.isDirectory())
        .map((entry) => ({ name: `c/${entry.name}`, path: path.join(LWC_DIR, entry.name, `${entry.name}.js`) }));
}

export interface BuildResult {
    outDir: string;
    /** Warnings rollup reported outside node_modules, for the caller to print. */
    warnings: string[];
}

export interface BuildOptions {
    /** Where index.html and app.js go; preview/dist by default. */
    outDir?: string;
    /** Write app.js.map too (on by default; tests skip it, it takes seconds). */
    sourcemap?: boolean;
}

/** Compiles the preview into outDir (index.html and app.js). */
export async function buildPreview({ outDir = DEFAULT_OUT_DIR, sourcemap = true }: BuildOptions = {}): Promise<BuildResult> {
    const warnings: string[] = [];
    const substitutes = Object.entries(SUBSTITUTES).map(([name, file]) => ({
        name,
        path: path.join(SUBSTITUTES_DIR, file)
    }));
    const bundle = await rollup({
        input: path.join(PREVIEW_DIR, 'main.js'),
        onwarn: (warning) => {
            // The base components' own template warnings are not ours to fix.
            if (!warning.message.includes('node_modules/')) {
                warnings.push(warning.message);
            }
        },
        plugins: [
            previewApex(),
            replace({
                preventAssignment: true,
                values: {
                    'process.env.NODE_ENV': JSON.stringify('development'),
                    // Base components ask whether they render on the server (Vite-style).
                    'import.meta.env.SSR': 'false'
                }
            }),
            lwc({
                rootDir: REPO_DIR,
                // Fixtures are data, loaded by previewApex.
                exclude: ['**/*.json'],
                // Some base components (the datatable's sorting modal) render lwc:is.
                enableDynamicComponents: true,
                modules: [
                    ...substitutes,
                    ...(await componentModules()),
                    { dir: path.join(PREVIEW_DIR, 'modules') },
                    { npm: 'lightning-base-components' }
                ]
            }),
            nodeResolve()
        ]
    });
    try {
        await mkdir(outDir, { recursive: true });
        await bundle.write({ file: path.join(outDir, 'app.js'), format: 'iife', inlineDynamicImports: true, sourcemap });
    } finally {
        await bundle.close();
    }
    await copyFile(path.join(PREVIEW_DIR, 'index.html'), path.join(outDir, 'index.html'));
    return { outDir, warnings };
}
