import { LightningElement, api } from 'lwc';
import { NavigationMixin } from 'lightning/navigation';
import { subscribe, unsubscribe, onError, isEmpEnabled } from 'lightning/empApi';
import LightningConfirm from 'lightning/confirm';
import getDashboard from '@salesforce/apex/SwitchboardDashboardController.getDashboard';
import retryError from '@salesforce/apex/SwitchboardDashboardController.retryError';
import ignoreError from '@salesforce/apex/SwitchboardDashboardController.ignoreError';
import runCommand from '@salesforce/apex/SwitchboardDashboardController.runCommand';
import statusChannel from '@salesforce/apex/SwitchboardDashboardController.statusChannel';
import SwitchboardConfirmModal from 'c/switchboardConfirmModal';
import { TABS, errorMessage, statusBadgeClass, statusLabel, tabPage, timestampOf, toast } from 'c/switchboardUtils';
import { EXCLUDED_COLUMNS, FAILING_COLUMNS, exclusionReason, withRecordUrl } from './dashboardTables';

export { recordPageUrl } from './dashboardTables';

/** Polling period when live status events are unavailable. */
export const POLL_INTERVAL_MS = 15000;
/**
 * The service's status events without a namespace. The controller names the channel as installed
 * (/event/<ns>__Switchboard_Status__e from a package); this is only the fallback when it cannot answer.
 */
export const STATUS_CHANNEL = '/event/Switchboard_Status__e';
// Payload fields carry the package namespace, if any, as a prefix.
const SYNC_ID_FIELD = /(^|__)Sync_Id__c$/;

const LIVE_STATUSES = ['NotStarted', 'InitialSync', 'Active', 'Paused', 'Error'];
// The statuses each command accepts: the rules of SwitchboardCommands.statusProblem, so a button is
// only offered when the server would take the command. Systems check concerns the whole org.
const COMMANDS = [
    { name: 'Pause', label: 'Pause', statuses: ['InitialSync', 'Active', 'Error'] },
    { name: 'Resume', label: 'Resume', statuses: ['Paused'] },
    { name: 'SystemsCheck', label: 'Run systems check' },
    { name: 'StartInitialSync', label: 'Start initial sync', statuses: ['NotStarted', 'Active', 'Error'] },
    { name: 'Delete', label: 'Delete', statuses: LIVE_STATUSES, variant: 'destructive-text' },
    { name: 'DeleteAndRevert', label: 'Delete and revert', statuses: LIVE_STATUSES, variant: 'destructive' }
];
/** A duration in words, for the time left of the initial sync. */
function durationText(seconds) {
    if (seconds < 60) {
        return 'less than a minute';
    }
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) {
        return `${minutes} min`;
    }
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

// Ids arrive as 15 or 18 characters depending on who wrote them.
const sameId = (a, b) => Boolean(a && b) && a.substring(0, 15) === b.substring(0, 15);

/**
 * The sync's dashboard: status, counters, initial sync progress, service heartbeat, failing and
 * excluded records, and the commands (pause, resume, systems check, initial sync, delete, delete and
 * revert). Refreshes on the service's Switchboard_Status__e events, or every 15 s when those cannot
 * be received.
 */
export default class SwitchboardSyncDashboard extends NavigationMixin(LightningElement) {
    /** The sync to show; without it, the page's c__syncId or the first sync (see c-switchboard-sync-picker). */
    @api syncId;
    /** Set on a Switchboard Sync record page: that sync. */
    @api recordId;

    pickedSyncId;
    dashboard;
    loadError;
    busyCommand;
    subscription;
    pollTimer;
    connected = false;
    loadSequence = 0;

    failingColumns = FAILING_COLUMNS;
    excludedColumns = EXCLUDED_COLUMNS;

    connectedCallback() {
        this.connected = true;
        this.load();
        this.startLiveUpdates();
    }

    disconnectedCallback() {
        this.connected = false;
        this.stopPolling();
        if (this.subscription) {
            unsubscribe(this.subscription, () => {});
            this.subscription = undefined;
        }
    }

    get activeSyncId() {
        return this.syncId || this.recordId || this.pickedSyncId;
    }

