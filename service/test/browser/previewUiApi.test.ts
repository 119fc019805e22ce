import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { rollup } from 'rollup';
import { buildPreview, LWC_DIR, MASTER_RECORD_TYPE_ID, PREVIEW_DIR, previewSchema } from '../../../preview/build';
import { startPreviewServer, type PreviewServer } from '../../../preview/serve';
import { picklistDefault, picklistValues, readField } from '../../../scripts/package/packageModel';
import { elementsOf, textOf } from '../../../scripts/package/xml';

/**
 * The preview's lightning/uiObjectInfoApi answers from the package's own metadata: the mapping
 * studio's transform choices are the Transform__c picklist of
 * force-app/main/default/objects/Switchboard_Field_Mapping__c, read when the preview is built.
 */

const OBJECT = 'Switchboard_Field_Mapping__c';
const FIELD = 'Transform__c';

/** The picklist's values and labels, straight from the field's XML. */
function transformPicklistFromXml(): Array<{ label: string; value: string }> {
  const field = readField(OBJECT, FIELD);
  const elements = elementsOf(field, 'valueSet')
    .flatMap((set) => elementsOf(set, 'valueSetDefinition'))
    .flatMap((definition) => elementsOf(definition, 'value'));
  const labels = elements.map((element) => textOf(element, 'label'));
  return picklistValues(field).map((value, index) => ({ value, label: labels[index] ?? value }));
}

type WireValue = { data?: unknown; error?: unknown };
type AdapterClass = new (callback: (value: WireValue) => void) => {
  connect(): void;
  disconnect(): void;
  update(config: Record<string, unknown>): void;
};

describe('preview lightning/uiObjectInfoApi wire adapters', () => {
  let api: Record<string, AdapterClass>;

  beforeAll(async () => {
    // The substitute bundled with the preview's schema plugin, as CommonJS to evaluate here.
    const bundle = await rollup({
      input: path.join(PREVIEW_DIR, 'substitutes/uiObjectInfoApi.js'),
      plugins: [previewSchema()],
    });
    const { output } = await bundle.generate({ format: 'cjs', exports: 'named' });
    await bundle.close();
    const module = { exports: {} as Record<string, AdapterClass> };
    new Function('module', 'exports', output[0].code)(module, module.exports);
    api = module.exports;
  });

  /** The first value an adapter emits for a config (or undefined when it emits none). */
  async function wire(adapter: string, config: Record<string, unknown>): Promise<WireValue | undefined> {
    const values: WireValue[] = [];
    const instance = new api[adapter]((value) => values.push(value));
    instance.connect();
    instance.update(config);
    await new Promise((resolve) => setTimeout(resolve, 0));
    instance.disconnect();
    return values[0];
  }

  test('schema imports resolve to { objectApiName } and { objectApiName, fieldApiName }', async () => {
    const plugin = previewSchema();
    const load = async (source: string) => {
      const resolveId = plugin.resolveId as (source: string) => string;
      const loadHook = plugin.load as (this: unknown, id: string) => string;
      return loadHook.call(
        {
          error: (message: string) => {
            throw new Error(message);
          },
        },
        resolveId(source),
      );
    };
    expect(await load(`@salesforce/schema/${OBJECT}`)).toBe(`export default {"objectApiName":"${OBJECT}"};\n`);
    expect(await load(`@salesforce/schema/${OBJECT}.${FIELD}`)).toBe(
      `export default {"objectApiName":"${OBJECT}","fieldApiName":"${FIELD}"};\n`,
    );
  });

  test('getObjectInfo answers the object with its master record type as default', async () => {
    const value = await wire('getObjectInfo', { objectApiName: { objectApiName: OBJECT } });
    const info = value?.data as { apiName: string; defaultRecordTypeId: string; fields: Record<string, unknown> };
    expect(value?.error).toBeUndefined();
    expect(info.apiName).toBe(OBJECT);
    expect(info.defaultRecordTypeId).toBe(MASTER_RECORD_TYPE_ID);
    expect(info.fields[FIELD]).toMatchObject({ apiName: FIELD, dataType: 'Picklist', label: 'Transform' });
    expect(Object.isFrozen(info)).toBe(true);
  });

  test('getPicklistValues answers the XML picklist in the shape the component is tested with', async () => {
    const value = await wire('getPicklistValues', {
      recordTypeId: MASTER_RECORD_TYPE_ID,
      fieldApiName: { objectApiName: OBJECT, fieldApiName: FIELD },
    });
    const tested = JSON.parse(
      await readFile(path.join(LWC_DIR, 'switchboardMappingStudio/__tests__/data/transformPicklist.json'), 'utf8'),
    );
    const data = value?.data as Record<string, unknown>;
    expect(value?.error).toBeUndefined();
    expect(Object.keys(data).sort()).toEqual(Object.keys(tested).sort());
    expect(data.values).toEqual(
      transformPicklistFromXml().map(({ label, value }) => ({ attributes: null, label, validFor: [], value })),
    );
    expect(data.defaultValue).toMatchObject({ value: picklistDefault(readField(OBJECT, FIELD)) });
    // A string "Object.Field" works too.
    expect(
      (await wire('getPicklistValues', { recordTypeId: MASTER_RECORD_TYPE_ID, fieldApiName: `${OBJECT}.${FIELD}` }))
        ?.data,
    ).toEqual(data);
  });

  test('waits for its parameters, and answers 404 for unknown objects, fields and record types', async () => {
    expect(
      await wire('getPicklistValues', {
        recordTypeId: undefined,
        fieldApiName: { objectApiName: OBJECT, fieldApiName: FIELD },
      }),
    ).toBeUndefined();
    expect(await wire('getObjectInfo', {})).toBeUndefined();
    const notFound = {
      data: undefined,
      error: expect.objectContaining({ status: 404, body: expect.objectContaining({ message: expect.any(String) }) }),
    };
    expect(await wire('getObjectInfo', { objectApiName: 'Nope__c' })).toEqual(notFound);
    expect(
      await wire('getPicklistValues', { recordTypeId: MASTER_RECORD_TYPE_ID, fieldApiName: `${OBJECT}.Nope__c` }),
    ).toEqual(notFound);
    expect(
      await wire('getPicklistValues', { recordTypeId: MASTER_RECORD_TYPE_ID, fieldApiName: `${OBJECT}.Required__c` }),
    ).toEqual(notFound);
    expect(
      await wire('getPicklistValues', { recordTypeId: '012000000000001AAA', fieldApiName: `${OBJECT}.${FIELD}` }),
    ).toEqual(notFound);
  });
});

