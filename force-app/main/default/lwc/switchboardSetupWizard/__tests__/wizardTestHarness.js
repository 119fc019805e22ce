import { createElement } from 'lwc';
import SwitchboardSetupWizard from 'c/switchboardSetupWizard';
import getSync from '@salesforce/apex/SwitchboardSetupController.getSync';
import countScope from '@salesforce/apex/SwitchboardSetupController.countScope';
import saveSync from '@salesforce/apex/SwitchboardSetupController.saveSync';
import getConnectionStatus from '@salesforce/apex/SwitchboardSetupController.getConnectionStatus';
import runSystemsCheck from '@salesforce/apex/SwitchboardSetupController.runSystemsCheck';
import { refreshApex } from '@salesforce/apex';
import { resetNavigations } from 'lightning/navigation';

/**
 * What the setup wizard's test suites share: the mocked Apex (import it from here, so the mocks are in
 * place before anything loads it), the sample drafts, mounting the wizard, finding its parts, stepping
 * through it, and the set-up and clean-up around each test. Not a test suite itself.
 */

jest.mock(
    '@salesforce/apex/SwitchboardSetupController.getSync',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex/SwitchboardSetupController.countScope', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SwitchboardSetupController.saveSync', () => ({ default: jest.fn() }), { virtual: true });
jest.mock('@salesforce/apex/SwitchboardSetupController.getConnectionStatus', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/SwitchboardSetupController.runSystemsCheck', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

export { getSync, countScope, saveSync, getConnectionStatus, runSystemsCheck, refreshApex };

export const NEW_DRAFT = require('./data/newDraft.json');
export const EXISTING_DRAFT = require('./data/existingDraft.json');
export const CONNECTION = require('./data/connectionStatus.json');

export const NEW_SYNC_ID = 'a01000000000005AAA';
export const flushPromises = () => new Promise((resolve) => process.nextTick(resolve));

export async function mount(draft = NEW_DRAFT, props = {}) {
    const element = createElement('c-switchboard-setup-wizard', { is: SwitchboardSetupWizard });
    Object.assign(element, props);
    const toasts = [];
    const saved = jest.fn();
    element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
    element.addEventListener('saved', (event) => saved(event.detail));
    document.body.appendChild(element);
    if (draft) {
        getSync.emit(draft);
    }
    await flushPromises();
    return { element, toasts, saved };
}

export const $ = (element, selector) => element.shadowRoot.querySelector(selector);
export const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
export const field = (element, name) => $(element, `[data-field="${name}"]`);
export const heading = (element) => $(element, '.step-heading').textContent;
export const problems = (element) => $$(element, '.problems li').map((item) => item.textContent);

export async function change(target, value) {
    target.dispatchEvent(new CustomEvent('change', { detail: { value } }));
    await flushPromises();
}

export async function toggle(target, checked) {
    target.checked = checked;
    target.dispatchEvent(new CustomEvent('change', { detail: { checked } }));
    await flushPromises();
}

export async function next(element) {
    expect($(element, 'lightning-button.next').disabled).toBe(false);
    $(element, 'lightning-button.next').click();
    await flushPromises();
}

/** Runs the scope counts started on the way (fake timers) and lets their answers render. */
async function settle() {
    jest.runOnlyPendingTimers();
    await flushPromises();
}

export async function forward(element, steps) {
    for (let step = 0; step < steps; step++) {
        await next(element);
        await settle();
    }
}

/** Every labelled control of the current step has a label (the stubs render none for axe to see). */
export function expectLabelledControls(element) {
    const controls = $$(
        element,
        'lightning-input, lightning-combobox, lightning-radio-group, lightning-checkbox-group, lightning-textarea'
    );
    expect(controls.length).toBeGreaterThan(0);
    controls.forEach((control) => expect(control.label).toEqual(expect.stringMatching(/\w/)));
}

/** Fake timers, a connected service and empty scopes before each test of the calling describe; a clean page after. */
export function resetBetweenTests() {
    beforeEach(() => {
        jest.useFakeTimers({ doNotFake: ['nextTick'] });
        getConnectionStatus.mockResolvedValue(CONNECTION);
        countScope.mockResolvedValue(0);
    });

    afterEach(() => {
        document.body.replaceChildren();
        jest.clearAllMocks();
        jest.useRealTimers();
        resetNavigations();
    });
}
