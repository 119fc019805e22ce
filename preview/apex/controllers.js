/**
 * Fixture-backed implementations of the package's Apex controllers for the local preview. They reuse
 * the components' jest fixtures (force-app/.../__tests__/data) so the preview shows what the tests
 * assert, and answer commands with made-up request ids. Errors have the shape of an
 * AuraHandledException as the platform delivers it ({ body: { message } }).
 */
import newDraft from '../../force-app/main/default/lwc/switchboardSetupWizard/__tests__/data/newDraft.json';
import existingDraft from '../../force-app/main/default/lwc/switchboardSetupWizard/__tests__/data/existingDraft.json';
import connectionStatus from '../../force-app/main/default/lwc/switchboardSetupWizard/__tests__/data/connectionStatus.json';
import syncs from '../../force-app/main/default/lwc/switchboardSyncPicker/__tests__/data/syncs.json';
import mappings from '../../force-app/main/default/lwc/switchboardMappingStudio/__tests__/data/mappings.json';
import contactFields from '../../force-app/main/default/lwc/switchboardMappingStudio/__tests__/data/contactFields.json';
import leadFields from '../../force-app/main/default/lwc/switchboardMappingStudio/__tests__/data/leadFields.json';
import accountFields from '../../force-app/main/default/lwc/switchboardMappingStudio/__tests__/data/accountFields.json';
import activeDashboard from '../../force-app/main/default/lwc/switchboardSyncDashboard/__tests__/data/activeDashboard.json';
import initialSyncDashboard from '../../force-app/main/default/lwc/switchboardSyncDashboard/__tests__/data/initialSyncDashboard.json';
import errorDashboard from '../../force-app/main/default/lwc/switchboardSyncDashboard/__tests__/data/errorDashboard.json';
import failingStatus from '../../force-app/main/default/lwc/switchboardRecordStatus/__tests__/data/failingStatus.json';
import notSyncedStatus from '../../force-app/main/default/lwc/switchboardRecordStatus/__tests__/data/notSyncedStatus.json';
import recentCalls from '../../force-app/main/default/lwc/switchboardRecentCalls/__tests__/data/recentCalls.json';

const NEW_SYNC_ID = 'a01000000000009AAA';
// Records in each object's scope when the condition is blank; a condition narrows that to a share.
const RECORD_COUNTS = { Contact: 12842, Lead: 3120, PersonAccount: 845 };
const DASHBOARDS = [activeDashboard, initialSyncDashboard, errorDashboard];
const FIELD_OPTIONS = { Contact: contactFields, Lead: leadFields, Account: accountFields };

let requestCounter = 0;
const requestId = () => `preview-request-${++requestCounter}`;

const sameId = (a, b) => Boolean(a && b) && a.substring(0, 15) === b.substring(0, 15);

function auraError(message) {
    return { status: 400, body: { message } };
}

// A fixture has no SOQL parser: an odd number of quotes or a dangling operator is what the preview
// calls invalid, enough to show the inline error.
function scopeProblem(condition) {
    if ((condition.match(/'/g) || []).length % 2 === 1) {
        return "unexpected token: '''";
    }
    if (/(=|<|>|\bAND|\bOR|\bLIKE|\bIN)\s*$/i.test(condition)) {
        return 'unexpected end of condition';
    }
    return undefined;
}

export const CONTROLLERS = {
    'SwitchboardSetupController.getSync': ({ syncId }) =>
        syncId ? { ...existingDraft, syncId } : { ...newDraft },
    'SwitchboardSetupController.listSyncs': () => syncs,
    'SwitchboardSetupController.countScope': ({ objectName, condition }) => {
        const total = RECORD_COUNTS[objectName];
        if (total === undefined) {
            throw auraError(`Unknown object ${objectName}: use Contact, Lead or PersonAccount.`);
        }
        const text = (condition || '').trim();
        const problem = text && scopeProblem(text);
        if (problem) {
            throw auraError(problem);
        }
        return text ? Math.round(total / (2 + (text.length % 5))) : total;
    },
    'SwitchboardSetupController.saveSync': ({ draftJson }) => {
        const draft = JSON.parse(draftJson);
        return draft.syncId || NEW_SYNC_ID;
    },
    'SwitchboardSetupController.getConnectionStatus': () => connectionStatus,
    'SwitchboardSetupController.runSystemsCheck': () => requestId(),
    'SwitchboardMappingController.getMappings': () => mappings,
    'SwitchboardMappingController.getFieldOptions': ({ objectName }) => FIELD_OPTIONS[objectName] || [],
    'SwitchboardMappingController.saveMappings': ({ rowsJson }) => {
        JSON.parse(rowsJson);
    },
    'SwitchboardMappingController.restoreDefaults': () => undefined,
    'SwitchboardDashboardController.getDashboard': ({ syncId }) => {
        const dashboard = DASHBOARDS.find((candidate) => sameId(candidate.syncId, syncId));
        if (!dashboard) {
            throw auraError(`No sync with id ${syncId}`);
        }
        return dashboard;
    },
    'SwitchboardDashboardController.statusChannel': () => '/event/Switchboard_Status__e',
    'SwitchboardDashboardController.retryError': () => undefined,
    'SwitchboardDashboardController.ignoreError': () => undefined,
    'SwitchboardDashboardController.runCommand': ({ syncId, command, confirmation }) => {
        const dashboard = DASHBOARDS.find((candidate) => sameId(candidate.syncId, syncId));
        if (command === 'DeleteAndRevert' && (!dashboard || confirmation !== dashboard.name)) {
            throw auraError(`Type the sync name ${dashboard ? dashboard.name : ''} to confirm.`);
        }
        return requestId();
    },
    'SwitchboardRecordStatusController.getRecordStatus': ({ recordId }) =>
        recordId && recordId.startsWith('00Q') ? notSyncedStatus : failingStatus,
    'SwitchboardRecordStatusController.syncNow': () => requestId(),
    'SwitchboardRecentCallsController.recentCalls': () => recentCalls
};
