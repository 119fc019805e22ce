import { createElement } from 'lwc';
import SwitchboardRecentCalls, { formatDuration } from 'c/switchboardRecentCalls';
import recentCalls from '@salesforce/apex/SwitchboardRecentCallsController.recentCalls';
import { refreshApex } from '@salesforce/apex';
import { navigations, resetNavigations } from 'lightning/navigation';

const CALLS = require('./data/recentCalls.json');

jest.mock(
    '@salesforce/apex/SwitchboardRecentCallsController.recentCalls',
    () => ({ default: require('@salesforce/sfdx-lwc-jest').createApexTestWireAdapter(jest.fn()) }),
    { virtual: true }
);
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const RECORD_ID = '003000000000001AAA';
const flushPromises = () => new Promise((resolve) => process.nextTick(resolve));

async function mount({ objectApiName = 'Contact', maxRows } = {}) {
    const element = createElement('c-switchboard-recent-calls', { is: SwitchboardRecentCalls });
    element.recordId = RECORD_ID;
    element.objectApiName = objectApiName;
    if (maxRows !== undefined) {
        element.maxRows = maxRows;
    }
    document.body.appendChild(element);
    await flushPromises();
    return element;
}

async function emit(value) {
    recentCalls.emit(value);
    await flushPromises();
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];
const text = (node) => node.textContent.replace(/\s+/g, ' ').trim();

