/**
 * The dashboard's two record tables (failing and excluded): their columns and how a row is shaped for them,
 * including the "Open in Salesforce" link beside each record id.
 */

const EXCLUDED_PREFIX = 'EXCLUDED_';

const DATE_TIME = { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' };
const RECORD_COLUMN = { label: 'Record', fieldName: 'recordId' };
// The id stays readable (and copyable); the link beside it opens the record's Lightning page in the org.
const OPEN_COLUMN = {
    label: 'Open in Salesforce',
    fieldName: 'recordUrl',
    type: 'url',
    typeAttributes: { label: { fieldName: 'openLabel' }, tooltip: { fieldName: 'openTitle' } }
};
export const FAILING_COLUMNS = [
    RECORD_COLUMN,
    OPEN_COLUMN,
    { label: 'Side', fieldName: 'side' },
    { label: 'Error', fieldName: 'errorCode' },
    { label: 'Message', fieldName: 'message', wrapText: true },
    { label: 'Retries', fieldName: 'retryCount', type: 'number' },
    { label: 'Last seen', fieldName: 'lastSeen', type: 'date', typeAttributes: DATE_TIME },
    { label: 'Next retry', fieldName: 'nextRetry', type: 'date', typeAttributes: DATE_TIME },
    {
        type: 'action',
        typeAttributes: {
            rowActions: [
                { label: 'Retry now', name: 'retry' },
                { label: 'Ignore', name: 'ignore' }
            ]
        }
    }
];
export const EXCLUDED_COLUMNS = [
    RECORD_COLUMN,
    OPEN_COLUMN,
    { label: 'Reason', fieldName: 'reason' },
    { label: 'Details', fieldName: 'message', wrapText: true },
    { label: 'Last seen', fieldName: 'lastSeen', type: 'date', typeAttributes: DATE_TIME }
];

/** "EXCLUDED_NO_VALID_PHONE" → "No valid phone". */
export function exclusionReason(errorCode) {
    const words = (errorCode || '').replace(EXCLUDED_PREFIX, '').replace(/_/g, ' ').trim().toLowerCase();
    return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Excluded';
}

/** The Lightning address of a record in this org (relative: the dashboard runs inside the org). */
export const recordPageUrl = (recordId) => `/lightning/r/${encodeURIComponent(recordId)}/view`;

// A row without a Salesforce id (a telephony-only entry) gets no link.
export function withRecordUrl(row) {
    if (!row.recordId) {
        return row;
    }
    return {
        ...row,
        recordUrl: recordPageUrl(row.recordId),
        openLabel: 'Open in Salesforce',
        openTitle: `Open record ${row.recordId} in Salesforce`
    };
}
