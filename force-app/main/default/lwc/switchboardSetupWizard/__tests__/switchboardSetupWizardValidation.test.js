import {
    NEW_DRAFT,
    EXISTING_DRAFT,
    flushPromises,
    mount,
    $,
    field,
    heading,
    problems,
    change,
    next,
    forward,
    expectLabelledControls,
    resetBetweenTests
} from './wizardTestHarness';

// What keeps the wizard on a step until it is complete.
describe('c-switchboard-setup-wizard', () => {
    resetBetweenTests();

    it('keeps unknown callers to an object the sync syncs, and the shortest call to whole seconds', async () => {
        const draft = { ...EXISTING_DRAFT, syncLeads: false, defaultObject: 'Contact' };
        const { element } = await mount(draft, { syncId: draft.syncId });
        await forward(element, 7);
        expect(heading(element)).toBe('Step 8 of 9: Call logging');
        const calls = $(element, 'c-switchboard-call-logging');
        const callField = (name) => calls.shadowRoot.querySelector(`[data-field="${name}"]`);
        expect(problems(element)).toEqual(['Unknown callers cannot become Leads: the sync does not sync them.']);

        await change(callField('minimumCallSeconds'), '3601');
        expect(problems(element)).toEqual([
            'Enter the shortest call logged as whole seconds from 0 to 3600.',
            'Unknown callers cannot become Leads: the sync does not sync them.'
        ]);
        expect($(element, 'lightning-button.next').disabled).toBe(true);

        await change(callField('minimumCallSeconds'), '0');
        await change(callField('unknownCallers'), 'Contact');
        expect(problems(element)).toEqual([]);
        expect($(element, 'lightning-button.next').disabled).toBe(false);
    });

    it('validates the schedule step as the object does', async () => {
        const { element } = await mount(EXISTING_DRAFT, { syncId: EXISTING_DRAFT.syncId });
        await forward(element, 6);
        expect(heading(element)).toBe('Step 7 of 9: Schedule and deletes');
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
        expect(heading(element)).toBe('Step 4 of 9: Objects');
    });
});
