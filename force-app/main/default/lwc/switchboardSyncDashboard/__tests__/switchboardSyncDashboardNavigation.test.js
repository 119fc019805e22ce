import {
    getDashboard,
    listSyncs,
    INITIAL_SYNC,
    SYNC_ID,
    flushPromises,
    mount,
    $,
    resetBetweenTests
} from './dashboardTestHarness';
import { CurrentPageReference, navigations } from 'lightning/navigation';

// Which sync it shows, and opening the setup wizard and the mapping studio for it.
describe('c-switchboard-sync-dashboard', () => {
    resetBetweenTests();

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