// Debian's Chromium; PREVIEW_CHROMIUM points elsewhere (a missing path shows the skip).
const CHROMIUM = process.env.PREVIEW_CHROMIUM || '/usr/bin/chromium';
const chromiumPresent = existsSync(CHROMIUM);
const describeInChromium = chromiumPresent ? describe : describe.skip;
const title = chromiumPresent
  ? 'preview mapping studio transforms in Chromium'
  : `preview mapping studio transforms in Chromium — SKIPPED: ${CHROMIUM} is missing (apt-get install chromium)`;

describeInChromium(title, () => {
  let outDir: string;
  let userDataDir: string;
  let server: PreviewServer;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-preview-uiapi-'));
    userDataDir = await mkdtemp(path.join(os.tmpdir(), 'switchboard-chromium-uiapi-'));
    const { warnings } = await buildPreview({ outDir, sourcemap: false });
    expect(warnings).toEqual([]);
    server = await startPreviewServer(outDir, 0);
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(15000);
  }, 120000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    await Promise.all([outDir, userDataDir].filter(Boolean).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  test("the built preview's transform choices are the Transform__c picklist values from the XML", async () => {
    await page.goto(`${server.url}/#mappings`);
    const main = page.locator('main[data-screen="mappings"]');
    await main.getByText('Contacts mapping 1', { exact: true }).waitFor();
    const transform = main.locator('lightning-combobox[data-prop="transform"]').first();
    await transform.getByRole('combobox').click();
    const options = transform.getByRole('option');
    await options.first().waitFor();
    // innerText: synthetic shadow hides the items' text from textContent.
    const labels = (await options.allInnerTexts()).map((label) => label.trim());
    const values = await Promise.all((await options.all()).map((option) => option.getAttribute('data-value')));
    const choices = labels.map((label, index) => ({ label, value: values[index] }));
    expect(choices).toEqual(transformPicklistFromXml());
    expect(await main.getByText('Could not read the transforms').count()).toBe(0);
  });
});