    get showPicker() {
        return !this.syncId && !this.recordId;
    }

    async load() {
        const syncId = this.activeSyncId;
        if (!syncId) {
            return;
        }
        // Answers can overtake each other (events and polls); only the latest request counts.
        const sequence = ++this.loadSequence;
        try {
            const dashboard = await getDashboard({ syncId });
            if (sequence === this.loadSequence) {
                this.dashboard = dashboard;
                this.loadError = undefined;
            }
        } catch (error) {
            if (sequence === this.loadSequence) {
                this.loadError = errorMessage(error);
            }
        }
    }

    async startLiveUpdates() {
        try {
            if (!(await isEmpEnabled())) {
                this.startPolling();
                return;
            }
            onError(() => this.startPolling());
            const channel = await this.statusChannel();
            const subscription = await subscribe(channel, -1, (message) => this.handleStatusEvent(message));
            if (this.connected) {
                this.subscription = subscription;
            } else {
                unsubscribe(subscription, () => {});
            }
        } catch {
            // No live events (no streaming access, or the handshake failed): poll instead.
            this.startPolling();
        }
    }

    async statusChannel() {
        try {
            return (await statusChannel()) || STATUS_CHANNEL;
        } catch {
            return STATUS_CHANNEL;
        }
    }

    startPolling() {
        if (this.pollTimer || !this.connected) {
            return;
        }
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.pollTimer = setInterval(() => this.load(), POLL_INTERVAL_MS);
    }

    stopPolling() {
        clearInterval(this.pollTimer);
        this.pollTimer = undefined;
    }

    handleStatusEvent(message) {
        const payload = (message && message.data && message.data.payload) || {};
        const field = Object.keys(payload).find((key) => SYNC_ID_FIELD.test(key));
        if (sameId(field && payload[field], this.activeSyncId)) {
            this.load();
        }
    }

    handleSelect(event) {
        this.pickedSyncId = event.detail.syncId;
        this.load();
    }

    get title() {
        return this.dashboard ? `Sync: ${this.dashboard.name}` : 'Switchboard sync';
    }

    get statusText() {
        return statusLabel(this.dashboard.status);
    }

    get badgeClass() {
        return statusBadgeClass(this.dashboard.status);
    }

    get staleHeartbeatMessage() {
        const { heartbeatStale, heartbeat } = this.dashboard;
        if (!heartbeatStale) {
            return undefined;
        }
        return heartbeat
            ? 'The Switchboard service has not reported for more than 5 minutes.'
            : 'The Switchboard service has not reported yet.';
    }

    get progress() {
        const { status, initialSyncDone, initialSyncTotal, initialSyncRate } = this.dashboard;
        const done = initialSyncDone || 0;
        const total = initialSyncTotal || 0;
        if (status !== 'InitialSync') {
            return undefined;
        }
        const percent = total ? Math.min(100, Math.floor((done * 100) / total)) : 0;
        const remaining = Math.max(total - done, 0);
        const rate = initialSyncRate || 0;
        let timeLeft = 'Estimating the time left…';
        if (total && remaining === 0) {
            timeLeft = 'Finishing…';
        } else if (rate > 0) {
            timeLeft = `About ${durationText(remaining / rate)} left at ${rate} records per second.`;
        }
        return {
            percent,
            summary: `${done.toLocaleString()} of ${total.toLocaleString()} records (${percent}%)`,
            timeLeft
        };
    }

    get commandButtons() {
        const status = this.dashboard.status;
        return COMMANDS.map((command) => ({
            ...command,
            variant: command.variant || 'neutral',
            disabled: Boolean(this.busyCommand) || Boolean(command.statuses && !command.statuses.includes(status))
        }));
    }

    get failingRows() {
        return (this.dashboard.failing || []).map(withRecordUrl);
    }

    get excludedRows() {
        return (this.dashboard.excluded || []).map((row) => ({
            ...withRecordUrl(row),
            reason: exclusionReason(row.errorCode)
        }));
    }

    get hasFailing() {
        return this.failingRows.length > 0;
    }

    get hasExcluded() {
        return this.excludedRows.length > 0;
    }

