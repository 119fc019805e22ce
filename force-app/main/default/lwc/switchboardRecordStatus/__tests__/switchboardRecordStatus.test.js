import { createElement } from 'lwc';
import SwitchboardRecordStatus from 'c/switchboardRecordStatus';
import getRecordStatus from '@salesforce/apex/SwitchboardRecordStatusController.getRecordStatus';
import syncNow from '@salesforce/apex/SwitchboardRecordStatusController.syncNow';
import recentCalls from '@salesforce/apex/SwitchboardRecentCallsController.recentCalls';
import { refreshApex } from '@salesforce/apex';

const FAILING = require('./data/failingStatus.json');
const NOT_SYNCED = require('./data/notSyncedStatus.json');

jest.mock('@salesforce/apex/SwitchboardRecordStatusController.getRecordStatus', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock('@salesforce/apex/SwitchboardRecordStatusController.syncNow', () => ({ default: jest.fn() }), {
    virtual: true
});
jest.mock(
    '@salesforce/apex/SwitchboardRecentCallsController.recentCalls',
    () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
    { virtual: true }
);
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const RECORD_ID = '003000000000001AAA';
const flushPromises = () => new Promise((resolve) => process.nextTick(resolve));

async function mount(objectApiName = 'Contact') {
    const element = createElement('c-switchboard-record-status', { is: SwitchboardRecordStatus });
    element.recordId = RECORD_ID;
    element.objectApiName = objectApiName;
    const toasts = [];
    element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
    document.body.appendChild(element);
    await flushPromises();
    return { element, toasts };
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const syncButton = (element) => $(element, 'lightning-button');

describe('c-switchboard-record-status', () => {
    afterEach(() => {
        document.body.replaceChildren();
        jest.clearAllMocks();
    });

    it('shows a failing record with its directory entry, last sync and open errors', async () => {
        getRecordStatus.mockResolvedValue(FAILING);
        const { element } = await mount();

        expect(getRecordStatus).toHaveBeenCalledWith({ recordId: RECORD_ID });
        const badge = $(element, 'lightning-badge');
        expect(badge.label).toBe('Failing');
        expect(badge.className).toContain('slds-theme_error');
        expect($(element, '.directory-id').textContent).toBe(FAILING.directoryId);
        expect($(element, 'lightning-relative-date-time').value).toBe(Date.parse(FAILING.lastSynced));
        expect($(element, '.last-synced lightning-formatted-date-time').value).toBe(FAILING.lastSynced);
        expect($(element, '.note').textContent).toBe(FAILING.note);
        expect($(element, 'h3').textContent).toBe('Open sync errors (1)');
        const errorItem = $(element, '.sync-error');
        expect(errorItem.textContent).toContain('INVALID_PHONE (Telephony)');
        expect(errorItem.textContent).toContain("Phone '+1 555' is not a valid number for US");
        expect(errorItem.textContent).toContain('Retries: 3.');
        await expect(element).toBeAccessible();
    });

    it('shows a record that was never synced, in grey', async () => {
        getRecordStatus.mockResolvedValue(NOT_SYNCED);
        const { element } = await mount('Lead');

        const badge = $(element, 'lightning-badge');
        expect(badge.label).toBe('Not synced');
        expect(badge.className).not.toMatch(/slds-theme_/);
        expect($(element, '.directory-id').textContent).toBe('None');
        expect($(element, '.last-synced').textContent).toBe('Never');
        expect($(element, '.note')).toBeNull();
        expect($(element, '.sync-error')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it.each([
        ['InSync', 'In sync', 'slds-theme_success'],
        ['Excluded', 'Excluded', 'slds-theme_warning']
    ])('labels state %s as "%s"', async (state, label, theme) => {
        getRecordStatus.mockResolvedValue({ ...NOT_SYNCED, state });
        const { element } = await mount();

        const badge = $(element, 'lightning-badge');
        expect(badge.label).toBe(label);
        expect(badge.className).toContain(theme);
    });

    it('treats an unknown state and missing errors as not synced', async () => {
        getRecordStatus.mockResolvedValue({ state: 'Archived', directoryId: null, lastSynced: null });
        syncNow.mockResolvedValue('req-7');
        const { element, toasts } = await mount(null);

        expect($(element, 'lightning-badge').label).toBe('Not synced');
        expect($(element, '.sync-error')).toBeNull();
        syncButton(element).click();
        await flushPromises();
        expect(toasts[0].message).toBe('Switchboard syncs this record in a moment (request req-7).');
    });

    it('syncs the record on request and says so', async () => {
        getRecordStatus.mockResolvedValue(NOT_SYNCED);
        syncNow.mockResolvedValue('5b0f0c9e-req');
        const { element, toasts } = await mount('Account');

        syncButton(element).click();
        await flushPromises();

        expect(syncNow).toHaveBeenCalledWith({ recordId: RECORD_ID });
        expect(toasts).toEqual([
            {
                title: 'Sync requested',
                message: 'Switchboard syncs this person account in a moment (request 5b0f0c9e-req).',
                variant: 'success'
            }
        ]);
        expect(syncButton(element).disabled).toBe(false);
    });

    it('says why a sync could not be requested', async () => {
        getRecordStatus.mockResolvedValue(NOT_SYNCED);
        syncNow.mockRejectedValue({ body: { message: 'No active sync covers this Lead.' } });
        const { element, toasts } = await mount('Lead');

        syncButton(element).click();
        await flushPromises();

        expect(toasts).toEqual([
            { title: 'Could not request a sync', message: 'No active sync covers this Lead.', variant: 'error' }
        ]);
    });

    it('says why the status could not be loaded, and loads it again on refresh', async () => {
        getRecordStatus.mockRejectedValueOnce({
            body: { message: 'Insufficient access rights on cross-reference id' }
        });
        const { element } = await mount();

        expect($(element, '[role="alert"]').textContent).toContain('Insufficient access rights on cross-reference id');
        expect($(element, 'lightning-badge')).toBeNull();

        getRecordStatus.mockResolvedValue(FAILING);
        $(element, 'lightning-button-icon').click();
        await flushPromises();

        expect(getRecordStatus).toHaveBeenCalledTimes(2);
        expect($(element, '[role="alert"]')).toBeNull();
        expect($(element, 'lightning-badge').label).toBe('Failing');
    });

    it('shows the recent calls of the record below its status, and reads them again on refresh', async () => {
        getRecordStatus.mockResolvedValue(FAILING);
        const { element } = await mount('Lead');

        const calls = $(element, 'c-switchboard-recent-calls');
        expect(calls.recordId).toBe(RECORD_ID);
        expect(calls.objectApiName).toBe('Lead');
        expect(recentCalls.getLastConfig()).toEqual({ recordId: RECORD_ID, maxRows: 5 });
        recentCalls.emit({
            applies: true,
            problem: null,
            hasMore: false,
            calls: [
                {
                    taskId: '00T000000000001AAA',
                    subject: 'Inbound call from +49 30 1234567',
                    direction: 'Inbound',
                    loggedAt: '2025-11-21T10:03:07.000Z',
                    durationSeconds: 187,
                    disposition: 'Answered',
                    ownerName: 'Grace Hopper'
                }
            ]
        });
        await flushPromises();
        expect(calls.shadowRoot.querySelectorAll('li.call')).toHaveLength(1);
        await expect(element).toBeAccessible();

        $(element, 'lightning-button-icon').click();
        await flushPromises();

        expect(getRecordStatus).toHaveBeenCalledTimes(2);
        expect(refreshApex).toHaveBeenCalledTimes(1);
    });

    it('shows no calls until the status is loaded', async () => {
        getRecordStatus.mockRejectedValueOnce({ body: { message: 'Insufficient access rights on cross-reference id' } });
        const { element } = await mount();

        expect($(element, 'c-switchboard-recent-calls')).toBeNull();
        $(element, 'lightning-button-icon').click();
        await flushPromises();
        expect(refreshApex).not.toHaveBeenCalled();
    });
});
