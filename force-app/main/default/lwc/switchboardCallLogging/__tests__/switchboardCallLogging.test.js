import { createElement } from 'lwc';
import SwitchboardCallLogging from 'c/switchboardCallLogging';

const DRAFT = {
    syncContacts: true,
    syncLeads: false,
    logInboundCalls: true,
    logOutboundCalls: true,
    logMissedCalls: true,
    minimumCallSeconds: 0,
    unknownCallers: 'None'
};

const flushPromises = () => new Promise((resolve) => process.nextTick(resolve));

function mount(draft = DRAFT) {
    const element = createElement('c-switchboard-call-logging', { is: SwitchboardCallLogging });
    element.draft = draft;
    const changes = [];
    element.addEventListener('draftchange', (event) => changes.push(event.detail));
    document.body.appendChild(element);
    return { element, changes };
}

const $ = (element, selector) => element.shadowRoot.querySelector(selector);

describe('c-switchboard-call-logging', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('shows every setting of the draft with a label', () => {
        const { element } = mount();
        const toggles = [...element.shadowRoot.querySelectorAll('lightning-input.call-toggle')];
        expect(toggles.map((t) => [t.dataset.field, t.label, t.checked])).toEqual([
            ['logInboundCalls', 'Log inbound calls', true],
            ['logOutboundCalls', 'Log outbound calls', true],
            ['logMissedCalls', 'Log missed, busy and voicemail calls', true]
        ]);
        expect($(element, '[data-field="minimumCallSeconds"]').value).toBe(0);
        const unknown = $(element, 'lightning-radio-group');
        expect(unknown.label).toBe('A call from a number no synced record has');
        expect(unknown.value).toBe('None');
        expect(unknown.options.map((o) => o.value)).toEqual(['None', 'Lead', 'Contact']);
        expect($(element, '.logging-off')).toBeNull();
        expect($(element, '.task-permission').textContent).toContain('Edit Tasks');
    });

    it('tells the wizard each edit instead of changing the draft', async () => {
        const { element, changes } = mount();
        const missed = $(element, '[data-field="logMissedCalls"]');
        missed.checked = false;
        missed.dispatchEvent(new CustomEvent('change'));
        const minimum = $(element, '[data-field="minimumCallSeconds"]');
        minimum.dispatchEvent(new CustomEvent('change', { detail: { value: '15' } }));
        minimum.dispatchEvent(new CustomEvent('change', { detail: { value: '' } }));
        $(element, 'lightning-radio-group').dispatchEvent(new CustomEvent('change', { detail: { value: 'Contact' } }));
        await flushPromises();
        expect(changes).toEqual([
            { field: 'logMissedCalls', value: false },
            { field: 'minimumCallSeconds', value: 15 },
            { field: 'minimumCallSeconds', value: null },
            { field: 'unknownCallers', value: 'Contact' }
        ]);
        expect(element.draft.logMissedCalls).toBe(true);
    });

    it('says when nothing is logged, and when unknown callers would become an object the sync does not sync', async () => {
        const { element } = mount({
            ...DRAFT,
            logInboundCalls: false,
            logOutboundCalls: false,
            unknownCallers: 'Lead'
        });
        await flushPromises();
        expect($(element, '.logging-off').textContent).toContain('No calls are logged');
        expect($(element, '.unknown-help').textContent).toBe(
            'Leads are not synced: choose them on the Objects step, or another option.'
        );
        element.draft = { ...DRAFT, unknownCallers: 'Contact' };
        await flushPromises();
        expect($(element, '.unknown-help').textContent).toContain('One record per number');
    });
});
