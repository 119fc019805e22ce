import {
    getDashboard,
    ACTIVE,
    INITIAL_SYNC,
    ERROR,
    SYNC_ID,
    flushPromises,
    mount,
    $,
    commandButton,
    disabledByCommand,
    resetBetweenTests
} from './dashboardTestHarness';

// What the dashboard shows of a sync: status, counters, initial sync progress, heartbeat and errors.
describe('c-switchboard-sync-dashboard', () => {
    resetBetweenTests();

    describe('shows the sync', () => {
        it('with its status, counters, last sync, failing and excluded records', async () => {
            const { element } = await mount();

            expect(getDashboard).toHaveBeenCalledWith({ syncId: SYNC_ID });
            expect($(element, 'lightning-card').title).toBe('Sync: Head office');
            const badge = $(element, 'lightning-badge');
            expect(badge.label).toBe('Active');
            expect(badge.className).toContain('slds-theme_success');
            expect($(element, '.counter-synced lightning-formatted-number').value).toBe(12840);
            expect($(element, '.counter-excluded lightning-formatted-number').value).toBe(2);
            expect($(element, '.counter-failing lightning-formatted-number').value).toBe(1);
            expect($(element, '.last-sync lightning-relative-date-time').value).toBe(Date.parse(ACTIVE.lastSyncTime));
            expect($(element, '.last-sync lightning-formatted-date-time').value).toBe(ACTIVE.lastSyncTime);
            expect($(element, '.initial-sync')).toBeNull();
            expect($(element, '.stale-heartbeat')).toBeNull();
            expect($(element, '.last-error')).toBeNull();

            const failing = $(element, 'lightning-datatable.failing');
            expect(failing.keyField).toBe('errorId');
            expect(failing.data).toEqual([
                {
                    ...ACTIVE.failing[0],
                    recordUrl: '/lightning/r/003000000000001AAA/view',
                    openLabel: 'Open in Salesforce',
                    openTitle: 'Open record 003000000000001AAA in Salesforce'
                }
            ]);
            expect(failing.columns.find((column) => column.type === 'action').typeAttributes.rowActions).toEqual([
                { label: 'Retry now', name: 'retry' },
                { label: 'Ignore', name: 'ignore' }
            ]);
            const excluded = $(element, 'lightning-datatable.excluded');
            expect(excluded.data.map((row) => row.reason)).toEqual(['No valid phone', 'Excluded']);
            expect(excluded.columns.map((column) => column.label)).toEqual([
                'Record',
                'Open in Salesforce',
                'Reason',
                'Details',
                'Last seen'
            ]);
            await expect(element).toBeAccessible();
        });

        it('offers only the commands its status allows', async () => {
            const { element } = await mount();
            expect(disabledByCommand(element)).toEqual({
                Pause: false,
                Resume: true,
                SystemsCheck: false,
                StartInitialSync: false,
                Delete: false,
                DeleteAndRevert: false
            });

            getDashboard.mockResolvedValue({ ...ACTIVE, status: 'Paused' });
            commandButton(element, 'Pause').dispatchEvent(new CustomEvent('click'));
            await flushPromises();
            await flushPromises();
            expect($(element, 'lightning-badge').className).not.toMatch(/slds-theme_/);
            expect(disabledByCommand(element)).toMatchObject({ Pause: true, Resume: false, StartInitialSync: true });

            getDashboard.mockResolvedValue({ ...ACTIVE, status: 'Deleting' });
            commandButton(element, 'SystemsCheck').click();
            await flushPromises();
            await flushPromises();
            expect($(element, 'lightning-badge').label).toBe('Deleting');
            expect(disabledByCommand(element)).toEqual({
                Pause: true,
                Resume: true,
                SystemsCheck: false,
                StartInitialSync: true,
                Delete: true,
                DeleteAndRevert: true
            });
        });

        it('with the initial sync progress and the time left', async () => {
            getDashboard.mockResolvedValue(INITIAL_SYNC);
            const { element } = await mount({ syncId: INITIAL_SYNC.syncId });

            expect($(element, 'lightning-badge').className).toContain('slds-theme_warning');
            expect($(element, 'lightning-badge').label).toBe('Initial sync');
            expect($(element, 'lightning-progress-bar').value).toBe(25);
            expect($(element, '.progress-summary').textContent).toBe('2,500 of 10,000 records (25%)');
            // 7,500 records left at 25 records per second.
            expect($(element, '.time-left').textContent).toBe('About 5 min left at 25 records per second.');
            expect($(element, '.last-sync').textContent).toContain('never');
            expect($(element, '.no-failing').textContent).toBe('No record is failing.');
            expect($(element, '.no-excluded').textContent).toBe('No record is excluded.');
            await expect(element).toBeAccessible();
        });

        it.each([
            [{ initialSyncRate: 0 }, 'Estimating the time left…'],
            [{ initialSyncDone: 10000 }, 'Finishing…'],
            [{ initialSyncDone: 9990, initialSyncRate: 1 }, 'About less than a minute left at 1 records per second.'],
            [{ initialSyncDone: 0, initialSyncRate: 1 }, 'About 2 h 47 min left at 1 records per second.'],
            [
                { initialSyncDone: 0, initialSyncTotal: 7200, initialSyncRate: 1 },
                'About 2 h left at 1 records per second.'
            ]
        ])('estimates the time left of %o as "%s"', async (change, expected) => {
            getDashboard.mockResolvedValue({ ...INITIAL_SYNC, ...change });
            const { element } = await mount({ syncId: INITIAL_SYNC.syncId });
            expect($(element, '.time-left').textContent).toBe(expected);
        });

        it('shows no progress while the total is unknown', async () => {
            getDashboard.mockResolvedValue({ ...INITIAL_SYNC, initialSyncDone: null, initialSyncTotal: null });
            const { element } = await mount({ syncId: INITIAL_SYNC.syncId });
            expect($(element, 'lightning-progress-bar').value).toBe(0);
            expect($(element, '.progress-summary').textContent).toBe('0 of 0 records (0%)');
        });

        it('in error, with a stale heartbeat warning that says what to do', async () => {
            getDashboard.mockResolvedValue(ERROR);
            const { element } = await mount({ syncId: ERROR.syncId });

            expect($(element, 'lightning-badge').className).toContain('slds-theme_error');
            expect($(element, 'lightning-badge').label).toBe('Error');
            const warning = $(element, '.stale-heartbeat');
            expect(warning.textContent).toContain('has not reported for more than 5 minutes');
            expect(warning.textContent).toContain('run a systems check');
            expect(warning.querySelector('lightning-relative-date-time').value).toBe(Date.parse(ERROR.heartbeat));
            expect($(element, '.last-error').textContent).toContain('INVALID_SESSION_ID: Session expired or invalid');
            await expect(element).toBeAccessible();
        });

        it('warns when the service never reported', async () => {
            getDashboard.mockResolvedValue({ ...ERROR, heartbeat: null });
            const { element } = await mount({ syncId: ERROR.syncId });
            const warning = $(element, '.stale-heartbeat');
            expect(warning.textContent).toContain('The Switchboard service has not reported yet.');
            expect(warning.querySelector('lightning-relative-date-time')).toBeNull();
        });

        it('says why the dashboard could not be loaded', async () => {
            getDashboard.mockRejectedValue({ body: { message: 'List has no rows for assignment to SObject' } });
            const { element } = await mount();
            expect($(element, '.load-error').textContent).toContain('List has no rows for assignment to SObject');
            expect($(element, 'lightning-badge')).toBeNull();
        });
    });
});
