import { LightningElement, api } from 'lwc';

/** Unknown_Callers__c values and their labels. */
export const UNKNOWN_CALLER_OPTIONS = [
    { label: 'Do nothing: the call is kept with the number only', value: 'None' },
    { label: 'Create a Lead with the number', value: 'Lead' },
    { label: 'Create a Contact with the number', value: 'Contact' }
];

/** The toggles of the step: the draft field each sets, and what it says. */
const TOGGLES = [
    { field: 'logInboundCalls', label: 'Log inbound calls' },
    { field: 'logOutboundCalls', label: 'Log outbound calls' },
    { field: 'logMissedCalls', label: 'Log missed, busy and voicemail calls' }
];

/**
 * The setup wizard's call logging step, for a draft the wizard owns: which calls the companion service
 * logs as Tasks on the matched record (per direction, missed calls, a minimum duration) and what a call
 * from an unknown number creates. Calls between two extensions are never logged: no Salesforce record is
 * the other party. It never changes the draft itself: each edit fires `draftchange`
 * ({ field, value }), and the wizard applies it, so the draft has one owner.
 */
export default class SwitchboardCallLogging extends LightningElement {
    /** The wizard's draft (read only here). */
    @api draft;

    unknownCallerOptions = UNKNOWN_CALLER_OPTIONS;

    get toggles() {
        return TOGGLES.map((toggle) => ({ ...toggle, checked: this.draft[toggle.field] === true }));
    }

    /** Nothing to log when both directions are off: the minimum duration and missed calls then do nothing. */
    get loggingOff() {
        return !this.draft.logInboundCalls && !this.draft.logOutboundCalls;
    }

    /** Unknown callers become the objects the sync syncs; the others are offered but say why not. */
    get unknownCallersHelp() {
        const choice = this.draft.unknownCallers;
        const synced = (choice === 'Lead' && this.draft.syncLeads) || (choice === 'Contact' && this.draft.syncContacts);
        if (choice && choice !== 'None' && !synced) {
            return `${choice}s are not synced: choose them on the Objects step, or another option.`;
        }
        return 'One record per number, however many calls come in; caller ID lookups never create records.';
    }

    tell(field, value) {
        this.dispatchEvent(new CustomEvent('draftchange', { detail: { field, value } }));
    }

    handleToggle(event) {
        this.tell(event.target.dataset.field, event.target.checked);
    }

    handleMinimum(event) {
        const value = event.detail.value;
        this.tell('minimumCallSeconds', value === '' || value === null || value === undefined ? null : Number(value));
    }

    handleUnknownCallers(event) {
        this.tell('unknownCallers', event.detail.value);
    }
}
