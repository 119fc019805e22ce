import { createElement } from 'lwc';
import SwitchboardSetupWizard from 'c/switchboardSetupWizard';
import getSync from '@salesforce/apex/SwitchboardSetupController.getSync';
import countScope from '@salesforce/apex/SwitchboardSetupController.countScope';
import saveSync from '@salesforce/apex/SwitchboardSetupController.saveSync';
import getConnectionStatus from '@salesforce/apex/SwitchboardSetupController.getConnectionStatus';
import runSystemsCheck from '@salesforce/apex/SwitchboardSetupController.runSystemsCheck';
import { refreshApex } from '@salesforce/apex';
import { CurrentPageReference, navigations, resetNavigations } from 'lightning/navigation';

const NEW_DRAFT = require('./data/newDraft.json');
const EXISTING_DRAFT = require('./data/existingDraft.json');
const CONNECTION = require('./data/connectionStatus.json');

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

const NEW_SYNC_ID = 'a01000000000005AAA';
const flushPromises = () => new Promise((resolve) => process.nextTick(resolve));

async function mount(draft = NEW_DRAFT, props = {}) {
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

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const field = (element, name) => $(element, `[data-field="${name}"]`);
const heading = (element) => $(element, '.step-heading').textContent;
const problems = (element) => $$(element, '.problems li').map((item) => item.textContent);

async function change(target, value) {
    target.dispatchEvent(new CustomEvent('change', { detail: { value } }));
    await flushPromises();
}

async function toggle(target, checked) {
    target.checked = checked;
    target.dispatchEvent(new CustomEvent('change', { detail: { checked } }));
    await flushPromises();
}

async function next(element) {
    expect($(element, 'lightning-button.next').disabled).toBe(false);
    $(element, 'lightning-button.next').click();
    await flushPromises();
}

/** Runs the scope counts started on the way (fake timers) and lets their answers render. */
async function settle() {
    jest.runOnlyPendingTimers();
    await flushPromises();
}

async function forward(element, steps) {
    for (let step = 0; step < steps; step++) {
        await next(element);
        await settle();
    }
}

/** Every labelled control of the current step has a label (the stubs render none for axe to see). */
function expectLabelledControls(element) {
    const controls = $$(
        element,
        'lightning-input, lightning-combobox, lightning-radio-group, lightning-checkbox-group, lightning-textarea'
    );
    expect(controls.length).toBeGreaterThan(0);
    controls.forEach((control) => expect(control.label).toEqual(expect.stringMatching(/\w/)));
}

describe('c-switchboard-setup-wizard', () => {
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

    describe('loads', () => {
        it('a new draft when no sync is given', async () => {
            const { element } = await mount(null);
            expect(getSync.getLastConfig()).toEqual({ syncId: null });
            expect($(element, 'lightning-progress-indicator')).toBeNull();

            getSync.emit(NEW_DRAFT);
            await flushPromises();

            expect($(element, 'lightning-card').title).toBe('Set up a Switchboard sync');
            const path = $(element, 'lightning-progress-indicator');
            expect(path.type).toBe('path');
            expect(path.currentStep).toBe('connection');
            expect($$(element, 'lightning-progress-step').map((step) => step.label)).toEqual([
                'Connection',
                'Direction',
                'Conflict winner',
                'Objects',
                'Validity and matching',
                'Scope',
                'Schedule and deletes',
                'Review'
            ]);
            expect(heading(element)).toBe('Step 1 of 8: Connection');
        });

        it('the sync given to the component', async () => {
            const { element } = await mount(EXISTING_DRAFT, { syncId: EXISTING_DRAFT.syncId });
            expect(getSync.getLastConfig()).toEqual({ syncId: EXISTING_DRAFT.syncId });
            expect($(element, 'lightning-card').title).toBe('Edit sync: Head office');
            expect(getConnectionStatus).toHaveBeenCalledWith({ syncId: EXISTING_DRAFT.syncId });
            expect($(element, '.sync-status').textContent).toBe('Sync status: Not started');
        });

        it('the sync named in the page address', async () => {
            await mount(null);
            CurrentPageReference.emit({ type: 'standard__navItemPage', state: { c__syncId: EXISTING_DRAFT.syncId } });
            await flushPromises();
            expect(getSync.getLastConfig()).toEqual({ syncId: EXISTING_DRAFT.syncId });
        });

        it('and says why the sync could not be loaded', async () => {
            const { element } = await mount(null);
            getSync.error({ message: 'Insufficient access rights on object id' });
            await flushPromises();
            expect($(element, '.load-error').textContent).toContain('Insufficient access rights on object id');
        });
    });

    describe('connection step', () => {
        it('shows the heartbeat and the last systems check', async () => {
            const { element } = await mount();
            expect(getConnectionStatus).toHaveBeenCalledWith({ syncId: null });
            expect($(element, '.heartbeat lightning-relative-date-time').value).toBe(Date.parse(CONNECTION.heartbeat));
            expect($(element, '.heartbeat lightning-formatted-date-time').value).toBe(CONNECTION.heartbeat);
            expect($(element, '.connected').textContent).toBe('The service is connected.');
            expect($(element, '.last-check').textContent).toContain('All checks passed');
            expect($(element, '.sync-status')).toBeNull();
            expect($(element, 'lightning-button.back').disabled).toBe(true);
            jest.useRealTimers();
            await expect(element).toBeAccessible();
        });

        it('warns when the service is silent, without blocking the setup', async () => {
            getConnectionStatus.mockResolvedValue({ ...CONNECTION, heartbeat: null, heartbeatStale: true });
            const { element } = await mount();
            expect($(element, '.heartbeat').textContent).toContain('never');
            expect($(element, '.stale').textContent).toContain('has not reported in the last 5 minutes');
            expect($(element, 'lightning-button.next').disabled).toBe(false);
        });

        it('runs a systems check and refreshes the status on request', async () => {
            runSystemsCheck.mockResolvedValue('req-9');
            const { element, toasts } = await mount();

            $(element, 'lightning-button.run-check').click();
            await flushPromises();
            expect(runSystemsCheck).toHaveBeenCalledWith({ syncId: null });
            expect($(element, '.systems-check').textContent).toContain('Systems check requested (request req-9)');
            expect(toasts).toEqual([
                { title: 'Systems check requested', message: 'Request req-9', variant: 'success' }
            ]);

            getConnectionStatus.mockResolvedValue({ ...CONNECTION, lastSystemsCheck: 'Pub/Sub API: OK' });
            $(element, 'lightning-button.refresh-connection').click();
            await flushPromises();
            expect(getConnectionStatus).toHaveBeenCalledTimes(2);
            expect($(element, '.last-check').textContent).toBe('Last systems check: Pub/Sub API: OK');
        });

        it('says why the status or the systems check failed', async () => {
            getConnectionStatus.mockRejectedValue({ body: { message: 'Sync not found' } });
            runSystemsCheck.mockRejectedValue({ body: { message: 'Event publishing failed' } });
            const { element, toasts } = await mount();
            expect($(element, '.connection-error').textContent).toContain('Sync not found');

            $(element, 'lightning-button.run-check').click();
            await flushPromises();
            expect(toasts).toEqual([
                { title: 'Could not request a systems check', message: 'Event publishing failed', variant: 'error' }
            ]);
        });
    });

    it('sets up a new sync step by step and saves it, starting the initial sync', async () => {
        countScope.mockImplementation(({ objectName }) => Promise.resolve(objectName === 'Contact' ? 1200 : 340));
        saveSync.mockResolvedValue(NEW_SYNC_ID);
        const { element, toasts, saved } = await mount();

        await next(element);
        expect(heading(element)).toBe('Step 2 of 8: Direction');
        expect($(element, 'lightning-progress-indicator').currentStep).toBe('direction');
        expect($(element, 'lightning-button.next').disabled).toBe(true);
        expect(problems(element)).toEqual(['Give the sync a name.']);
        expectLabelledControls(element);
        await change(field(element, 'name'), 'Head office');
        await change(field(element, 'direction'), 'ToTelephony');
        expect(problems(element)).toEqual([]);

        await next(element);
        expect(heading(element)).toBe('Step 3 of 8: Conflict winner');
        expect($(element, '.one-way')).not.toBeNull();
        $(element, 'lightning-button.back').click();
        await flushPromises();
        await change(field(element, 'direction'), 'Both');
        await next(element);
        expect($(element, '.one-way')).toBeNull();
        await change(field(element, 'conflictWinner'), 'Telephony');

        await next(element);
        expectLabelledControls(element);
        const objects = $(element, 'lightning-checkbox-group');
        expect(objects.options).toEqual([
            { label: 'Contacts', value: 'Contact' },
            { label: 'Leads', value: 'Lead' }
        ]);
        expect($(element, '.no-person-accounts')).not.toBeNull();
        expect(objects.value).toEqual(['Contact']);
        await change(objects, []);
        expect(problems(element)).toEqual(['Choose at least one object to sync.']);
        await change(objects, ['Contact', 'Lead']);
        await change(field(element, 'defaultObject'), 'Lead');

        await next(element);
        expectLabelledControls(element);
        await toggle(field(element, 'requireFirstName'), true);
        await toggle(field(element, 'requireValidPhone'), false);
        await change(field(element, 'matchKeys'), 'Phone');

        await next(element);
        expect(heading(element)).toBe('Step 6 of 8: Scope');
        expectLabelledControls(element);
        expect($$(element, 'lightning-textarea').map((area) => area.label)).toEqual([
            'Contacts scope (SOQL condition without WHERE; blank for all)',
            'Leads scope (SOQL condition without WHERE; blank for all)'
        ]);
        expect($(element, 'lightning-button.next').disabled).toBe(true);
        jest.advanceTimersByTime(0);
        await flushPromises();
        expect(countScope).toHaveBeenCalledWith({ objectName: 'Contact', condition: '' });
        expect(countScope).toHaveBeenCalledWith({ objectName: 'Lead', condition: '' });
        expect($$(element, '.scope-count').map((count) => count.textContent)).toEqual([
            '1,200 Contacts in scope',
            '340 Leads in scope'
        ]);
        await change($(element, 'lightning-textarea[data-object="Lead"]'), "Status = 'Open'");
        jest.advanceTimersByTime(500);
        await flushPromises();

        await next(element);
        expectLabelledControls(element);
        await change(field(element, 'frequency'), 'Daily');
        await change(field(element, 'defaultCountry'), 'gb');
        expect(field(element, 'defaultCountry').value).toBe('GB');
        await toggle(field(element, 'propagateDeletesToSalesforce'), true);
        await change(field(element, 'massDeleteThreshold'), '15');

        await next(element);
        expect(heading(element)).toBe('Step 8 of 8: Review');
        const review = Object.fromEntries(
            $$(element, '.review dt').map((term, index) => [
                term.textContent,
                $$(element, '.review dd')[index].textContent
            ])
        );
        expect(review).toEqual({
            Name: 'Head office',
            Direction: 'Both directions',
            'Conflict winner': 'Telephony wins',
            Objects: 'Contacts, Leads',
            'Contacts added on the telephony side become': 'Lead',
            'Records must have': 'a first name, a last name',
            'Match on': 'Phone numbers',
            'Contacts scope': 'All Contacts (1,200 Contacts in scope)',
            'Leads scope': "Status = 'Open' (340 Leads in scope)",
            'Scheduled sync': 'Daily',
            'Default phone country': 'GB',
            'Salesforce deletions remove directory entries': 'Yes',
            'Directory deletions delete Salesforce records': 'Yes',
            'Mass delete threshold': '15 %'
        });
        expect(saveSync).not.toHaveBeenCalled();
        jest.useRealTimers();
        await expect(element).toBeAccessible();

        $(element, 'lightning-button.save-and-start').click();
        await flushPromises();

        expect(saveSync).toHaveBeenCalledTimes(1);
        const { draftJson, startInitialSync } = saveSync.mock.calls[0][0];
        expect(startInitialSync).toBe(true);
        expect(JSON.parse(draftJson)).toEqual({
            ...NEW_DRAFT,
            name: 'Head office',
            direction: 'Both',
            conflictWinner: 'Telephony',
            syncLeads: true,
            defaultObject: 'Lead',
            requireFirstName: true,
            requireValidPhone: false,
            matchKeys: 'Phone',
            leadScope: "Status = 'Open'",
            frequency: 'Daily',
            defaultCountry: 'GB',
            propagateDeletesToSalesforce: true,
            massDeleteThreshold: 15
        });
        expect(toasts).toEqual([
            {
                title: 'Sync saved',
                message: 'Head office is saved and its initial sync was requested.',
                variant: 'success'
            }
        ]);
        expect(saved).toHaveBeenCalledWith({ syncId: NEW_SYNC_ID });
        // A new sync's cached draft stays the blank one for the next new sync.
        expect(refreshApex).not.toHaveBeenCalled();
        expect($(element, '.saved').textContent).toContain('Head office is saved.');
        await expect(element).toBeAccessible();

        $(element, 'lightning-button.open-dashboard').click();
        $(element, 'lightning-button.open-mappings').click();
        expect(navigations()).toEqual([
            {
                type: 'standard__navItemPage',
                attributes: { apiName: 'Switchboard_Home' },
                state: { c__syncId: NEW_SYNC_ID }
            },
            {
                type: 'standard__navItemPage',
                attributes: { apiName: 'Switchboard_Mappings' },
                state: { c__syncId: NEW_SYNC_ID }
            }
        ]);
    });

    describe('scope step', () => {
        async function openScope(draft = EXISTING_DRAFT) {
            const mounted = await mount(draft, { syncId: draft.syncId });
            await forward(mounted.element, 5);
            return mounted;
        }

        it('counts every enabled object, Person Accounts included, with their conditions', async () => {
            const { element } = await openScope();
            expect(countScope.mock.calls.map(([args]) => args)).toEqual([
                { objectName: 'Contact', condition: "MailingCountry = 'US'" },
                { objectName: 'Lead', condition: '' },
                { objectName: 'PersonAccount', condition: "PersonMailingCountry = 'US'" }
            ]);
            expect($$(element, '.scope-count').map((count) => count.textContent)).toEqual([
                '0 Contacts in scope',
                '0 Leads in scope',
                '0 Person Accounts in scope'
            ]);
        });

        it('counts a condition 500 ms after the last keystroke, keeping Next disabled meanwhile', async () => {
            const { element } = await openScope();
            countScope.mockClear();
            const contactScope = $(element, 'lightning-textarea[data-object="Contact"]');

            await change(contactScope, 'MailingCountry');
            jest.advanceTimersByTime(300);
            await change(contactScope, "MailingCountry = 'DE'");
            expect($(element, '.scope-count').textContent).toBe('Counting…');
            expect($(element, 'lightning-button.next').disabled).toBe(true);
            expect(problems(element)).toEqual(['Counting the Contacts in scope…']);
            jest.advanceTimersByTime(499);
            expect(countScope).not.toHaveBeenCalled();

            countScope.mockResolvedValue(87);
            jest.advanceTimersByTime(1);
            await flushPromises();
            expect(countScope).toHaveBeenCalledTimes(1);
            expect(countScope).toHaveBeenCalledWith({ objectName: 'Contact', condition: "MailingCountry = 'DE'" });
            expect($(element, '.scope-count').textContent).toBe('87 Contacts in scope');
            expect($(element, 'lightning-button.next').disabled).toBe(false);
        });

        it('shows an invalid condition inline and blocks Next until it is fixed', async () => {
            const { element } = await openScope();
            countScope.mockRejectedValueOnce({ body: { message: "unexpected token: 'Open'" } });

            await change($(element, 'lightning-textarea[data-object="Lead"]'), 'Status Open');
            jest.advanceTimersByTime(500);
            await flushPromises();

            expect($(element, '.scope-error').textContent).toBe("unexpected token: 'Open'");
            expect(problems(element)).toEqual(["Leads scope: unexpected token: 'Open'"]);
            expect($(element, 'lightning-button.next').disabled).toBe(true);
            jest.useRealTimers();
            await expect(element).toBeAccessible();
        });

        it('drops a count answered after the condition changed again', async () => {
            const { element } = await openScope();
            let answer;
            countScope.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
            const leadScope = $(element, 'lightning-textarea[data-object="Lead"]');

            await change(leadScope, 'IsConverted = false');
            jest.advanceTimersByTime(500);
            await change(leadScope, 'IsConverted = true');
            answer(5);
            await flushPromises();

            expect($$(element, '.scope-count')[1].textContent).toBe('Counting…');
        });

        it('stops pending counts when the wizard is closed', async () => {
            const { element } = await openScope();
            countScope.mockClear();
            await change($(element, 'lightning-textarea[data-object="Lead"]'), 'IsConverted = false');
            document.body.removeChild(element);
            jest.advanceTimersByTime(1000);
            expect(countScope).not.toHaveBeenCalled();
        });
    });

    it('validates the schedule step as the object does', async () => {
        const { element } = await mount(EXISTING_DRAFT, { syncId: EXISTING_DRAFT.syncId });
        await forward(element, 6);
        expect(heading(element)).toBe('Step 7 of 8: Schedule and deletes');
        expectLabelledControls(element);
        expect(field(element, 'customSchedule').value).toBe('30 2 * * 1-5');

        await change(field(element, 'customSchedule'), '30 2 * *');
        await change(field(element, 'defaultCountry'), 'U');
        await change(field(element, 'massDeleteThreshold'), '');
        expect(problems(element)).toEqual([
            'Enter a custom schedule with five fields, for example 30 2 * * 1-5.',
            'Enter the default country as two capital letters, for example US.',
            'Enter a mass delete threshold between 1 and 100 percent.'
        ]);
        expect($(element, 'lightning-button.next').disabled).toBe(true);

        await change(field(element, 'massDeleteThreshold'), '101');
        await change(field(element, 'frequency'), 'Hourly');
        await change(field(element, 'defaultCountry'), null);
        expect(field(element, 'customSchedule')).toBeNull();
        expect(problems(element)).toEqual([
            'Enter the default country as two capital letters, for example US.',
            'Enter a mass delete threshold between 1 and 100 percent.'
        ]);

        await change(field(element, 'defaultCountry'), 'de');
        await change(field(element, 'massDeleteThreshold'), '100');
        expect(problems(element)).toEqual([]);
    });

    it('checks the other steps too', async () => {
        const { element } = await mount({
            ...NEW_DRAFT,
            name: 'x'.repeat(81),
            direction: null,
            conflictWinner: null,
            defaultObject: null,
            matchKeys: null,
            frequency: null
        });
        await next(element);
        expect(problems(element)).toEqual(['The name can have at most 80 characters.', 'Choose a direction.']);
        await change(field(element, 'name'), 'Call centre');
        await change(field(element, 'direction'), 'ToSalesforce');
        await next(element);
        expect(problems(element)).toEqual(['Choose which side wins a conflict.']);
        await change(field(element, 'conflictWinner'), 'Salesforce');
        await next(element);
        expect(problems(element)).toEqual(['Choose the object for contacts added on the telephony side.']);
        await change(field(element, 'defaultObject'), 'Contact');
        await next(element);
        expect(problems(element)).toEqual(['Choose how records are matched.']);

        $(element, 'lightning-button.back').click();
        await flushPromises();
        expect(heading(element)).toBe('Step 4 of 8: Objects');
    });

    it('saves an edited sync without starting it, and refreshes the cached draft', async () => {
        saveSync.mockResolvedValue(EXISTING_DRAFT.syncId);
        const { element, toasts, saved } = await mount(EXISTING_DRAFT, { syncId: EXISTING_DRAFT.syncId });
        await forward(element, 7);
        const review = $$(element, '.review dd').map((value) => value.textContent);
        expect(review).toEqual(
            expect.arrayContaining([
                'Salesforce → telephony',
                'Contacts, Leads, Person Accounts',
                'a valid phone number, a first name',
                "MailingCountry = 'US' (0 Contacts in scope)",
                'All Leads (0 Leads in scope)',
                'Custom: 30 2 * * 1-5',
                'No'
            ])
        );
        // A paused sync cannot start its initial sync.
        expect($(element, 'lightning-button.save-and-start')).toBeNull();

        $(element, 'lightning-button.save').click();
        await flushPromises();

        expect(saveSync).toHaveBeenCalledWith({ draftJson: JSON.stringify(EXISTING_DRAFT), startInitialSync: false });
        expect(toasts).toEqual([{ title: 'Sync saved', message: 'Head office is saved.', variant: 'success' }]);
        expect(saved).toHaveBeenCalledWith({ syncId: EXISTING_DRAFT.syncId });
        expect(refreshApex).toHaveBeenCalledTimes(1);

        // The refreshed draft does not reopen the wizard.
        getSync.emit({ ...EXISTING_DRAFT, name: 'Renamed elsewhere' });
        await flushPromises();
        expect($(element, '.saved').textContent).toContain('Head office is saved.');
    });

    it('says why saving failed and lets the admin try again', async () => {
        saveSync.mockRejectedValueOnce({
            body: { message: 'Contact scope: unexpected token: WHERE', fieldErrors: {}, pageErrors: [] }
        });
        const { element, toasts } = await mount(
            { ...EXISTING_DRAFT, status: 'Active' },
            { syncId: EXISTING_DRAFT.syncId }
        );
        await forward(element, 7);

        $(element, 'lightning-button.save-and-start').click();
        await flushPromises();

        expect($(element, '.save-error').textContent).toBe(
            'Could not save the sync: Contact scope: unexpected token: WHERE'
        );
        expect(toasts).toEqual([
            { title: 'Could not save the sync', message: 'Contact scope: unexpected token: WHERE', variant: 'error' }
        ]);
        expect($(element, 'lightning-button.save-and-start').disabled).toBe(false);
        expect($(element, '.saved')).toBeNull();
    });
});
