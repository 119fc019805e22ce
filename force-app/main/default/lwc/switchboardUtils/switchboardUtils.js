import { ShowToastEvent } from 'lightning/platformShowToastEvent';

/**
 * What the Switchboard components share: sync status labels and colours, the labels of the package's
 * picklist values, turning Apex and JavaScript errors into one readable sentence, toasts, and the
 * page references of the app's Lightning page tabs.
 */

/** Lightning page tabs of the Switchboard app (CustomTab API names). */
export const TABS = Object.freeze({
    home: 'Switchboard_Home',
    setup: 'Switchboard_Setup',
    mappings: 'Switchboard_Mappings'
});

/** Switchboard_Sync__c.Status__c values and their labels. */
export const STATUS_LABELS = Object.freeze({
    NotStarted: 'Not started',
    InitialSync: 'Initial sync',
    Active: 'Active',
    Paused: 'Paused',
    Error: 'Error',
    Deleting: 'Deleting'
});

// SLDS theme per status: orange while the initial sync runs, green when active, red on error, and
// the default grey otherwise. The label is always shown too, so colour is never the only signal.
const STATUS_THEMES = Object.freeze({
    InitialSync: 'slds-theme_warning',
    Active: 'slds-theme_success',
    Error: 'slds-theme_error'
});

/** Direction picklist values (sync and mapping rows share them). */
export const DIRECTION_OPTIONS = Object.freeze([
    { label: 'Both directions', value: 'Both' },
    { label: 'Salesforce → telephony', value: 'ToTelephony' },
    { label: 'Telephony → Salesforce', value: 'ToSalesforce' }
]);

/** Label of a sync status, or the raw value when it is unknown. */
export function statusLabel(status) {
    return STATUS_LABELS[status] || status || 'Unknown';
}

/** Classes of a lightning-badge showing a sync status. */
export function statusBadgeClass(status) {
    const theme = STATUS_THEMES[status];
    return theme ? `switchboard-status ${theme}` : 'switchboard-status';
}

/** Label of a picklist value among options, or the value itself. */
export function optionLabel(options, value) {
    const option = options.find((candidate) => candidate.value === value);
    return option ? option.label : value;
}

function messagesOf(error) {
    if (!error) {
        return [];
    }
    if (Array.isArray(error)) {
        return error.flatMap(messagesOf);
    }
    if (typeof error === 'string') {
        return [error];
    }
    const body = error.body;
    if (Array.isArray(body)) {
        return body.flatMap(messagesOf);
    }
    if (body) {
        const fieldErrors = Object.values(body.fieldErrors || {}).flat();
        const pageErrors = body.pageErrors || [];
        const nested = [...fieldErrors, ...pageErrors].flatMap(messagesOf);
        if (nested.length) {
            return nested;
        }
        if (body.message) {
            return [body.message];
        }
    }
    return error.message ? [error.message] : [];
}

/**
 * One readable sentence for an error from an Apex call (AuraHandledException, DML field or page
 * errors), a JavaScript Error, a string, or a list of those.
 */
export function errorMessage(error) {
    const messages = [...new Set(messagesOf(error))];
    return messages.length ? messages.join(' ') : 'Unknown error';
}

/** A toast event (variant success, warning, error or info). */
export function toast(title, message, variant = 'success') {
    return new ShowToastEvent({ title, message, variant });
}

/** Page reference of one of the app's Lightning page tabs, with optional c__ state. */
export function tabPage(apiName, state) {
    const page = { type: 'standard__navItemPage', attributes: { apiName } };
    return state ? { ...page, state } : page;
}

/** The sync id a page was opened with (?c__syncId=...), if any. */
export function syncIdFromPage(pageReference) {
    const state = pageReference && pageReference.state;
    return (state && state.c__syncId) || undefined;
}

/**
 * A timestamp for lightning-relative-date-time, which takes a Date or a number but throws on the ISO strings
 * Apex returns for Datetime fields; undefined when there is no time.
 */
export function timestampOf(value) {
    if (value === null || value === undefined || value === '') return undefined;
    const time = typeof value === 'number' ? value : Date.parse(value);
    return Number.isNaN(time) ? undefined : time;
}
