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
    optionLabel,
    statusLabel,
    syncIdFromPage,
    tabPage,
    timestampOf,
    toast
} from 'c/switchboardUtils';

/** Quiet time after the last keystroke in a scope condition before it is counted. */
export const SCOPE_COUNT_DELAY_MS = 500;

const STEPS = [
    { value: 'connection', label: 'Connection' },
    { value: 'direction', label: 'Direction' },
    { value: 'conflict', label: 'Conflict winner' },
    { value: 'objects', label: 'Objects' },
    { value: 'rules', label: 'Validity and matching' },
    { value: 'scope', label: 'Scope' },
    { value: 'schedule', label: 'Schedule and deletes' },
    { value: 'review', label: 'Review' }
];
const CONFLICT_OPTIONS = [
    { label: 'Salesforce wins', value: 'Salesforce' },
    { label: 'Telephony wins', value: 'Telephony' }
];
const DEFAULT_OBJECT_OPTIONS = [
    { label: 'Contact', value: 'Contact' },
    { label: 'Lead', value: 'Lead' }
];
const MATCH_KEY_OPTIONS = [
    { label: 'Phone numbers', value: 'Phone' },
    { label: 'Email address', value: 'Email' },
    { label: 'Phone numbers or email address', value: 'Both' }
];
const FREQUENCY_OPTIONS = [
    { label: 'Every 15 minutes', value: 'Every15Minutes' },
    { label: 'Hourly', value: 'Hourly' },
    { label: 'Every 6 hours', value: 'Every6Hours' },
    { label: 'Daily', value: 'Daily' },
    { label: 'Custom schedule', value: 'Custom' }
];
// The objects a sync can cover: the draft flag that enables each, its scope condition, and the name
// countScope takes.
const OBJECTS = [
    { name: 'Contact', flag: 'syncContacts', scopeField: 'contactScope', label: 'Contacts' },
    { name: 'Lead', flag: 'syncLeads', scopeField: 'leadScope', label: 'Leads' },
    { name: 'PersonAccount', flag: 'syncPersonAccounts', scopeField: 'personAccountScope', label: 'Person Accounts' }
];
// Statuses in which an initial sync may be started (SwitchboardCommands).
const INITIAL_SYNC_STATUSES = ['NotStarted', 'Active', 'Error'];
// The object's validation rules, checked here first so Next can say what is missing.
const CRON = /^\S+( +\S+){4}$/;
const COUNTRY = /^[A-Z]{2}$/;
const NAME_MAX_LENGTH = 80;

const isBlank = (value) => value === undefined || value === null || String(value).trim() === '';
const yesNo = (value) => (value ? 'Yes' : 'No');

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
        const chosen = event.detail.value || [];
        const flags = {};
        OBJECTS.forEach((object) => {
            flags[object.flag] = chosen.includes(object.name);
        });
        this.draft = { ...this.draft, ...flags };
    }

    // ----- scope -----

    get scopeRows() {
        return this.enabledObjects.map((object) => {
            const state = this.scopeCounts[object.name] || {};
            let countText;
            if (state.counting) {
                countText = 'Counting…';
            } else if (state.count !== undefined && !state.error) {
                countText = `${state.count.toLocaleString()} ${object.label} in scope`;
            }
            return {
                ...object,
                inputLabel: `${object.label} scope (SOQL condition without WHERE; blank for all)`,
                condition: this.draft[object.scopeField],
                counting: Boolean(state.counting),
                countText,
                error: state.error
            };
        });
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
        const d = this.draft;
        const problems = [];
        const need = (condition, message) => {
            if (condition) {
                problems.push(message);
            }
        };
        switch (step) {
            case 'direction':
                need(isBlank(d.name), 'Give the sync a name.');
                need(
                    !isBlank(d.name) && d.name.length > NAME_MAX_LENGTH,
                    `The name can have at most ${NAME_MAX_LENGTH} characters.`
                );
                need(isBlank(d.direction), 'Choose a direction.');
                break;
            case 'conflict':
                need(isBlank(d.conflictWinner), 'Choose which side wins a conflict.');
                break;
            case 'objects':
                need(this.enabledObjects.length === 0, 'Choose at least one object to sync.');
                need(isBlank(d.defaultObject), 'Choose the object for contacts added on the telephony side.');
                break;
            case 'rules':
                need(isBlank(d.matchKeys), 'Choose how records are matched.');
                break;
            case 'scope':
                this.scopeRows.forEach((row) => {
                    need(row.counting, `Counting the ${row.label} in scope…`);
                    need(Boolean(row.error), `${row.label} scope: ${row.error}`);
                });
                break;
            case 'schedule': {
                const threshold = d.massDeleteThreshold;
                need(isBlank(d.frequency), 'Choose how often the scheduled sync runs.');
                need(
                    d.frequency === 'Custom' && !CRON.test((d.customSchedule || '').trim()),
                    'Enter a custom schedule with five fields, for example 30 2 * * 1-5.'
                );
                need(
                    !COUNTRY.test(d.defaultCountry || ''),
                    'Enter the default country as two capital letters, for example US.'
                );
                need(
                    !(Number.isInteger(threshold) && threshold >= 1 && threshold <= 100),
                    'Enter a mass delete threshold between 1 and 100 percent.'
                );
                break;
            }
            default:
                break;
        }
        return problems;
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
        const d = this.draft;
        const rules = [
            d.requireValidPhone && 'a valid phone number',
            d.requireFirstName && 'a first name',
            d.requireLastName && 'a last name'
        ].filter(Boolean);
        const items = [
            { label: 'Name', value: d.name },
            { label: 'Direction', value: optionLabel(DIRECTION_OPTIONS, d.direction) },
            { label: 'Conflict winner', value: optionLabel(CONFLICT_OPTIONS, d.conflictWinner) },
            { label: 'Objects', value: this.enabledObjects.map((object) => object.label).join(', ') },
            {
                label: 'Contacts added on the telephony side become',
                value: optionLabel(DEFAULT_OBJECT_OPTIONS, d.defaultObject)
            },
            { label: 'Records must have', value: rules.length ? rules.join(', ') : 'nothing in particular' },
            { label: 'Match on', value: optionLabel(MATCH_KEY_OPTIONS, d.matchKeys) },
            ...this.scopeRows.map((row) => ({
                label: `${row.label} scope`,
                value: `${isBlank(row.condition) ? `All ${row.label}` : row.condition}${row.countText ? ` (${row.countText})` : ''}`
            })),
            {
                label: 'Scheduled sync',
                value:
                    d.frequency === 'Custom'
                        ? `Custom: ${d.customSchedule}`
                        : optionLabel(FREQUENCY_OPTIONS, d.frequency)
            },
            { label: 'Default phone country', value: d.defaultCountry },
            { label: 'Salesforce deletions remove directory entries', value: yesNo(d.propagateDeletesToTelephony) },
            { label: 'Directory deletions delete Salesforce records', value: yesNo(d.propagateDeletesToSalesforce) },
            { label: 'Mass delete threshold', value: `${d.massDeleteThreshold} %` }
        ];
        return items.map((item, index) => ({ ...item, labelKey: `label-${index}`, valueKey: `value-${index}` }));
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
