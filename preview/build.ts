import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { rollup, type Plugin } from 'rollup';
import lwc from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { OBJECTS_DIR } from '../scripts/package/paths';
import { elementsOf, readXml, textOf, type XmlElement } from '../scripts/package/xml';

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
    // Object info and picklists, from the package's object metadata read at build time (previewSchema).
    'lightning/uiObjectInfoApi': 'uiObjectInfoApi.js',
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

const SCHEMA_PREFIX = '@salesforce/schema/';
const VIRTUAL_SCHEMA = '\0preview-schema:';
/** What preview/substitutes/uiObjectInfoApi.js imports its objects from. */
export const PACKAGE_OBJECTS_MODULE = 'virtual:switchboard-package-objects';
const VIRTUAL_PACKAGE_OBJECTS = '\0preview-package-objects';

/** The record type id the platform gives the master record type of every object. */
export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

/** Metadata field types → the UI API's dataType. */
const DATA_TYPES: Readonly<Record<string, string>> = {
    Checkbox: 'Boolean',
    Currency: 'Currency',
    Date: 'Date',
    DateTime: 'DateTime',
    Email: 'Email',
    Html: 'TextArea',
    Lookup: 'Reference',
    LongTextArea: 'TextArea',
    MasterDetail: 'Reference',
    MultiselectPicklist: 'MultiPicklist',
    Number: 'Double',
    Percent: 'Percent',
    Phone: 'Phone',
    Picklist: 'Picklist',
    Text: 'String',
    TextArea: 'TextArea',
    Url: 'Url'
};

export interface PreviewPicklistValue {
    label: string;
    value: string;
}

export interface PreviewField {
    apiName: string;
    label: string;
    dataType: string;
    required: boolean;
    /** Picklist fields only: their values in order, and the one marked default (or null). */
    picklist?: { values: PreviewPicklistValue[]; defaultValue: string | null };
}

export interface PreviewObject {
    apiName: string;
    label: string;
    labelPlural: string;
    custom: boolean;
    fields: Record<string, PreviewField>;
}

function readPicklist(field: XmlElement): PreviewField['picklist'] {
    const values = elementsOf(field, 'valueSet')
        .flatMap((set) => elementsOf(set, 'valueSetDefinition'))
        .flatMap((definition) => elementsOf(definition, 'value'));
    const fullName = (value: XmlElement) => textOf(value, 'fullName') ?? '';
    const defaultValue = values.find((value) => textOf(value, 'default') === 'true');
    return {
        // A value without a <label> is shown by its API name, as in the org.
        values: values.map((value) => ({ label: textOf(value, 'label') ?? fullName(value), value: fullName(value) })),
        defaultValue: defaultValue ? fullName(defaultValue) : null
    };
}

/**
 * The package's objects as the preview's UI API substitute answers for them: every folder under
 * force-app/main/default/objects except platform events (the UI API does not serve those), with
 * the fields the package defines (a standard object's own fields are not in its metadata).
 */
export function readPackageObjects(objectsDir: string = OBJECTS_DIR): Record<string, PreviewObject> {
    const objects: Record<string, PreviewObject> = {};
    for (const entry of readdirSync(objectsDir, { withFileTypes: true })) {
        const apiName = entry.name;
        if (!entry.isDirectory() || apiName.endsWith('__e')) {
            continue;
        }
        const objectFile = path.join(objectsDir, apiName, `${apiName}.object-meta.xml`);
        const object = existsSync(objectFile) ? readXml(objectFile).root : {};
        const fieldsDir = path.join(objectsDir, apiName, 'fields');
        const fields: Record<string, PreviewField> = {};
        const fieldFiles = existsSync(fieldsDir) ? readdirSync(fieldsDir).filter((file) => file.endsWith('.field-meta.xml')) : [];
        for (const file of fieldFiles.sort()) {
            const field = readXml(path.join(fieldsDir, file)).root;
            const fieldName = textOf(field, 'fullName') ?? file.replace(/\.field-meta\.xml$/, '');
            const type = textOf(field, 'type') ?? '';
            fields[fieldName] = {
                apiName: fieldName,
                label: textOf(field, 'label') ?? fieldName,
                dataType: DATA_TYPES[type] ?? type,
                required: textOf(field, 'required') === 'true',
                ...(type === 'Picklist' || type === 'MultiselectPicklist' ? { picklist: readPicklist(field) } : {})
            };
        }
        const label = textOf(object, 'label') ?? apiName;
        objects[apiName] = {
            apiName,
            label,
            labelPlural: textOf(object, 'pluralLabel') ?? label,
            custom: apiName.includes('__'),
            fields
        };
    }
    return objects;
}

/**
 * `@salesforce/schema/<Object>` → `{ objectApiName }`, `@salesforce/schema/<Object>.<Field>` →
 * `{ objectApiName, fieldApiName }` (a relationship path keeps its dots in fieldApiName), as on the
 * platform; and the package's objects, read from their metadata at build time, for the UI API
 * substitute, so the preview's picklists can never drift from the package.
 */
export function previewSchema(objectsDir: string = OBJECTS_DIR): Plugin {
    return {
        name: 'switchboard-preview-schema',
        resolveId(source) {
            if (source === PACKAGE_OBJECTS_MODULE) {
                return VIRTUAL_PACKAGE_OBJECTS;
            }
            return source.startsWith(SCHEMA_PREFIX) ? VIRTUAL_SCHEMA + source.slice(SCHEMA_PREFIX.length) : null;
        },
        load(id) {
            if (id === VIRTUAL_PACKAGE_OBJECTS) {
                return `export const MASTER_RECORD_TYPE_ID = ${JSON.stringify(MASTER_RECORD_TYPE_ID)};\nexport const OBJECTS = ${JSON.stringify(readPackageObjects(objectsDir), null, 4)};\n`;
            }
            if (!id.startsWith(VIRTUAL_SCHEMA)) {
                return null;
            }
            const reference = id.slice(VIRTUAL_SCHEMA.length);
            const match = /^(\w+)(?:\.(\w+(?:\.\w+)*))?$/.exec(reference);
            if (!match) {
                this.error(`Schema import "${SCHEMA_PREFIX}${reference}" is not <Object> or <Object>.<Field>`);
            }
            const [, objectApiName, fieldApiName] = match;
            const value = fieldApiName ? { objectApiName, fieldApiName } : { objectApiName };
            return `export default ${JSON.stringify(value)};\n`;
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
            previewSchema(),
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
