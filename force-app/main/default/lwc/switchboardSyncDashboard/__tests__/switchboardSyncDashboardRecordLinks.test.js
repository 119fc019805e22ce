import { getDashboard, ACTIVE, flushPromises, mount, $, resetBetweenTests } from './dashboardTestHarness';
import { recordPageUrl } from 'c/switchboardSyncDashboard';

// Every Salesforce id the dashboard shows comes with an "Open in Salesforce" link to the record's
// Lightning page, named for the record it opens (issue 13 item 8).
describe('c-switchboard-sync-dashboard record links', () => {
    resetBetweenTests();

    const openColumn = (table) => table.columns.find((column) => column.label === 'Open in Salesforce');

    it('links failing and excluded records to their Lightning record pages, beside the id', async () => {
        const { element } = await mount();

        for (const [selector, rows] of [
            ['lightning-datatable.failing', ACTIVE.failing],
            ['lightning-datatable.excluded', ACTIVE.excluded]
        ]) {
            const table = $(element, selector);
            expect(table.columns[0]).toEqual({ label: 'Record', fieldName: 'recordId' });
            expect(openColumn(table)).toEqual({
                label: 'Open in Salesforce',
                fieldName: 'recordUrl',
                type: 'url',
                typeAttributes: { label: { fieldName: 'openLabel' }, tooltip: { fieldName: 'openTitle' } }
            });
            expect(table.data.map(({ recordId, recordUrl, openLabel, openTitle }) => ({
                recordId,
                recordUrl,
                openLabel,
                openTitle
            }))).toEqual(
                rows.map((row) => ({
                    recordId: row.recordId,
                    recordUrl: `/lightning/r/${row.recordId}/view`,
                    openLabel: 'Open in Salesforce',
                    openTitle: `Open record ${row.recordId} in Salesforce`
                }))
            );
        }
        await expect(element).toBeAccessible();
    });

    it('offers no link for a row without a Salesforce id', async () => {
        getDashboard.mockResolvedValue({
            ...ACTIVE,
            failing: [{ ...ACTIVE.failing[0], recordId: null, side: 'Telephony' }]
        });
        const { element } = await mount();
        await flushPromises();

        const [row] = $(element, 'lightning-datatable.failing').data;
        expect(row.recordUrl).toBeUndefined();
        expect(row.openLabel).toBeUndefined();
    });

    it('builds the address from the id alone, escaped', () => {
        expect(recordPageUrl('003000000000001AAA')).toBe('/lightning/r/003000000000001AAA/view');
        expect(recordPageUrl('a/b')).toBe('/lightning/r/a%2Fb/view');
    });
});