describe('c-switchboard-recent-calls', () => {
    afterEach(() => {
        document.body.replaceChildren();
        jest.clearAllMocks();
        resetNavigations();
    });

    it('asks for the newest five calls of the record', async () => {
        await mount();

        expect(recentCalls.getLastConfig()).toEqual({ recordId: RECORD_ID, maxRows: 5 });
    });

    it('asks for as many calls as it is told to show', async () => {
        await mount({ maxRows: 10 });

        expect(recentCalls.getLastConfig()).toEqual({ recordId: RECORD_ID, maxRows: 10 });
    });

    it('lists each call with its direction in words, time, duration, result, owner and a link to its Task', async () => {
        const element = await mount();
        await emit(CALLS);

        expect(text($(element, 'h3'))).toBe('Recent calls');
        const rows = $$(element, 'li.call');
        expect(rows).toHaveLength(3);

        const [inbound, outbound, internal] = rows;
        expect(text(inbound.querySelector('.direction-label'))).toBe('Inbound');
        expect(inbound.querySelector('lightning-icon').iconName).toBe('utility:incoming_call');
        expect(inbound.querySelector('lightning-icon').alternativeText).toBeUndefined();
        expect(text(inbound.querySelector('.disposition'))).toBe('· Answered');
        expect(text(inbound.querySelector('.duration'))).toBe('Duration 3:07');
        expect(inbound.querySelector('.logged-at').value).toBe('2025-11-21T10:03:07.000Z');
        expect(text(inbound.querySelector('.owner'))).toBe('· Owner Grace Hopper');
        const link = inbound.querySelector('a.task-link');
        expect(text(link)).toBe('Inbound call from +49 30 1234567');
        expect(link.getAttribute('href')).toBe('/lightning/r/00T000000000002AAA/view');

        expect(text(outbound.querySelector('.direction-label'))).toBe('Outbound');
        expect(outbound.querySelector('lightning-icon').iconName).toBe('utility:outbound_call');
        expect(text(outbound.querySelector('.disposition'))).toBe('· Missed');
        expect(text(outbound.querySelector('.duration'))).toBe('Duration 0:00');

        expect(text(internal.querySelector('.direction-label'))).toBe('Internal');
        expect(internal.querySelector('lightning-icon').iconName).toBe('utility:call');
        expect(text(internal.querySelector('.duration'))).toBe('Duration 1:02:05');
        expect(internal.querySelector('.owner')).toBeNull();

        expect($(element, '.no-calls')).toBeNull();
        expect($(element, '.calls-problem')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('opens a call Task in Lightning when its link is clicked', async () => {
        const element = await mount();
        await emit(CALLS);

        $$(element, 'a.task-link')[1].click();

        expect(navigations()).toEqual([
            {
                type: 'standard__recordPage',
                attributes: { recordId: '00T000000000001AAA', objectApiName: 'Task', actionName: 'view' }
            }
        ]);
    });

    it("goes to the record's activity history from View all", async () => {
        const element = await mount({ objectApiName: 'Lead' });
        await emit(CALLS);

        const viewAll = $(element, 'a.view-all');
        expect(text(viewAll)).toBe('View all activity history of this record');
        expect(viewAll.getAttribute('href')).toBe(`/lightning/r/Lead/${RECORD_ID}/related/ActivityHistories/view`);
        viewAll.click();

        expect(navigations()).toEqual([
            {
                type: 'standard__recordRelationshipPage',
                attributes: {
                    recordId: RECORD_ID,
                    objectApiName: 'Lead',
                    relationshipApiName: 'ActivityHistories',
                    actionName: 'view'
                }
            }
        ]);
    });

    it('offers no View all without the page object', async () => {
        const element = await mount({ objectApiName: null });
        await emit(CALLS);

        expect($$(element, 'li.call')).toHaveLength(3);
        expect($(element, 'a.view-all')).toBeNull();
    });

    it('names calls without a subject or a known direction plainly, and leaves out what it does not know', async () => {
        const element = await mount();
        await emit({
            applies: true,
            hasMore: false,
            calls: [{ taskId: '00T000000000009AAA', direction: null, subject: null, durationSeconds: null }]
        });

        const [row] = $$(element, 'li.call');
        expect(text(row.querySelector('.direction-label'))).toBe('Call');
        expect(text(row.querySelector('a.task-link'))).toBe('Call without a subject');
        expect(row.querySelector('.duration')).toBeNull();
        expect(row.querySelector('.disposition')).toBeNull();
        expect(row.querySelector('.owner')).toBeNull();
    });

    it('says so when no call was logged yet', async () => {
        const element = await mount();
        await emit({ applies: true, problem: null, hasMore: false, calls: [] });

        expect(text($(element, '.no-calls'))).toBe('No calls logged yet.');
        expect($(element, 'li.call')).toBeNull();
        expect($(element, 'a.view-all')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('says in one sentence why the user cannot see the calls, without rows', async () => {
        const element = await mount();
        await emit({
            applies: true,
            problem: "You cannot see the calls logged on this record: sObject type 'Task' is not supported.",
            hasMore: false,
            calls: []
        });

        expect(text($(element, '.calls-problem'))).toBe(
            "You cannot see the calls logged on this record: sObject type 'Task' is not supported."
        );
        expect($(element, '.no-calls')).toBeNull();
        expect($(element, 'li.call')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('says why the calls could not be loaded when the controller fails', async () => {
        const element = await mount();
        recentCalls.error({ message: 'recordId: 001000000000001AAA is not a record you can see' });
        await flushPromises();

        expect(text($(element, '.calls-problem'))).toBe(
            'Could not load the recent calls: recordId: 001000000000001AAA is not a record you can see'
        );
        expect($(element, 'li.call')).toBeNull();

        await emit(CALLS);
        expect($(element, '.calls-problem')).toBeNull();
        expect($$(element, 'li.call')).toHaveLength(3);
    });

    it('shows nothing for records the service logs no calls on, and nothing before the calls arrive', async () => {
        const element = await mount({ objectApiName: 'Account' });
        expect($(element, 'section')).toBeNull();

        await emit({ applies: false, problem: null, hasMore: false, calls: [] });

        expect($(element, 'section')).toBeNull();
    });

    it('reads the calls again on refresh', async () => {
        const element = await mount();
        await emit(CALLS);

        await element.refresh();

        expect(refreshApex).toHaveBeenCalledTimes(1);
        expect(refreshApex.mock.calls[0][0].data).toEqual(CALLS);
    });
});

describe('formatDuration', () => {
    it.each([
        [0, '0:00'],
        [7, '0:07'],
        [59, '0:59'],
        [60, '1:00'],
        [187, '3:07'],
        [3599, '59:59'],
        [3600, '1:00:00'],
        [3725, '1:02:05'],
        [36000, '10:00:00'],
        [12.6, '0:13'],
        [-5, '0:00']
    ])('%s seconds is %s', (seconds, expected) => {
        expect(formatDuration(seconds)).toBe(expected);
    });

    it.each([[null], [undefined], [''], ['soon'], [Number.NaN]])('%s is no duration', (seconds) => {
        expect(formatDuration(seconds)).toBe('');
    });
});
