import {
    getDashboard,
    retryError,
    ignoreError,
    runCommand,
    LightningConfirm,
    ACTIVE,
    SYNC_ID,
    flushPromises,
    mount,
    $,
    commandButton,
    resetBetweenTests
} from './dashboardTestHarness';
import SwitchboardConfirmModal from 'c/switchboardConfirmModal';

// Commands on the sync (confirmed where they delete or start something) and on its failing records.
describe('c-switchboard-sync-dashboard', () => {
    resetBetweenTests();

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
});
