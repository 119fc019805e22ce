import { LightningElement, api, wire } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { refreshApex } from '@salesforce/apex';
import recentCalls from '@salesforce/apex/SwitchboardRecentCallsController.recentCalls';
import { errorMessage } from 'c/switchboardUtils';

// CallType values the service writes, with their label and icon. The label is always shown beside the
// icon, so the icon is decorative.
const DIRECTIONS = Object.freeze({
    Inbound: { label: 'Inbound', icon: 'utility:incoming_call' },
    Outbound: { label: 'Outbound', icon: 'utility:outbound_call' },
    Internal: { label: 'Internal', icon: 'utility:call' }
});
const UNKNOWN_DIRECTION = Object.freeze({ label: 'Call', icon: 'utility:call' });

// The standard related list of a record's past activities (completed Tasks, past Events).
const ACTIVITY_HISTORY = 'ActivityHistories';

const twoDigits = (value) => String(value).padStart(2, '0');

/**
 * A call's talk time as m:ss, or h:mm:ss from an hour on ("0:42", "3:07", "1:02:05"); an empty string
 * when it is not known.
 */
export function formatDuration(seconds) {
    if (seconds === null || seconds === undefined || seconds === '' || !Number.isFinite(Number(seconds))) {
        return '';
    }
    const total = Math.max(0, Math.round(Number(seconds)));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const rest = twoDigits(total % 60);
    return hours ? `${hours}:${twoDigits(minutes)}:${rest}` : `${minutes}:${rest}`;
}

/** The Lightning address of a record (relative: the card runs inside the org). */
const recordPageUrl = (recordId) => `/lightning/r/${encodeURIComponent(recordId)}/view`;

function rowOf(call) {
    const direction = DIRECTIONS[call.direction] || UNKNOWN_DIRECTION;
    return {
        ...call,
        directionLabel: direction.label,
        icon: direction.icon,
        duration: formatDuration(call.durationSeconds),
        linkLabel: call.subject || 'Call without a subject',
        url: recordPageUrl(call.taskId)
    };
}

/**
 * The "Recent calls" section of the record status card: the newest calls the Switchboard service logged
 * on the record as Tasks, each with its direction, when it was logged, its talk time, its result, its
 * owner and a link to the Task, and a link to the record's activity history. Says so when there are none,
 * and says why when the user cannot read them. Shows nothing for records the service logs no calls on
 * (business accounts).
 */
export default class SwitchboardRecentCalls extends NavigationMixin(LightningElement) {
    @api recordId;
    /** Contact, Lead or Account: the object of the page, for the activity history link. */
    @api objectApiName;
    /** How many calls to list (the controller takes 1 to 50). */
    @api maxRows = 5;

    result;
    error;
    wiredCalls;

    @wire(recentCalls, { recordId: '$recordId', maxRows: '$maxRows' })
    receiveCalls(wired) {
        this.wiredCalls = wired;
        const { data, error } = wired;
        if (data) {
            this.result = data;
            this.error = undefined;
        } else if (error) {
            this.result = undefined;
            this.error = errorMessage(error);
        }
    }

    /** Reads the calls again (the card's refresh button); the wire caches them otherwise. */
    @api
    refresh() {
        return this.wiredCalls ? refreshApex(this.wiredCalls) : Promise.resolve();
    }

    get shown() {
        return Boolean(this.error) || Boolean(this.result && this.result.applies);
    }

    get problem() {
        if (this.error) {
            return `Could not load the recent calls: ${this.error}`;
        }
        return this.result && this.result.problem;
    }

    get calls() {
        return ((this.result && this.result.calls) || []).map(rowOf);
    }

    get hasCalls() {
        return this.calls.length > 0;
    }

    get viewAllUrl() {
        return `/lightning/r/${this.objectApiName}/${encodeURIComponent(this.recordId)}/related/${ACTIVITY_HISTORY}/view`;
    }

    // Without the page's object there is no related list address to go to.
    get showViewAll() {
        return this.hasCalls && Boolean(this.objectApiName);
    }

    handleOpenCall(event) {
        event.preventDefault();
        this[NavigationMixin.Navigate]({
            type: 'standard__recordPage',
            attributes: { recordId: event.currentTarget.dataset.taskId, objectApiName: 'Task', actionName: 'view' }
        });
    }

    handleViewAll(event) {
        event.preventDefault();
        this[NavigationMixin.Navigate]({
            type: 'standard__recordRelationshipPage',
            attributes: {
                recordId: this.recordId,
                objectApiName: this.objectApiName,
                relationshipApiName: ACTIVITY_HISTORY,
                actionName: 'view'
            }
        });
    }
}
