import { LightningElement, api, wire } from 'lwc';
import { CurrentPageReference, NavigationMixin } from 'lightning/navigation';
import { refreshApex } from '@salesforce/apex';
import listSyncs from '@salesforce/apex/SwitchboardSetupController.listSyncs';
import { TABS, errorMessage, statusLabel, syncIdFromPage, tabPage } from 'c/switchboardUtils';

/**
 * Chooses the sync a page works on when the page was not given one: the sync named in the page
 * address (?c__syncId=...), else the first sync, or the one picked in a combobox when there are
 * several. Fires `select` ({ syncId }) whenever the choice changes; with no sync at all it offers to
 * open the setup wizard instead.
 */
export default class SwitchboardSyncPicker extends NavigationMixin(LightningElement) {
    /** The chosen sync id, if the page already knows it. */
    @api
    get value() {
        return this.selected;
    }
    set value(syncId) {
        this.selected = syncId;
    }

    selected;
    syncs = [];
    error;
    loaded = false;
    wiredSyncs;
    refreshedForMissingValue = false;

    @wire(CurrentPageReference)
    receivePage(pageReference) {
        const pageSyncId = syncIdFromPage(pageReference);
        if (pageSyncId && pageSyncId !== this.selected) {
            this.select(pageSyncId);
        }
    }

    @wire(listSyncs)
    receiveSyncs(result) {
        this.wiredSyncs = result;
        const { data, error } = result;
        if (error) {
            this.error = errorMessage(error);
            this.loaded = true;
        } else if (data) {
            this.error = undefined;
            this.syncs = data;
            this.loaded = true;
            this.chooseDefault();
        }
    }

    chooseDefault() {
        const known = this.syncs.some((sync) => sync.syncId === this.selected);
        if (this.selected && !known && !this.refreshedForMissingValue) {
            // A sync created a moment ago may be missing from the cached list.
            this.refreshedForMissingValue = true;
            refreshApex(this.wiredSyncs);
            return;
        }
        if (!this.selected && this.syncs.length) {
            this.select(this.syncs[0].syncId);
        }
    }

    get options() {
        return this.syncs.map((sync) => ({
            label: `${sync.name} (${statusLabel(sync.status)})`,
            value: sync.syncId
        }));
    }

    get showPicker() {
        return this.syncs.length > 1;
    }

    get isEmpty() {
        return this.loaded && !this.error && this.syncs.length === 0;
    }

    handleChange(event) {
        this.select(event.detail.value);
    }

    select(syncId) {
        this.selected = syncId;
        this.dispatchEvent(new CustomEvent('select', { detail: { syncId } }));
    }

    handleSetUp() {
        this[NavigationMixin.Navigate](tabPage(TABS.setup));
    }
}
