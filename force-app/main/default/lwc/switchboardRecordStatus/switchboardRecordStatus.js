import { LightningElement, api } from 'lwc';
import getRecordStatus from '@salesforce/apex/SwitchboardRecordStatusController.getRecordStatus';
import syncNow from '@salesforce/apex/SwitchboardRecordStatusController.syncNow';
import { errorMessage, timestampOf, toast } from 'c/switchboardUtils';

// Sync states the service writes on the record, with their label and SLDS theme (grey by default).
const STATES = Object.freeze({
    InSync: { label: 'In sync', theme: 'slds-theme_success' },
    Excluded: { label: 'Excluded', theme: 'slds-theme_warning' },
    Failing: { label: 'Failing', theme: 'slds-theme_error' },
    NotSynced: { label: 'Not synced', theme: '' }
});

/**
 * Where a Contact, Lead or Person Account stands with the telephony directory: its sync state,
 * directory entry, when it last synced and its open sync errors, with a button to sync it now, and the
 * calls the service logged on it (c-switchboard-recent-calls).
 */
export default class SwitchboardRecordStatus extends LightningElement {
    @api recordId;
    @api objectApiName;

    status;
    error;
    loading = false;
    requesting = false;

    connectedCallback() {
        this.load();
    }

    async load() {
        this.loading = true;
        try {
            this.status = await getRecordStatus({ recordId: this.recordId });
            this.error = undefined;
        } catch (error) {
            this.error = errorMessage(error);
        } finally {
            this.loading = false;
        }
    }

    get state() {
        return STATES[this.status && this.status.state] || STATES.NotSynced;
    }

    get badgeClass() {
        return this.state.theme ? `switchboard-state ${this.state.theme}` : 'switchboard-state';
    }

    get errors() {
        return (this.status && this.status.errors) || [];
    }

    get hasErrors() {
        return this.errors.length > 0;
    }

    get errorsHeading() {
        return `Open sync errors (${this.errors.length})`;
    }

    get syncDisabled() {
        return this.requesting || this.loading;
    }

    get recordLabel() {
        return this.objectApiName === 'Account' ? 'person account' : (this.objectApiName || 'record').toLowerCase();
    }

    async handleSyncNow() {
        this.requesting = true;
        try {
            const requestId = await syncNow({ recordId: this.recordId });
            this.dispatchEvent(
                toast(
                    'Sync requested',
                    `Switchboard syncs this ${this.recordLabel} in a moment (request ${requestId}).`
                )
            );
        } catch (error) {
            this.dispatchEvent(toast('Could not request a sync', errorMessage(error), 'error'));
        } finally {
            this.requesting = false;
        }
    }

    handleRefresh() {
        this.load();
        const calls = this.template.querySelector('c-switchboard-recent-calls');
        if (calls) {
            calls.refresh();
        }
    }

    get lastSyncedTimestamp() {
        return timestampOf(this.status?.lastSynced);
    }
}
