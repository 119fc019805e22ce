import { createElement } from 'lwc';
import SwitchboardMappingStudio from 'c/switchboardMappingStudio';
import getMappings from '@salesforce/apex/SwitchboardMappingController.getMappings';
import getFieldOptions from '@salesforce/apex/SwitchboardMappingController.getFieldOptions';
import saveMappings from '@salesforce/apex/SwitchboardMappingController.saveMappings';
import restoreDefaults from '@salesforce/apex/SwitchboardMappingController.restoreDefaults';
import getSync from '@salesforce/apex/SwitchboardSetupController.getSync';
import listSyncs from '@salesforce/apex/SwitchboardSetupController.listSyncs';
import { refreshApex } from '@salesforce/apex';
import { getObjectInfo, getPicklistValues } from 'lightning/uiObjectInfoApi';
import LightningConfirm from 'lightning/confirm';

/**
 * What the mapping studio's test suites share: the mocked Apex (import it from here, so the mocks are
 * in place before anything loads it), the sample data, mounting the studio, and finding and using its
 * parts. Not a test suite itself.
 */

// jest.mock factories run before this module's own code, so each builds its wire adapter itself.
jest.mock(
    '@salesforce/apex/SwitchboardMappingController.getMappings',
    () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SwitchboardSetupController.getSync',
    () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
    { virtual: true }
);
jest.mock(
    '@salesforce/apex/SwitchboardSetupController.listSyncs',
    () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
    { virtual: true }
);
jest.mock('@salesforce/apex/SwitchboardMappingController.getFieldOptions', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/SwitchboardMappingController.saveMappings', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/SwitchboardMappingController.restoreDefaults', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });
jest.mock('lightning/confirm', () => ({ __esModule: true, default: { open: jest.fn() } }));

export {
    getMappings,
    getFieldOptions,
    saveMappings,
    restoreDefaults,
    getSync,
    listSyncs,
    refreshApex,
    getObjectInfo,
    getPicklistValues,
    LightningConfirm
};

export const MAPPINGS = require('./data/mappings.json');
export const SYNC = require('./data/sync.json');
/** The Transform__c picklist as getPicklistValues returns it. */
export const TRANSFORM_PICKLIST = require('./data/transformPicklist.json');
export const FIELDS = {
    Contact: require('./data/contactFields.json'),
    Lead: require('./data/leadFields.json'),
    Account: require('./data/accountFields.json')
};
/** The default record type of an object without record types. */
export const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

export const SYNC_ID = SYNC.syncId;
export const flushPromises = () => new Promise((resolve) => process.nextTick(resolve));

/**
 * Mounts the studio and gives it the sync, its mappings and the transforms (each left out when null).
 * @returns {Promise<{ element: HTMLElement, toasts: object[] }>} the studio and the toasts it shows
 */
export async function mount({
    sync = SYNC,
    mappings = MAPPINGS,
    transforms = TRANSFORM_PICKLIST,
    props = { syncId: SYNC_ID }
} = {}) {
    const element = createElement('c-switchboard-mapping-studio', { is: SwitchboardMappingStudio });
    Object.assign(element, props);
    const toasts = [];
    element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
    document.body.appendChild(element);
    if (sync) {
        getSync.emit(sync);
    }
    if (mappings) {
        getMappings.emit(mappings);
    }
    if (transforms) {
        getObjectInfo.emit({ apiName: 'Switchboard_Field_Mapping__c', defaultRecordTypeId: MASTER_RECORD_TYPE_ID });
        getPicklistValues.emit(transforms);
    }
    await flushPromises();
    return { element, toasts };
}

export const $ = (root, selector) => root.shadowRoot.querySelector(selector);
export const $$ = (root, selector) => [...root.shadowRoot.querySelectorAll(selector)];
export const section = (element, object) => $(element, `lightning-accordion-section[data-object="${object}"]`);
export const rowsOf = (element, object) => [...section(element, object).querySelectorAll('fieldset.mapping')];
export const control = (row, prop) => row.querySelector(`[data-prop="${prop}"]`);
export const texts = (root, selector) => [...root.querySelectorAll(selector)].map((node) => node.textContent.trim());
export const saveButton = (element) => $(element, 'lightning-button.save');

export async function change(target, value) {
    target.dispatchEvent(new CustomEvent('change', { detail: { value } }));
    await flushPromises();
}

export async function click(target) {
    target.click();
    await flushPromises();
}