    async handleCommand(event) {
        const command = COMMANDS.find((candidate) => candidate.name === event.target.dataset.command);
        const confirmation = await this.askConfirmation(command.name);
        if (confirmation === undefined) {
            return;
        }
        this.busyCommand = command.name;
        try {
            const requestId = await runCommand({ syncId: this.dashboard.syncId, command: command.name, confirmation });
            this.dispatchEvent(
                toast(
                    `${command.label}: requested`,
                    `The Switchboard service picks it up in a moment (request ${requestId}).`
                )
            );
            await this.load();
        } catch (error) {
            this.dispatchEvent(toast(`${command.label} failed`, errorMessage(error), 'error'));
        } finally {
            this.busyCommand = undefined;
        }
    }

    /** Asks before commands that cost time or data: the confirmation text to send, or undefined if cancelled. */
    async askConfirmation(command) {
        const { name, syncedCount } = this.dashboard;
        const entries = `${(syncedCount || 0).toLocaleString()} directory entries`;
        const keepsSettings = "Delete this sync's settings, field mappings or error records in Salesforce.";
        if (command === 'StartInitialSync') {
            const confirmed = await LightningConfirm.open({
                label: 'Start the initial sync?',
                message:
                    'Switchboard reads every in-scope record again and matches it with the telephony directory. ' +
                    'Existing links are kept and nothing is deleted. Large orgs can take a while.',
                theme: 'info'
            });
            return confirmed ? null : undefined;
        }
        if (command === 'Delete') {
            const result = await SwitchboardConfirmModal.open({
                label: `Delete ${name}?`,
                size: 'small',
                confirmLabel: 'Delete',
                willDo: [
                    'Stop syncing: no more changes flow in either direction for this sync.',
                    `Forget how the ${entries} are linked to Salesforce records, and drop write-backs still waiting.`
                ],
                willNotDo: [
                    'Delete any contact from the telephony directory: every entry stays, unlinked.',
                    'Delete or change any Contact, Lead or Person Account in Salesforce.',
                    keepsSettings
                ]
            });
            return result ? null : undefined;
        }
        if (command === 'DeleteAndRevert') {
            const result = await SwitchboardConfirmModal.open({
                label: `Delete ${name} and remove what it added to the directory?`,
                size: 'small',
                confirmLabel: 'Delete and revert',
                confirmationText: name,
                willDo: [
                    'Stop syncing: no more changes flow in either direction for this sync.',
                    'Delete from the telephony directory every contact that came from Salesforce through this sync and is linked to no other org.',
                    `Forget the links of the ${entries}.`
                ],
                willNotDo: [
                    'Delete contacts that were created in the phone system, or that another org also syncs.',
                    'Delete or change any Contact, Lead or Person Account in Salesforce.',
                    keepsSettings
                ]
            });
            return result ? result.confirmation : undefined;
        }
        return null;
    }

    async handleRowAction(event) {
        const { action, row } = event.detail;
        const retry = action.name === 'retry';
        try {
            await (retry ? retryError : ignoreError)({ errorId: row.errorId });
            this.dispatchEvent(
                toast(
                    retry ? 'Retry scheduled' : 'Error ignored',
                    retry ? `Switchboard retries ${row.recordId} now.` : `${row.recordId} is no longer retried.`
                )
            );
            await this.load();
        } catch (error) {
            this.dispatchEvent(toast(retry ? 'Could not retry' : 'Could not ignore', errorMessage(error), 'error'));
        }
    }

    handleEditSettings() {
        this[NavigationMixin.Navigate](tabPage(TABS.setup, { c__syncId: this.dashboard.syncId }));
    }

    handleEditMappings() {
        this[NavigationMixin.Navigate](tabPage(TABS.mappings, { c__syncId: this.dashboard.syncId }));
    }

    handleNewSync() {
        this[NavigationMixin.Navigate](tabPage(TABS.setup));
    }

    get lastSyncTimestamp() {
        return timestampOf(this.dashboard?.lastSyncTime);
    }

    get heartbeatTimestamp() {
        return timestampOf(this.dashboard?.heartbeat);
    }
}
