import {
    DIRECTION_OPTIONS,
    errorMessage,
    optionLabel,
    statusBadgeClass,
    statusLabel,
    syncIdFromPage,
    tabPage,
    timestampOf,
    toast
} from 'c/switchboardUtils';

describe('c/switchboardUtils', () => {
    describe('errorMessage', () => {
        it.each([
            [
                'an AuraHandledException',
                { body: { message: 'Type the sync name to confirm' } },
                'Type the sync name to confirm'
            ],
            [
                'DML field and page errors',
                {
                    body: {
                        message: 'Insert failed',
                        fieldErrors: { Name: [{ message: 'Sync Name is required' }] },
                        pageErrors: [{ message: 'At least one object must be synced' }]
                    }
                },
                'Sync Name is required At least one object must be synced'
            ],
            ['a list in the body', { body: [{ message: 'first' }, { message: 'second' }] }, 'first second'],
            ['a JavaScript error', new TypeError('x is undefined'), 'x is undefined'],
            ['a string', 'plain words', 'plain words'],
            ['a list with duplicates', ['same', { message: 'same' }], 'same'],
            ['nothing', undefined, 'Unknown error'],
            ['an empty body', { body: {} }, 'Unknown error']
        ])('reads %s', (_case, error, expected) => {
            expect(errorMessage(error)).toBe(expected);
        });
    });

    it('labels sync statuses, falling back to the value', () => {
        expect(statusLabel('NotStarted')).toBe('Not started');
        expect(statusLabel('Migrating')).toBe('Migrating');
        expect(statusLabel(undefined)).toBe('Unknown');
    });

    it('colours statuses with SLDS themes, grey by default', () => {
        expect(statusBadgeClass('InitialSync')).toBe('switchboard-status slds-theme_warning');
        expect(statusBadgeClass('Active')).toBe('switchboard-status slds-theme_success');
        expect(statusBadgeClass('Error')).toBe('switchboard-status slds-theme_error');
        expect(statusBadgeClass('Paused')).toBe('switchboard-status');
    });

    it('labels option values, falling back to the value', () => {
        expect(optionLabel(DIRECTION_OPTIONS, 'ToTelephony')).toBe('Salesforce → telephony');
        expect(optionLabel(DIRECTION_OPTIONS, 'Sideways')).toBe('Sideways');
    });

    it('builds toast events', () => {
        const event = toast('Saved', 'All good');
        expect(event.type).toBe('lightning__showtoast');
        expect(event.detail).toEqual({ title: 'Saved', message: 'All good', variant: 'success' });
        expect(toast('Oops', 'Bad', 'error').detail.variant).toBe('error');
    });

    it('builds tab page references and reads the sync id of a page', () => {
        expect(tabPage('Switchboard_Home')).toEqual({
            type: 'standard__navItemPage',
            attributes: { apiName: 'Switchboard_Home' }
        });
        const page = tabPage('Switchboard_Setup', { c__syncId: 'a01000000000001AAA' });
        expect(syncIdFromPage(page)).toBe('a01000000000001AAA');
        expect(syncIdFromPage({ state: {} })).toBeUndefined();
        expect(syncIdFromPage(undefined)).toBeUndefined();
    });
});

describe('timestampOf', () => {
    it('turns Apex ISO date-times into the timestamps lightning-relative-date-time accepts', () => {
        expect(timestampOf('2025-11-21T10:15:00.000Z')).toBe(Date.UTC(2025, 10, 21, 10, 15));
        expect(timestampOf(1763720100000)).toBe(1763720100000);
        expect(timestampOf(null)).toBeUndefined();
        expect(timestampOf('')).toBeUndefined();
        expect(timestampOf('not a date')).toBeUndefined();
    });
});
