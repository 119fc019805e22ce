import {
    getDashboard,
    statusChannel,
    ACTIVE,
    SYNC_ID,
    flushPromises,
    mount,
    $,
    statusMessage,
    resetBetweenTests
} from './dashboardTestHarness';
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';

// Staying up to date: the sync's status events, or polling when streaming is not available.
describe('c-switchboard-sync-dashboard', () => {
    resetBetweenTests();

    describe('stays live', () => {
        it("reloads on the sync's status events and unsubscribes when removed", async () => {
            const { element } = await mount();
            expect(subscribe).toHaveBeenCalledWith('/event/Switchboard_Status__e', -1, expect.any(Function));
            const onMessage = subscribe.mock.calls[0][2];

            onMessage(statusMessage('a01000000000009AAA'));
            await flushPromises();
            expect(getDashboard).toHaveBeenCalledTimes(1);

            onMessage(statusMessage(SYNC_ID.substring(0, 15)));
            await flushPromises();
            expect(getDashboard).toHaveBeenCalledTimes(2);

            onMessage({});
            await flushPromises();
            expect(getDashboard).toHaveBeenCalledTimes(2);

            // Installed under a namespace, the payload's fields carry its prefix.
            onMessage({ data: { payload: { sbx__Sync_Id__c: SYNC_ID, sbx__Status__c: 'Paused' } } });
            await flushPromises();
            expect(getDashboard).toHaveBeenCalledTimes(3);

            document.body.removeChild(element);
            expect(unsubscribe).toHaveBeenCalledWith({ id: 'subscription' }, expect.any(Function));
        });

        it.each([
            ['installed from a package, the namespaced channel', '/event/sbx__Switchboard_Status__e', () => {}],
            [
                'without an answer from the controller, the channel without namespace',
                '/event/Switchboard_Status__e',
                () => statusChannel.mockRejectedValue(new Error('no access'))
            ]
        ])('subscribes to %s', async (_case, channel, arrange) => {
            statusChannel.mockResolvedValue('/event/sbx__Switchboard_Status__e');
            arrange();
            await mount();
            await flushPromises();
            expect(subscribe).toHaveBeenCalledTimes(1);
            expect(subscribe).toHaveBeenCalledWith(channel, -1, expect.any(Function));
        });

        it('keeps only the latest answer when reloads overtake each other', async () => {
            const { element } = await mount();
            const onMessage = subscribe.mock.calls[0][2];
            let answerFirst;
            getDashboard.mockReturnValueOnce(new Promise((resolve) => (answerFirst = resolve)));
            getDashboard.mockResolvedValueOnce({ ...ACTIVE, syncedCount: 3 });

            onMessage(statusMessage(SYNC_ID));
            onMessage(statusMessage(SYNC_ID));
            await flushPromises();
            answerFirst({ ...ACTIVE, syncedCount: 1 });
            await flushPromises();

            expect($(element, '.counter-synced lightning-formatted-number').value).toBe(3);
        });

        it('drops a subscription that arrives after the dashboard was removed', async () => {
            let subscribed;
            subscribe.mockReturnValue(new Promise((resolve) => (subscribed = resolve)));
            const { element } = await mount();
            document.body.removeChild(element);
            subscribed({ id: 'late' });
            await flushPromises();
            expect(unsubscribe).toHaveBeenCalledWith({ id: 'late' }, expect.any(Function));
        });

        it.each([
            ['the streaming API is off', () => isEmpEnabled.mockResolvedValue(false)],
            ['subscribing fails', () => subscribe.mockRejectedValue(new Error('handshake denied'))]
        ])('polls every 15 s when %s, until removed', async (_case, arrange) => {
            jest.useFakeTimers({ doNotFake: ['nextTick'] });
            arrange();
            const { element } = await mount();
            await flushPromises();
            expect(getDashboard).toHaveBeenCalledTimes(1);

            jest.advanceTimersByTime(15000);
            expect(getDashboard).toHaveBeenCalledTimes(2);
            jest.advanceTimersByTime(15000);
            expect(getDashboard).toHaveBeenCalledTimes(3);

            document.body.removeChild(element);
            jest.advanceTimersByTime(60000);
            expect(getDashboard).toHaveBeenCalledTimes(3);
        });

        it('falls back to polling when the streaming connection reports an error', async () => {
            jest.useFakeTimers({ doNotFake: ['nextTick'] });
            await mount();
            await flushPromises();
            const streamingError = onError.mock.calls[0][0];

            streamingError({ error: 'connection lost' });
            streamingError({ error: 'connection lost again' });
            jest.advanceTimersByTime(15000);

            expect(getDashboard).toHaveBeenCalledTimes(2);
        });
    });
});
