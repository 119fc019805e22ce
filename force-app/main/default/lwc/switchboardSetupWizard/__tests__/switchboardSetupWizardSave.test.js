import {
    getSync,
    countScope,
    saveSync,
    refreshApex,
    NEW_DRAFT,
    EXISTING_DRAFT,
    NEW_SYNC_ID,
    flushPromises,
    mount,
    $,
    $$,
    field,
    heading,
    problems,
    change,
    toggle,
    next,
    forward,
    expectLabelledControls,
    resetBetweenTests
} from './wizardTestHarness';
import { navigations } from 'lightning/navigation';

// Saving: a new sync set up step by step, an edited sync, and a save that fails.
describe('c-switchboard-setup-wizard', () => {
    resetBetweenTests();

    it('sets up a new sync step by step and saves it, starting the initial sync', async () => {
        countScope.mockImplementation(({ objectName }) => Promise.resolve(objectName === 'Contact' ? 1200 : 340));
        saveSync.mockResolvedValue(NEW_SYNC_ID);
        const { element, toasts, saved } = await mount();

        await next(element);
        expect(heading(element)).toBe('Step 2 of 9: Direction');
        expect($(element, 'lightning-progress-indicator').currentStep).toBe('direction');
        expect($(element, 'lightning-button.next').disabled).toBe(true);
        expect(problems(element)).toEqual(['Give the sync a name.']);
        expectLabelledControls(element);
        await change(field(element, 'name'), 'Head office');
        await change(field(element, 'direction'), 'ToTelephony');
        expect(problems(element)).toEqual([]);

        await next(element);
        expect(heading(element)).toBe('Step 3 of 9: Conflict winner');
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
        expect(heading(element)).toBe('Step 6 of 9: Scope');
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
        expect(heading(element)).toBe('Step 8 of 9: Call logging');
        const calls = $(element, 'c-switchboard-call-logging');
        const callField = (name) => calls.shadowRoot.querySelector(`[data-field="${name}"]`);
        await toggle(callField('logInboundCalls'), false);
        await toggle(callField('logMissedCalls'), false);
        await change(callField('minimumCallSeconds'), '2.5');
        expect(problems(element)).toEqual(['Enter the shortest call logged as whole seconds from 0 to 3600.']);
        await change(callField('minimumCallSeconds'), '10');
        await change(callField('unknownCallers'), 'Lead');
        expect(problems(element)).toEqual([]);

        await next(element);
        expect(heading(element)).toBe('Step 9 of 9: Review');
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
            'Mass delete threshold': '15 %',
            'Calls logged as Tasks': 'Outbound calls, answered only',
            'Shortest answered call logged': '10 s',
            'Unknown callers': 'Create a Lead with the number'
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
            massDeleteThreshold: 15,
            logInboundCalls: false,
            logMissedCalls: false,
            minimumCallSeconds: 10,
            unknownCallers: 'Lead'
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

    it('saves an edited sync without starting it, and refreshes the cached draft', async () => {
        saveSync.mockResolvedValue(EXISTING_DRAFT.syncId);
        const { element, toasts, saved } = await mount(EXISTING_DRAFT, { syncId: EXISTING_DRAFT.syncId });
        await forward(element, 8);
        const review = $$(element, '.review dd').map((value) => value.textContent);
        expect(review).toEqual(
            expect.arrayContaining([
                'Salesforce → telephony',
                'Contacts, Leads, Person Accounts',
                'a valid phone number, a first name',
                "MailingCountry = 'US' (0 Contacts in scope)",
                'All Leads (0 Leads in scope)',
                'Custom: 30 2 * * 1-5',
                'No',
                'Inbound calls, missed ones included',
                '5 s',
                'Create a Lead with the number'
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
        await forward(element, 8);

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
