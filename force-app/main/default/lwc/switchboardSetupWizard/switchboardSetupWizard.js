import { LightningElement, api, wire } from 'lwc';
import { CurrentPageReference, NavigationMixin } from 'lightning/navigation';
import { refreshApex } from '@salesforce/apex';
import getSync from '@salesforce/apex/SwitchboardSetupController.getSync';
import countScope from '@salesforce/apex/SwitchboardSetupController.countScope';
import saveSync from '@salesforce/apex/SwitchboardSetupController.saveSync';
import getConnectionStatus from '@salesforce/apex/SwitchboardSetupController.getConnectionStatus';
import runSystemsCheck from '@salesforce/apex/SwitchboardSetupController.runSystemsCheck';
import {
    DIRECTION_OPTIONS,
    TABS,
    errorMessage,
    statusLabel,
    syncIdFromPage,
    tabPage,
    timestampOf,
    toast
} from 'c/switchboardUtils';
import {
    CONFLICT_OPTIONS,
    DEFAULT_OBJECT_OPTIONS,
    FREQUENCY_OPTIONS,
    INITIAL_SYNC_STATUSES,
    MATCH_KEY_OPTIONS,
    OBJECTS,
    STEPS,
    objectFlags
} from './wizardOptions';
import { isBlank, stepProblems } from './wizardValidation';
import { reviewItemsOf, scopeRowOf } from './wizardDisplay';

/** Quiet time after the last keystroke in a scope condition before it is counted. */
export const SCOPE_COUNT_DELAY_MS = 500;

/**
 * Guides an admin through a sync's settings one step at a time, from checking the connection to the
 * companion service to the review, and saves only at the end (optionally starting the initial sync).
 * Edits the sync given by `syncId` (or the page's c__syncId); without one it sets up a new sync.
 * Fires `saved` ({ syncId }) after saving.
 */
export default class SwitchboardSetupWizard extends NavigationMixin(LightningElement) {
    /** The sync to edit; blank for a new sync. */
    @api syncId;

    pageSyncId;
    wiredSync;
    draft;
    loadError;
    currentStep = STEPS[0].value;

    connection;
    connectionError;
    systemsCheckMessage;

    /** Per object name: { count, error, counting, condition }. */
    scopeCounts = {};
    countTimers = {};

    saving = false;
    saveError;
    savedSyncId;

    steps = STEPS;
    directionOptions = DIRECTION_OPTIONS;
    conflictOptions = CONFLICT_OPTIONS;
    defaultObjectOptions = DEFAULT_OBJECT_OPTIONS;
    matchKeyOptions = MATCH_KEY_OPTIONS;
    frequencyOptions = FREQUENCY_OPTIONS;

    @wire(CurrentPageReference)
    receivePage(pageReference) {
        this.pageSyncId = syncIdFromPage(pageReference);
    }

    get requestedSyncId() {
        return this.syncId || this.pageSyncId || null;
    }

    @wire(getSync, { syncId: '$requestedSyncId' })
    receiveSync(result) {
        this.wiredSync = result;
        const { data, error } = result;
        if (this.savedSyncId) {
            return;
        }
        if (data) {
            if (!this.draft || this.draft.syncId !== data.syncId) {
                this.draft = { ...data };
                this.scopeCounts = {};
                this.loadConnection();
            }
            this.loadError = undefined;
        } else if (error) {
            this.loadError = errorMessage(error);
        }
    }

    disconnectedCallback() {
        Object.values(this.countTimers).forEach((timer) => clearTimeout(timer));
        this.countTimers = {};
    }

    // ----- connection -----

    async loadConnection() {
        try {
            this.connection = await getConnectionStatus({ syncId: this.draft.syncId || null });
            this.connectionError = undefined;
        } catch (error) {
            this.connectionError = errorMessage(error);
        }
    }

    handleRefreshConnection() {
        this.loadConnection();
    }

    async handleSystemsCheck() {
        try {
            const requestId = await runSystemsCheck({ syncId: this.draft.syncId || null });
            this.systemsCheckMessage = `Systems check requested (request ${requestId}). The service answers within a minute: refresh to see the result.`;
            this.dispatchEvent(toast('Systems check requested', `Request ${requestId}`));
        } catch (error) {
            this.dispatchEvent(toast('Could not request a systems check', errorMessage(error), 'error'));
        }
    }

    get title() {
        if (this.draft && this.draft.syncId) {
            return `Edit sync: ${this.draft.name}`;
        }
        return 'Set up a Switchboard sync';
    }

    get isOneWay() {
        return this.draft.direction !== 'Both';
    }

    get noPersonAccounts() {
        return !this.draft.personAccountsAvailable;
    }

    get connectionStatusLabel() {
        return statusLabel(this.connection.status);
    }

    // ----- editing -----

    update(field, value) {
        this.draft = { ...this.draft, [field]: value };
    }

    handleValue(event) {
        this.update(event.target.dataset.field, event.detail.value);
    }

    handleToggle(event) {
        this.update(event.target.dataset.field, event.target.checked);
    }

    handleCountry(event) {
        this.update('defaultCountry', (event.detail.value || '').toUpperCase());
    }

    /** An edit of the call logging step (c-switchboard-call-logging tells, the draft stays here). */
    handleDraftChange(event) {
        this.update(event.detail.field, event.detail.value);
    }

