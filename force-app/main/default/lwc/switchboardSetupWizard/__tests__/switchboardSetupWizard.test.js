import {
    getSync,
    getConnectionStatus,
    runSystemsCheck,
    NEW_DRAFT,
    EXISTING_DRAFT,
    CONNECTION,
    flushPromises,
    mount,
    $,
    $$,
    heading,
    resetBetweenTests
} from './wizardTestHarness';
import { CurrentPageReference } from 'lightning/navigation';

// Loading the sync to set up, and the connection step.
describe('c-switchboard-setup-wizard', () => {
    resetBetweenTests();

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
                'Call logging',
                'Review'
            ]);
            expect(heading(element)).toBe('Step 1 of 9: Connection');
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
});
