import { createElement } from 'lwc';
import SwitchboardSyncDashboard from 'c/switchboardSyncDashboard';
import getDashboard from '@salesforce/apex/SwitchboardDashboardController.getDashboard';
import retryError from '@salesforce/apex/SwitchboardDashboardController.retryError';
import ignoreError from '@salesforce/apex/SwitchboardDashboardController.ignoreError';
import runCommand from '@salesforce/apex/SwitchboardDashboardController.runCommand';
import statusChannel from '@salesforce/apex/SwitchboardDashboardController.statusChannel';
import listSyncs from '@salesforce/apex/SwitchboardSetupController.listSyncs';
import LightningConfirm from 'lightning/confirm';
import { subscribe, isEmpEnabled } from 'lightning/empApi';
import { resetNavigations } from 'lightning/navigation';

/**
 * What the sync dashboard's test suites share: the mocked Apex and confirm dialog (import them from
 * here, so the mocks are in place before anything loads them), the sample dashboards, mounting the
 * dashboard, finding its command buttons, and the set-up and clean-up around each test. Not a test
 * suite itself.
 */

jest.mock('@salesforce/apex/SwitchboardDashboardController.getDashboard', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/SwitchboardDashboardController.retryError', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/SwitchboardDashboardController.ignoreError', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/SwitchboardDashboardController.runCommand', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/SwitchboardDashboardController.statusChannel', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/SwitchboardSetupController.listSyncs',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('lightning/confirm', () => ({ __esModule: true, default: { open: jest.fn() } }));

export { getDashboard, retryError, ignoreError, runCommand, statusChannel, listSyncs, LightningConfirm };

export const ACTIVE = require('./data/activeDashboard.json');
export const INITIAL_SYNC = require('./data/initialSyncDashboard.json');
export const ERROR = require('./data/errorDashboard.json');

export const SYNC_ID = ACTIVE.syncId;
export const flushPromises = () => new Promise((resolve) => process.nextTick(resolve));

export async function mount(props = { syncId: SYNC_ID }) {
    const element = createElement('c-switchboard-sync-dashboard', { is: SwitchboardSyncDashboard });
    Object.assign(element, props);
    const toasts = [];
    element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
    document.body.appendChild(element);
    await flushPromises();
    return { element, toasts };
}

export const $ = (element, selector) => element.shadowRoot.querySelector(selector);
export const commandButton = (element, name) => $(element, `lightning-button[data-command="${name}"]`);
export const disabledByCommand = (element) =>
    Object.fromEntries(
        [...element.shadowRoot.querySelectorAll('lightning-button[data-command]')].map((button) => [
            button.dataset.command,
            button.disabled
        ])
    );
export const statusMessage = (syncId) => ({ data: { payload: { Sync_Id__c: syncId, Status__c: 'Active' } } });

/** The active sample dashboard and a working streaming API before each test of the calling describe; a clean page after. */
export function resetBetweenTests() {
    beforeEach(() => {
        getDashboard.mockResolvedValue(ACTIVE);
        statusChannel.mockResolvedValue('/event/Switchboard_Status__e');
        isEmpEnabled.mockResolvedValue(true);
        subscribe.mockResolvedValue({ id: 'subscription' });
    });

    afterEach(() => {
        document.body.replaceChildren();
        jest.clearAllMocks();
        jest.useRealTimers();
        resetNavigations();
    });
}
