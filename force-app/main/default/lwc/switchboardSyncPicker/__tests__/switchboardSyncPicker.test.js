import { createElement } from 'lwc';
import SwitchboardSyncPicker from 'c/switchboardSyncPicker';
import listSyncs from '@salesforce/apex/SwitchboardSetupController.listSyncs';
import { refreshApex } from '@salesforce/apex';
import { CurrentPageReference, navigations, resetNavigations } from 'lightning/navigation';

const SYNCS = require('./data/syncs.json');

jest.mock(
    '@salesforce/apex/SwitchboardSetupController.listSyncs',
    () => {
        const { createApexTestWireAdapter } = require('@salesforce/sfdx-lwc-jest');
        return { default: createApexTestWireAdapter(jest.fn()) };
    },
    { virtual: true }
);
jest.mock('@salesforce/apex', () => ({ refreshApex: jest.fn(() => Promise.resolve()) }), { virtual: true });

const flushPromises = () => new Promise((resolve) => process.nextTick(resolve));

function mount(props = {}) {
    const element = createElement('c-switchboard-sync-picker', { is: SwitchboardSyncPicker });
    Object.assign(element, props);
    const selected = jest.fn();
    element.addEventListener('select', (event) => selected(event.detail.syncId));
    document.body.appendChild(element);
    return { element, selected };
}

const combobox = (element) => element.shadowRoot.querySelector('lightning-combobox');

describe('c-switchboard-sync-picker', () => {
    afterEach(() => {
        document.body.replaceChildren();
        jest.clearAllMocks();
        resetNavigations();
    });

    it('selects the first sync when the page has none, and offers the others in a labelled combobox', async () => {
        const { element, selected } = mount();
        listSyncs.emit(SYNCS);
        await flushPromises();

        expect(selected).toHaveBeenCalledWith('a01000000000001AAA');
        const picker = combobox(element);
        expect(picker.label).toBe('Sync');
        expect(picker.value).toBe('a01000000000001AAA');
        expect(picker.options).toEqual([
            { label: 'Head office (Active)', value: 'a01000000000001AAA' },
            { label: 'Field sales (Paused)', value: 'a01000000000002AAA' }
        ]);
        await expect(element).toBeAccessible();
    });

    it('announces the sync picked in the combobox', async () => {
        const { element, selected } = mount({ value: 'a01000000000001AAA' });
        listSyncs.emit(SYNCS);
        await flushPromises();
        expect(selected).not.toHaveBeenCalled();

        combobox(element).dispatchEvent(new CustomEvent('change', { detail: { value: 'a01000000000002AAA' } }));
        await flushPromises();

        expect(selected).toHaveBeenCalledWith('a01000000000002AAA');
        expect(element.value).toBe('a01000000000002AAA');
    });

    it('selects the sync named in the page address, whenever it arrives', async () => {
        const { element, selected } = mount();
        CurrentPageReference.emit({ type: 'standard__navItemPage', state: { c__syncId: 'a01000000000002AAA' } });
        listSyncs.emit(SYNCS);
        await flushPromises();
        expect(selected.mock.calls).toEqual([['a01000000000002AAA']]);
        expect(combobox(element).value).toBe('a01000000000002AAA');

        CurrentPageReference.emit({ type: 'standard__navItemPage', state: { c__syncId: 'a01000000000002AAA' } });
        CurrentPageReference.emit({ type: 'standard__navItemPage', state: {} });
        await flushPromises();
        expect(selected).toHaveBeenCalledTimes(1);

        CurrentPageReference.emit({ type: 'standard__navItemPage', state: { c__syncId: 'a01000000000001AAA' } });
        await flushPromises();
        expect(selected).toHaveBeenLastCalledWith('a01000000000001AAA');
    });

    it('shows no combobox for a single sync', async () => {
        const { element, selected } = mount();
        listSyncs.emit(SYNCS.slice(0, 1));
        await flushPromises();

        expect(selected).toHaveBeenCalledWith('a01000000000001AAA');
        expect(combobox(element)).toBeNull();
    });

    it('refreshes the cached list once when the given sync is not in it', async () => {
        const { selected } = mount({ value: 'a01000000000009AAA' });
        listSyncs.emit(SYNCS);
        await flushPromises();
        listSyncs.emit(SYNCS);
        await flushPromises();

        expect(refreshApex).toHaveBeenCalledTimes(1);
        expect(selected).not.toHaveBeenCalled();
    });

    it('offers the setup wizard when there is no sync yet', async () => {
        const { element, selected } = mount();
        listSyncs.emit([]);
        await flushPromises();

        expect(selected).not.toHaveBeenCalled();
        expect(element.shadowRoot.textContent).toContain('No sync is set up yet');
        element.shadowRoot.querySelector('lightning-button').click();
        expect(navigations()).toEqual([
            { type: 'standard__navItemPage', attributes: { apiName: 'Switchboard_Setup' } }
        ]);
        await expect(element).toBeAccessible();
    });

    it('says why the syncs could not be loaded', async () => {
        const { element } = mount();
        listSyncs.error({ message: 'Insufficient access to SwitchboardSetupController' });
        await flushPromises();

        const alert = element.shadowRoot.querySelector('[role="alert"]');
        expect(alert.textContent).toContain('Insufficient access to SwitchboardSetupController');
    });
});