    handleThreshold(event) {
        const value = event.detail.value;
        this.update('massDeleteThreshold', isBlank(value) ? null : Number(value));
    }

    get availableObjects() {
        return OBJECTS.filter((object) => object.name !== 'PersonAccount' || this.draft.personAccountsAvailable);
    }

    get enabledObjects() {
        return this.availableObjects.filter((object) => this.draft[object.flag]);
    }

    get objectOptions() {
        return this.availableObjects.map((object) => ({ label: object.label, value: object.name }));
    }

    get selectedObjects() {
        return this.enabledObjects.map((object) => object.name);
    }

    handleObjects(event) {
        this.draft = { ...this.draft, ...objectFlags(event.detail.value || []) };
    }

    // ----- scope -----

    get scopeRows() {
        return this.enabledObjects.map((object) =>
            scopeRowOf(object, this.scopeCounts[object.name] || {}, this.draft[object.scopeField])
        );
    }

    handleScope(event) {
        const object = OBJECTS.find((candidate) => candidate.name === event.target.dataset.object);
        this.update(object.scopeField, event.detail.value);
        this.scheduleCount(object, SCOPE_COUNT_DELAY_MS);
    }

    scheduleCount(object, delay) {
        clearTimeout(this.countTimers[object.name]);
        this.scopeCounts = { ...this.scopeCounts, [object.name]: { counting: true } };
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.countTimers[object.name] = setTimeout(() => this.count(object), delay);
    }

    async count(object) {
        delete this.countTimers[object.name];
        const condition = this.draft[object.scopeField] || '';
        let state;
        try {
            state = { count: await countScope({ objectName: object.name, condition }) };
        } catch (error) {
            state = { error: errorMessage(error) };
        }
        // A later keystroke has scheduled another count: this answer is out of date.
        if ((this.draft[object.scopeField] || '') === condition && !this.countTimers[object.name]) {
            this.scopeCounts = { ...this.scopeCounts, [object.name]: state };
        }
    }

    // ----- steps -----

    get stepIndex() {
        return STEPS.findIndex((step) => step.value === this.currentStep);
    }

    get currentStepLabel() {
        return `Step ${this.stepIndex + 1} of ${STEPS.length}: ${STEPS[this.stepIndex].label}`;
    }

    get on() {
        return Object.fromEntries(STEPS.map((step) => [step.value, step.value === this.currentStep]));
    }

    get isFirstStep() {
        return this.stepIndex === 0;
    }

    get isLastStep() {
        return this.stepIndex === STEPS.length - 1;
    }

    /** Why a step cannot be left yet, one sentence per problem (none when it is complete). */
    problemsOf(step) {
        return stepProblems(step, this);
    }

    get problems() {
        return this.problemsOf(this.currentStep);
    }

    get hasProblems() {
        return this.problems.length > 0;
    }

    get nextDisabled() {
        return this.hasProblems;
    }

    get allStepsValid() {
        return STEPS.every((step) => this.problemsOf(step.value).length === 0);
    }

    handleBack() {
        this.currentStep = STEPS[this.stepIndex - 1].value;
    }

    handleNext() {
        this.currentStep = STEPS[this.stepIndex + 1].value;
        if (this.currentStep === 'scope') {
            // Count what is already there at once; typing is counted after a pause.
            this.enabledObjects
                .filter((object) => !this.scopeCounts[object.name])
                .forEach((object) => this.scheduleCount(object, 0));
        }
    }

    // ----- review and save -----

    get reviewItems() {
        return reviewItemsOf(this);
    }

    get isCustomFrequency() {
        return this.draft.frequency === 'Custom';
    }

    get canStartInitialSync() {
        return INITIAL_SYNC_STATUSES.includes(this.draft.status || 'NotStarted');
    }

    get saveDisabled() {
        return this.saving || !this.allStepsValid;
    }

    handleSave() {
        this.save(false);
    }

    handleSaveAndStart() {
        this.save(true);
    }

    async save(startInitialSync) {
        this.saving = true;
        this.saveError = undefined;
        const name = this.draft.name;
        try {
            const syncId = await saveSync({ draftJson: JSON.stringify(this.draft), startInitialSync });
            this.draft = { ...this.draft, syncId };
            this.savedSyncId = syncId;
            this.dispatchEvent(
                toast(
                    'Sync saved',
                    startInitialSync ? `${name} is saved and its initial sync was requested.` : `${name} is saved.`
                )
            );
            this.dispatchEvent(new CustomEvent('saved', { detail: { syncId } }));
        } catch (error) {
            this.saveError = errorMessage(error);
            this.dispatchEvent(toast('Could not save the sync', this.saveError, 'error'));
        } finally {
            this.saving = false;
        }
        if (this.savedSyncId && this.requestedSyncId) {
            // The client-side cache still holds the draft as it was before this save.
            refreshApex(this.wiredSync);
        }
    }

    handleOpenDashboard() {
        this[NavigationMixin.Navigate](tabPage(TABS.home, { c__syncId: this.savedSyncId }));
    }

    handleOpenMappings() {
        this[NavigationMixin.Navigate](tabPage(TABS.mappings, { c__syncId: this.savedSyncId }));
    }

    get heartbeatTimestamp() {
        return timestampOf(this.connection?.heartbeat);
    }
}
