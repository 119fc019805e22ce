import { createElement } from 'lwc';
import SwitchboardSyncDashboard from 'c/switchboardSyncDashboard';
import SwitchboardConfirmModal from 'c/switchboardConfirmModal';
import getDashboard from '@salesforce/apex/SwitchboardDashboardController.getDashboard';
import retryError from '@salesforce/apex/SwitchboardDashboardController.retryError';
import ignoreError from '@salesforce/apex/SwitchboardDashboardController.ignoreError';
import runCommand from '@salesforce/apex/SwitchboardDashboardController.runCommand';
import listSyncs from '@salesforce/apex/SwitchboardSetupController.listSyncs';
import LightningConfirm from 'lightning/confirm';
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';
import { CurrentPageReference, navigations, resetNavigations } from 'lightning/navigation';

const ACTIVE = require('./data/activeDashboard.json');
const INITIAL_SYNC = require('./data/initialSyncDashboard.json');
const ERROR = require('./data/errorDashboard.json');

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
jest.mock(
    '@salesforce/apex/SwitchboardSetupController.listSyncs',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('lightning/confirm', () => ({ __esModule: true, default: { open: jest.fn() } }));

const SYNC_ID = ACTIVE.syncId;
const flushPromises = () => new Promise((resolve) => process.nextTick(resolve));

async function mount(props = { syncId: SYNC_ID }) {
    const element = createElement('c-switchboard-sync-dashboard', { is: SwitchboardSyncDashboard });
    Object.assign(element, props);
    const toasts = [];
    element.addEventListener('lightning__showtoast', (event) => toasts.push(event.detail));
    document.body.appendChild(element);
    await flushPromises();
    return { element, toasts };
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const commandButton = (element, name) => $(element, `lightning-button[data-command="${name}"]`);
const disabledByCommand = (element) =>
    Object.fromEntries(
        [...element.shadowRoot.querySelectorAll('lightning-button[data-command]')].map((button) => [
            button.dataset.command,
            button.disabled
        ])
    );
const statusMessage = (syncId) => ({ data: { payload: { Sync_Id__c: syncId, Status__c: 'Active' } } });

describe('c-switchboard-sync-dashboard', () => {
    beforeEach(() => {
        getDashboard.mockResolvedValue(ACTIVE);
        isEmpEnabled.mockResolvedValue(true);
        subscribe.mockResolvedValue({ id: 'subscription' });
    });

    afterEach(() => {
        document.body.replaceChildren();
        jest.clearAllMocks();
        jest.useRealTimers();
        resetNavigations();
    });

    describe('shows the sync', () => {
        it('with its status, counters, last sync, failing and excluded records', async () => {
            const { element } = await mount();

            expect(getDashboard).toHaveBeenCalledWith({ syncId: SYNC_ID });
            expect($(element, 'lightning-card').title).toBe('Sync: Head office');
            const badge = $(element, 'lightning-badge');
            expect(badge.label).toBe('Active');
            expect(badge.className).toContain('slds-theme_success');
            expect($(element, '.counter-synced lightning-formatted-number').value).toBe(12840);
            expect($(element, '.counter-excluded lightning-formatted-number').value).toBe(2);
            expect($(element, '.counter-failing lightning-formatted-number').value).toBe(1);
            expect($(element, '.last-sync lightning-relative-date-time').value).toBe(Date.parse(ACTIVE.lastSyncTime));
            expect($(element, '.last-sync lightning-formatted-date-time').value).toBe(ACTIVE.lastSyncTime);
            expect($(element, '.initial-sync')).toBeNull();
            expect($(element, '.stale-heartbeat')).toBeNull();
            expect($(element, '.last-error')).toBeNull();

            const failing = $(element, 'lightning-datatable.failing');
            expect(failing.keyField).toBe('errorId');
            expect(failing.data).toEqual([{ ...ACTIVE.failing[0], recordUrl: '/003000000000001AAA' }]);
            expect(failing.columns.find((column) => column.type === 'action').typeAttributes.rowActions).toEqual([
                { label: 'Retry now', name: 'retry' },
                { label: 'Ignore', name: 'ignore' }
            ]);
            const excluded = $(element, 'lightning-datatable.excluded');
            expect(excluded.data.map((row) => row.reason)).toEqual(['No valid phone', 'Excluded']);
            expect(excluded.columns.map((column) => column.label)).toEqual([
                'Record',
                'Reason',
                'Details',
                'Last seen'
            ]);
            await expect(element).toBeAccessible();
        });

        it('offers only the commands its status allows', async () => {
            const { element } = await mount();
            expect(disabledByCommand(element)).toEqual({
                Pause: false,
                Resume: true,
                SystemsCheck: false,
                StartInitialSync: false,
                Delete: false,
                DeleteAndRevert: false
            });

            getDashboard.mockResolvedValue({ ...ACTIVE, status: 'Paused' });
            commandButton(element, 'Pause').dispatchEvent(new CustomEvent('click'));
            await flushPromises();
            await flushPromises();
            expect($(element, 'lightning-badge').className).not.toMatch(/slds-theme_/);
            expect(disabledByCommand(element)).toMatchObject({ Pause: true, Resume: false, StartInitialSync: true });

            getDashboard.mockResolvedValue({ ...ACTIVE, status: 'Deleting' });
            commandButton(element, 'SystemsCheck').click();
            await flushPromises();
            await flushPromises();
            expect($(element, 'lightning-badge').label).toBe('Deleting');
            expect(disabledByCommand(element)).toEqual({
                Pause: true,
                Resume: true,
                SystemsCheck: false,
                StartInitialSync: true,
                Delete: true,
                DeleteAndRevert: true
            });
        });

        it('with the initial sync progress and the time left', async () => {
            getDashboard.mockResolvedValue(INITIAL_SYNC);
            const { element } = await mount({ syncId: INITIAL_SYNC.syncId });

            expect($(element, 'lightning-badge').className).toContain('slds-theme_warning');
            expect($(element, 'lightning-badge').label).toBe('Initial sync');
            expect($(element, 'lightning-progress-bar').value).toBe(25);
            expect($(element, '.progress-summary').textContent).toBe('2,500 of 10,000 records (25%)');
            // 7,500 records left at 25 records per second.
            expect($(element, '.time-left').textContent).toBe('About 5 min left at 25 records per second.');
            expect($(element, '.last-sync').textContent).toContain('never');
            expect($(element, '.no-failing').textContent).toBe('No record is failing.');
            expect($(element, '.no-excluded').textContent).toBe('No record is excluded.');
            await expect(element).toBeAccessible();
        });

        it.each([
            [{ initialSyncRate: 0 }, 'Estimating the time left…'],
            [{ initialSyncDone: 10000 }, 'Finishing…'],
            [{ initialSyncDone: 9990, initialSyncRate: 1 }, 'About less than a minute left at 1 records per second.'],
            [{ initialSyncDone: 0, initialSyncRate: 1 }, 'About 2 h 47 min left at 1 records per second.'],
            [
                { initialSyncDone: 0, initialSyncTotal: 7200, initialSyncRate: 1 },
                'About 2 h left at 1 records per second.'
            ]
        ])('estimates the time left of %o as "%s"', async (change, expected) => {
            getDashboard.mockResolvedValue({ ...INITIAL_SYNC, ...change });
            const { element } = await mount({ syncId: INITIAL_SYNC.syncId });
            expect($(element, '.time-left').textContent).toBe(expected);
        });

        it('shows no progress while the total is unknown', async () => {
            getDashboard.mockResolvedValue({ ...INITIAL_SYNC, initialSyncDone: null, initialSyncTotal: null });
            const { element } = await mount({ syncId: INITIAL_SYNC.syncId });
            expect($(element, 'lightning-progress-bar').value).toBe(0);
            expect($(element, '.progress-summary').textContent).toBe('0 of 0 records (0%)');
        });

        it('in error, with a stale heartbeat warning that says what to do', async () => {
            getDashboard.mockResolvedValue(ERROR);
            const { element } = await mount({ syncId: ERROR.syncId });

            expect($(element, 'lightning-badge').className).toContain('slds-theme_error');
            expect($(element, 'lightning-badge').label).toBe('Error');
            const warning = $(element, '.stale-heartbeat');
            expect(warning.textContent).toContain('has not reported for more than 5 minutes');
            expect(warning.textContent).toContain('run a systems check');
            expect(warning.querySelector('lightning-relative-date-time').value).toBe(Date.parse(ERROR.heartbeat));
            expect($(element, '.last-error').textContent).toContain('INVALID_SESSION_ID: Session expired or invalid');
            await expect(element).toBeAccessible();
        });

        it('warns when the service never reported', async () => {
            getDashboard.mockResolvedValue({ ...ERROR, heartbeat: null });
            const { element } = await mount({ syncId: ERROR.syncId });
            const warning = $(element, '.stale-heartbeat');
            expect(warning.textContent).toContain('The Switchboard service has not reported yet.');
            expect(warning.querySelector('lightning-relative-date-time')).toBeNull();
        });

        it('says why the dashboard could not be loaded', async () => {
            getDashboard.mockRejectedValue({ body: { message: 'List has no rows for assignment to SObject' } });
            const { element } = await mount();
            expect($(element, '.load-error').textContent).toContain('List has no rows for assignment to SObject');
            expect($(element, 'lightning-badge')).toBeNull();
        });
    });

    describe('runs commands', () => {
        it('pauses without asking, says so and reloads', async () => {
            runCommand.mockResolvedValue('req-1');
            const { element, toasts } = await mount();

            commandButton(element, 'Pause').click();
            await flushPromises();

            expect(runCommand).toHaveBeenCalledWith({ syncId: SYNC_ID, command: 'Pause', confirmation: null });
            expect(toasts).toEqual([
                {
                    title: 'Pause: requested',
                    message: 'The Switchboard service picks it up in a moment (request req-1).',
                    variant: 'success'
                }
            ]);
            expect(getDashboard).toHaveBeenCalledTimes(2);
            expect(LightningConfirm.open).not.toHaveBeenCalled();
            expect(SwitchboardConfirmModal.open).not.toHaveBeenCalled();
        });

        it('starts the initial sync only once confirmed', async () => {
            const { element } = await mount();

            LightningConfirm.open.mockResolvedValueOnce(false);
            commandButton(element, 'StartInitialSync').click();
            await flushPromises();
            expect(LightningConfirm.open).toHaveBeenCalledWith(
                expect.objectContaining({
                    label: 'Start the initial sync?',
                    message: expect.stringContaining('nothing is deleted')
                })
            );
            expect(runCommand).not.toHaveBeenCalled();

            LightningConfirm.open.mockResolvedValueOnce(true);
            runCommand.mockResolvedValue('req-2');
            commandButton(element, 'StartInitialSync').click();
            await flushPromises();
            expect(runCommand).toHaveBeenCalledWith({
                syncId: SYNC_ID,
                command: 'StartInitialSync',
                confirmation: null
            });
        });

        it('deletes after a confirmation that says what will and will not be deleted', async () => {
            const { element } = await mount();

            SwitchboardConfirmModal.open.mockResolvedValueOnce(null);
            commandButton(element, 'Delete').click();
            await flushPromises();
            expect(runCommand).not.toHaveBeenCalled();
            const options = SwitchboardConfirmModal.open.mock.calls[0][0];
            expect(options.label).toBe('Delete Head office?');
            expect(options.confirmationText).toBeUndefined();
            expect(options.willDo[1]).toContain('Forget how the 12,840 directory entries are linked to Salesforce records');
            expect(options.willNotDo).toEqual([
                'Delete any contact from the telephony directory: every entry stays, unlinked.',
                'Delete or change any Contact, Lead or Person Account in Salesforce.',
                "Delete this sync's settings, field mappings or error records in Salesforce."
            ]);

            SwitchboardConfirmModal.open.mockResolvedValueOnce({ confirmation: null });
            runCommand.mockResolvedValue('req-3');
            commandButton(element, 'Delete').click();
            await flushPromises();
            expect(runCommand).toHaveBeenCalledWith({ syncId: SYNC_ID, command: 'Delete', confirmation: null });
        });

        it('deletes and reverts with the sync name typed in the confirmation', async () => {
            getDashboard.mockResolvedValue({ ...ACTIVE, syncedCount: null });
            const { element } = await mount();

            SwitchboardConfirmModal.open.mockResolvedValueOnce(undefined);
            commandButton(element, 'DeleteAndRevert').click();
            await flushPromises();
            expect(runCommand).not.toHaveBeenCalled();
            const options = SwitchboardConfirmModal.open.mock.calls[0][0];
            expect(options.confirmationText).toBe('Head office');
            expect(options.willDo[1]).toContain('every contact that came from Salesforce through this sync');
            expect(options.willDo[2]).toContain('the 0 directory entries');
            expect(options.willNotDo[0]).toContain('created in the phone system, or that another org also syncs');
            expect(options.willNotDo[1]).toContain('Delete or change any Contact, Lead or Person Account');

            SwitchboardConfirmModal.open.mockResolvedValueOnce({ confirmation: 'Head office' });
            runCommand.mockResolvedValue('req-4');
            commandButton(element, 'DeleteAndRevert').click();
            await flushPromises();
            expect(runCommand).toHaveBeenCalledWith({
                syncId: SYNC_ID,
                command: 'DeleteAndRevert',
                confirmation: 'Head office'
            });
        });

        it('says why a command failed and enables the buttons again', async () => {
            runCommand.mockRejectedValue({ body: { message: 'Resume: it is Active; Resume needs Paused' } });
            getDashboard.mockResolvedValue({ ...ACTIVE, status: 'Paused' });
            const { element, toasts } = await mount();

            commandButton(element, 'Resume').click();
            await flushPromises();
            await flushPromises();

            expect(toasts).toEqual([
                { title: 'Resume failed', message: 'Resume: it is Active; Resume needs Paused', variant: 'error' }
            ]);
            expect(commandButton(element, 'Resume').disabled).toBe(false);
        });
    });

    describe('acts on failing records', () => {
        const rowAction = (element, name) =>
            $(element, 'lightning-datatable.failing').dispatchEvent(
                new CustomEvent('rowaction', { detail: { action: { name }, row: ACTIVE.failing[0] } })
            );

        it('retries one now', async () => {
            retryError.mockResolvedValue();
            const { element, toasts } = await mount();
            rowAction(element, 'retry');
            await flushPromises();

            expect(retryError).toHaveBeenCalledWith({ errorId: 'a03000000000001AAA' });
            expect(toasts[0]).toMatchObject({
                title: 'Retry scheduled',
                message: 'Switchboard retries 003000000000001AAA now.'
            });
            expect(getDashboard).toHaveBeenCalledTimes(2);
        });

        it('ignores one', async () => {
            ignoreError.mockResolvedValue();
            const { element, toasts } = await mount();
            rowAction(element, 'ignore');
            await flushPromises();

            expect(ignoreError).toHaveBeenCalledWith({ errorId: 'a03000000000001AAA' });
            expect(toasts[0]).toMatchObject({ title: 'Error ignored', variant: 'success' });
        });

        it.each([
            ['retry', 'Could not retry'],
            ['ignore', 'Could not ignore']
        ])('says why %s failed', async (action, title) => {
            retryError.mockRejectedValue({ body: { message: 'Insufficient privileges' } });
            ignoreError.mockRejectedValue({ body: { message: 'Insufficient privileges' } });
            const { element, toasts } = await mount();
            rowAction(element, action);
            await flushPromises();
            expect(toasts).toEqual([{ title, message: 'Insufficient privileges', variant: 'error' }]);
        });
    });

    describe('stays live', () => {
        it("reloads on the sync's status events and unsubscribes when removed", async () => {
            const { element } = await mount();
            expect(subscribe).toHaveBeenCalledWith('/event/Switchboard_Status__e', -1, expect.any(Function));
            const onMessage = subscribe.mock.calls[0][2];

            onMessage(statusMessage('a01000000000009AAA'));
            await flushPromises();
            expect(getDashboard).toHaveBeenCalledTimes(1);

            onMessage(statusMessage(SYNC_ID.substring(0, 15)));
            await flushPromises();
            expect(getDashboard).toHaveBeenCalledTimes(2);

            onMessage({});
            await flushPromises();
            expect(getDashboard).toHaveBeenCalledTimes(2);

            // Installed under a namespace, the payload's fields carry its prefix.
            onMessage({ data: { payload: { sbx__Sync_Id__c: SYNC_ID, sbx__Status__c: 'Paused' } } });
            await flushPromises();
            expect(getDashboard).toHaveBeenCalledTimes(3);

            document.body.removeChild(element);
            expect(unsubscribe).toHaveBeenCalledWith({ id: 'subscription' }, expect.any(Function));
        });

        it('keeps only the latest answer when reloads overtake each other', async () => {
            const { element } = await mount();
            const onMessage = subscribe.mock.calls[0][2];
            let answerFirst;
            getDashboard.mockReturnValueOnce(new Promise((resolve) => (answerFirst = resolve)));
            getDashboard.mockResolvedValueOnce({ ...ACTIVE, syncedCount: 3 });

            onMessage(statusMessage(SYNC_ID));
            onMessage(statusMessage(SYNC_ID));
            await flushPromises();
            answerFirst({ ...ACTIVE, syncedCount: 1 });
            await flushPromises();

            expect($(element, '.counter-synced lightning-formatted-number').value).toBe(3);
        });

        it('drops a subscription that arrives after the dashboard was removed', async () => {
            let subscribed;
            subscribe.mockReturnValue(new Promise((resolve) => (subscribed = resolve)));
            const { element } = await mount();
            document.body.removeChild(element);
            subscribed({ id: 'late' });
            await flushPromises();
            expect(unsubscribe).toHaveBeenCalledWith({ id: 'late' }, expect.any(Function));
        });

        it.each([
            ['the streaming API is off', () => isEmpEnabled.mockResolvedValue(false)],
            ['subscribing fails', () => subscribe.mockRejectedValue(new Error('handshake denied'))]
        ])('polls every 15 s when %s, until removed', async (_case, arrange) => {
            jest.useFakeTimers({ doNotFake: ['nextTick'] });
            arrange();
            const { element } = await mount();
            await flushPromises();
            expect(getDashboard).toHaveBeenCalledTimes(1);

            jest.advanceTimersByTime(15000);
            expect(getDashboard).toHaveBeenCalledTimes(2);
            jest.advanceTimersByTime(15000);
            expect(getDashboard).toHaveBeenCalledTimes(3);

            document.body.removeChild(element);
            jest.advanceTimersByTime(60000);
            expect(getDashboard).toHaveBeenCalledTimes(3);
        });

        it('falls back to polling when the streaming connection reports an error', async () => {
            jest.useFakeTimers({ doNotFake: ['nextTick'] });
            await mount();
            await flushPromises();
            const streamingError = onError.mock.calls[0][0];

            streamingError({ error: 'connection lost' });
            streamingError({ error: 'connection lost again' });
            jest.advanceTimersByTime(15000);

            expect(getDashboard).toHaveBeenCalledTimes(2);
        });
    });

    describe('finds its sync', () => {
        it('from the page address, with a picker for the others', async () => {
            const { element } = await mount({});
            expect(getDashboard).not.toHaveBeenCalled();

            CurrentPageReference.emit({ type: 'standard__navItemPage', state: { c__syncId: SYNC_ID } });
            await flushPromises();
            expect(getDashboard).toHaveBeenCalledWith({ syncId: SYNC_ID });
            expect($(element, 'c-switchboard-sync-picker').value).toBe(SYNC_ID);

            CurrentPageReference.emit({ type: 'standard__navItemPage', state: { c__syncId: SYNC_ID } });
            await flushPromises();
            expect(getDashboard).toHaveBeenCalledTimes(1);
        });

        it('from the picker when the page names none', async () => {
            getDashboard.mockResolvedValue(INITIAL_SYNC);
            const { element } = await mount({});
            CurrentPageReference.emit({ type: 'standard__navItemPage', state: {} });
            listSyncs.emit([
                { syncId: INITIAL_SYNC.syncId, name: 'Field sales', status: 'InitialSync' },
                { syncId: SYNC_ID, name: 'Head office', status: 'Active' }
            ]);
            await flushPromises();

            expect(getDashboard).toHaveBeenCalledWith({ syncId: INITIAL_SYNC.syncId });
            expect($(element, 'lightning-card').title).toBe('Sync: Field sales');
            await expect(element).toBeAccessible();
        });

        it('from the record page it sits on, without a picker', async () => {
            const { element } = await mount({ recordId: SYNC_ID });
            expect(getDashboard).toHaveBeenCalledWith({ syncId: SYNC_ID });
            expect($(element, 'c-switchboard-sync-picker')).toBeNull();
        });
    });

    it('opens the setup wizard and the mapping studio for this sync', async () => {
        const { element } = await mount();
        const button = (label) =>
            [...element.shadowRoot.querySelectorAll('lightning-button')].find((candidate) => candidate.label === label);

        button('Edit settings').click();
        button('Edit mappings').click();
        button('New sync').click();

        expect(navigations()).toEqual([
            {
                type: 'standard__navItemPage',
                attributes: { apiName: 'Switchboard_Setup' },
                state: { c__syncId: SYNC_ID }
            },
            {
                type: 'standard__navItemPage',
                attributes: { apiName: 'Switchboard_Mappings' },
                state: { c__syncId: SYNC_ID }
            },
            { type: 'standard__navItemPage', attributes: { apiName: 'Switchboard_Setup' } }
        ]);
    });
});
