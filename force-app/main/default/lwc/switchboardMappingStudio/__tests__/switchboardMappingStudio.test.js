import {
    $,
    $$,
    change,
    click,
    control,
    flushPromises,
    getFieldOptions,
    getMappings,
    getObjectInfo,
    getPicklistValues,
    getSync,
    LightningConfirm,
    listSyncs,
    MAPPINGS,
    MASTER_RECORD_TYPE_ID,
    mount,
    refreshApex,
    restoreDefaults,
    rowsOf,
    saveButton,
    saveMappings,
    section,
    SYNC,
    SYNC_ID,
    texts,
    FIELDS,
    TRANSFORM_PICKLIST
} from './studioTestHarness';

describe('c-switchboard-mapping-studio', () => {
    beforeEach(() => {
        getFieldOptions.mockImplementation(({ objectName }) => Promise.resolve(FIELDS[objectName]));
    });

    afterEach(() => {
        document.body.replaceChildren();
        jest.clearAllMocks();
    });

    it('groups the mappings by object, opening the objects the sync covers', async () => {
        const { element } = await mount();

        expect(getMappings.getLastConfig()).toEqual({ syncId: SYNC_ID });
        expect(getFieldOptions.mock.calls.map(([args]) => args)).toEqual([
            { objectName: 'Contact' },
            { objectName: 'Lead' }
        ]);
        expect($$(element, 'lightning-accordion-section').map((node) => node.label)).toEqual([
            'Contacts',
            'Leads (not synced by this sync)'
        ]);
        expect($(element, 'lightning-accordion').activeSectionName).toEqual(['Contact']);

        const contactRows = rowsOf(element, 'Contact');
        expect(contactRows).toHaveLength(5);
        expect(texts(section(element, 'Contact'), 'legend')[0]).toBe('Contacts mapping 1');
        const first = contactRows[0];
        expect(control(first, 'salesforceField').value).toBe('FirstName');
        expect(control(first, 'salesforceField').options[0]).toEqual({
            label: 'First Name (FirstName)',
            value: 'FirstName'
        });
        expect(control(first, 'telephonyField').value).toBe('firstName');
        expect(control(first, 'telephonyField').options.map((option) => option.value)).toEqual([
            'firstName',
            'lastName',
            'company',
            'title',
            'email',
            'phone.work',
            'phone.mobile',
            'phone.home',
            'phone.other'
        ]);
        expect(control(first, 'direction').value).toBe('Both');
        expect(control(first, 'transform').value).toBe('None');
        expect(contactRows[1].querySelector('lightning-input').checked).toBe(true);
        expect(first.querySelector('lightning-button-icon').alternativeText).toBe('Remove Contacts mapping 1');
        expect(saveButton(element).disabled).toBe(false);
        await expect(element).toBeAccessible();
    });

    it('offers the values of the Transform__c picklist as the transforms', async () => {
        const { element } = await mount();

        expect(getObjectInfo.getLastConfig()).toEqual({
            objectApiName: { objectApiName: 'Switchboard_Field_Mapping__c' }
        });
        expect(getPicklistValues.getLastConfig()).toEqual({
            recordTypeId: MASTER_RECORD_TYPE_ID,
            fieldApiName: { objectApiName: 'Switchboard_Field_Mapping__c', fieldApiName: 'Transform__c' }
        });
        const expected = TRANSFORM_PICKLIST.values.map(({ label, value }) => ({ label, value }));
        for (const row of [...rowsOf(element, 'Contact'), ...rowsOf(element, 'Lead')]) {
            expect(control(row, 'transform').options).toEqual(expected);
        }
        expect($(element, '.transforms-error')).toBeNull();
    });

    it('says why the transforms could not be read, until they are', async () => {
        const { element } = await mount({ transforms: null });
        const transform = () => control(rowsOf(element, 'Contact')[0], 'transform');
        expect(transform().options).toEqual([]);

        getObjectInfo.error([{ errorCode: 'INSUFFICIENT_ACCESS', message: 'No access to Switchboard Field Mapping' }]);
        await flushPromises();
        expect($(element, '.transforms-error').textContent).toContain('No access to Switchboard Field Mapping');

        getObjectInfo.emit({ defaultRecordTypeId: MASTER_RECORD_TYPE_ID });
        getPicklistValues.error([{ errorCode: 'INSUFFICIENT_ACCESS', message: 'No access to Transform' }]);
        await flushPromises();
        expect($(element, '.transforms-error').textContent).toContain('No access to Transform');

        getPicklistValues.emit(TRANSFORM_PICKLIST);
        await flushPromises();
        expect($(element, '.transforms-error')).toBeNull();
        expect(transform().options.map((option) => option.value)).toEqual(
            TRANSFORM_PICKLIST.values.map((value) => value.value)
        );
        await expect(element).toBeAccessible();
    });

    it('keeps the Account name (Company) flowing to telephony only', async () => {
        const { element } = await mount();
        const company = rowsOf(element, 'Contact')[3];

        expect(control(company, 'salesforceField').disabled).toBe(true);
        expect(control(company, 'direction').disabled).toBe(true);
        expect(control(company, 'direction').value).toBe('ToTelephony');
        expect(company.querySelector('.locked-note').textContent).toContain('can only flow to telephony');
        expect(company.querySelector('.warning')).toBeNull();
    });

    it('warns about a read-only field until it flows to telephony only', async () => {
        const { element } = await mount();
        const phone = () => rowsOf(element, 'Contact')[4];
        expect(texts(phone(), '.warning')).toEqual([
            'Business Phone is read-only for you: it can only flow to telephony.'
        ]);

        await change(control(phone(), 'direction'), 'ToTelephony');
        expect(phone().querySelector('.warning')).toBeNull();
    });

    it("shows the server's warnings when the fields cannot be read", async () => {
        getFieldOptions.mockRejectedValue({ body: { message: 'No access to Contact' } });
        const { element } = await mount();

        expect($(element, '.options-error').textContent).toContain('No access to Contact');
        expect(texts(rowsOf(element, 'Contact')[4], '.warning')).toEqual([
            'Business Phone is read-only for you: it can only flow to telephony'
        ]);
        expect(control(rowsOf(element, 'Contact')[0], 'salesforceField').options).toEqual([
            { label: 'FirstName (not available to you)', value: 'FirstName' }
        ]);
    });

    it('adds a mapping, checks it, and removes it again', async () => {
        const { element } = await mount();

        await click(section(element, 'Contact').querySelector('lightning-button.add-row'));
        let added = rowsOf(element, 'Contact')[5];
        expect(texts(added, '.row-problem')).toEqual(['Choose a Salesforce field.', 'Choose a telephony field.']);
        expect(control(added, 'direction').value).toBe('Both');
        expect(saveButton(element).disabled).toBe(true);

        await change(control(added, 'salesforceField'), 'Account.Name');
        await change(control(added, 'telephonyField'), 'company');
        added = rowsOf(element, 'Contact')[5];
        expect(control(added, 'direction').value).toBe('ToTelephony');
        expect(control(added, 'direction').disabled).toBe(true);
        expect(texts(section(element, 'Contact'), '.section-problem')).toEqual([
            'Company is mapped more than once for Contacts.'
        ]);
        expect(saveButton(element).disabled).toBe(true);

        await click(added.querySelector('lightning-button-icon.remove-row'));
        expect(rowsOf(element, 'Contact')).toHaveLength(5);
        expect(section(element, 'Contact').querySelector('.section-problem')).toBeNull();
        expect(saveButton(element).disabled).toBe(false);
    });

    it('edits a picklist map as value pairs', async () => {
        const { element } = await mount();
        const rating = () => rowsOf(element, 'Lead')[1];
        const pairInputs = () => [...rating().querySelectorAll('.pair lightning-input')];
        expect(pairInputs().map((input) => [input.label, input.value])).toEqual([
            ['Salesforce value 1', 'Hot'],
            ['Telephony value 1', 'VIP'],
            ['Salesforce value 2', 'Cold'],
            ['Telephony value 2', 'Standard']
        ]);

        await click(rating().querySelector('lightning-button.add-pair'));
        expect(texts(rating(), '.row-problem')).toEqual(['Fill in both values of every picklist map entry.']);
        await change(pairInputs()[4], 'Hot');
        await change(pairInputs()[5], 'Priority');
        expect(texts(rating(), '.row-problem')).toEqual(['The Salesforce value "Hot" is mapped more than once.']);
        await change(pairInputs()[4], 'Warm');
        expect(rating().querySelector('.row-problem')).toBeNull();

        await click(rating().querySelectorAll('lightning-button-icon.remove-pair')[0]);
        expect(pairInputs().map((input) => input.value)).toEqual(['Cold', 'Standard', 'Warm', 'Priority']);
        await click(rating().querySelectorAll('lightning-button-icon.remove-pair')[0]);
        await click(rating().querySelectorAll('lightning-button-icon.remove-pair')[0]);
        expect(texts(rating(), '.row-problem')).toEqual(['Add at least one value to the picklist map.']);
        await change(control(rating(), 'transform'), 'Upper');
        expect(rating().querySelector('.picklist-map')).toBeNull();
        expect(rating().querySelector('.row-problem')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('starts a new picklist map with one empty pair', async () => {
        const { element } = await mount();
        const lastName = () => rowsOf(element, 'Lead')[0];
        await change(control(lastName(), 'transform'), 'PicklistMap');
        expect(lastName().querySelectorAll('.pair')).toHaveLength(1);
        expect(texts(lastName(), '.row-problem')).toEqual(['Fill in both values of every picklist map entry.']);
    });

    it.each([
        ['{"Hot":', /^The stored picklist map is not valid JSON \(.+\); enter its values again\.$/],
        ['["Hot"]', /^The stored picklist map is not a JSON object; enter its values again\.$/]
    ])('reports a stored picklist map %s that cannot be read', async (picklistMap, message) => {
        const mappings = MAPPINGS.map((mapping) => {
            return mapping.salesforceField === 'Rating' ? { ...mapping, picklistMap } : mapping;
        });
        const { element } = await mount({ mappings });
        const rating = () => rowsOf(element, 'Lead')[1];
        const problems = texts(rating(), '.row-problem');
        expect(problems[0]).toMatch(message);
        expect(problems[1]).toBe('Add at least one value to the picklist map.');

        await click(rating().querySelector('lightning-button.add-pair'));
        const [from, to] = rating().querySelectorAll('.pair lightning-input');
        await change(from, 'Hot');
        await change(to, 'VIP');
        expect(rating().querySelector('.row-problem')).toBeNull();
    });

    it('saves every mapping, then shows what is stored', async () => {
        saveMappings.mockResolvedValue();
        const { element, toasts } = await mount();
        await change(control(rowsOf(element, 'Contact')[4], 'direction'), 'ToTelephony');
        rowsOf(element, 'Contact')[2].querySelector('lightning-input').checked = true;
        rowsOf(element, 'Contact')[2].querySelector('lightning-input').dispatchEvent(new CustomEvent('change'));
        await flushPromises();

        await click(saveButton(element));

        expect(saveMappings).toHaveBeenCalledTimes(1);
        const { syncId, rowsJson } = saveMappings.mock.calls[0][0];
        expect(syncId).toBe(SYNC_ID);
        const saved = JSON.parse(rowsJson);
        // Person Account rows are left out: this org has no Person Accounts.
        expect(saved).toHaveLength(7);
        expect(saved[0]).toEqual({
            mappingId: null,
            salesforceObject: 'Contact',
            salesforceField: 'FirstName',
            telephonyField: 'firstName',
            direction: 'Both',
            transform: 'None',
            picklistMap: null,
            required: false
        });
        expect(saved[2].required).toBe(true);
        expect(saved[4].direction).toBe('ToTelephony');
        expect(saved[6]).toMatchObject({ salesforceField: 'Rating', picklistMap: '{"Hot":"VIP","Cold":"Standard"}' });
        expect(toasts).toEqual([
            {
                title: 'Mappings saved',
                message: '7 mappings saved. The service applies them at once.',
                variant: 'success'
            }
        ]);
        expect(refreshApex).toHaveBeenCalledTimes(1);

        const stored = MAPPINGS.slice(0, 2).map((mapping, index) => ({ ...mapping, mappingId: `a02${index}` }));
        getMappings.emit(stored);
        await flushPromises();
        expect(rowsOf(element, 'Contact')).toHaveLength(2);
    });

    it('keeps unsaved edits when the mappings are provided again', async () => {
        const { element } = await mount();
        await click(section(element, 'Lead').querySelector('lightning-button.add-row'));
        getMappings.emit(MAPPINGS);
        await flushPromises();
        expect(rowsOf(element, 'Lead')).toHaveLength(3);
    });

    it('says why saving failed', async () => {
        saveMappings.mockRejectedValue({ body: { message: 'Lead: phone.work is mapped twice' } });
        const { element, toasts } = await mount();
        await click(saveButton(element));

        expect($(element, '.save-error').textContent).toContain('Lead: phone.work is mapped twice');
        expect(toasts).toEqual([
            { title: 'Could not save the mappings', message: 'Lead: phone.work is mapped twice', variant: 'error' }
        ]);
        expect(refreshApex).not.toHaveBeenCalled();
    });

    it('restores the defaults only once confirmed', async () => {
        restoreDefaults.mockResolvedValue();
        const { element, toasts } = await mount();
        const restore = $(element, 'lightning-button.restore');

        LightningConfirm.open.mockResolvedValueOnce(false);
        await click(restore);
        expect(LightningConfirm.open).toHaveBeenCalledWith(
            expect.objectContaining({ label: 'Restore the default mappings?', theme: 'warning' })
        );
        expect(restoreDefaults).not.toHaveBeenCalled();

        LightningConfirm.open.mockResolvedValueOnce(true);
        await click(restore);
        expect(restoreDefaults).toHaveBeenCalledWith({ syncId: SYNC_ID });
        expect(toasts).toEqual([
            { title: 'Default mappings restored', message: 'The service applies them at once.', variant: 'success' }
        ]);
        expect(refreshApex).toHaveBeenCalledTimes(1);
    });

    it('says why the defaults could not be restored, or the mappings not reloaded', async () => {
        restoreDefaults.mockRejectedValueOnce({ body: { message: 'Insufficient privileges' } });
        LightningConfirm.open.mockResolvedValue(true);
        const { element, toasts } = await mount();

        await click($(element, 'lightning-button.restore'));
        expect(toasts).toEqual([
            { title: 'Could not restore the defaults', message: 'Insufficient privileges', variant: 'error' }
        ]);

        refreshApex.mockRejectedValueOnce({ body: { message: 'Session expired' } });
        await click($(element, 'lightning-button.restore'));
        expect($(element, '.load-error').textContent).toContain('Session expired');
    });

    it('shows Person Account mappings where Person Accounts exist', async () => {
        const { element } = await mount({ sync: { ...SYNC, personAccountsAvailable: true, syncPersonAccounts: true } });

        expect(getFieldOptions).toHaveBeenCalledWith({ objectName: 'Account' });
        expect(section(element, 'Account').label).toBe('Person Accounts');
        expect(section(element, 'Account').querySelector('lightning-button.add-row').label).toBe(
            'Add a Person Account mapping'
        );
        expect(control(rowsOf(element, 'Account')[0], 'salesforceField').value).toBe('PersonEmail');
    });

    it('shows an object without mappings as empty', async () => {
        const { element } = await mount({
            mappings: MAPPINGS.filter((mapping) => mapping.salesforceObject !== 'Lead')
        });
        expect(section(element, 'Lead').querySelector('.no-mappings').textContent).toBe('No mapping yet.');
    });

    it('works on the sync chosen in the picker when given none', async () => {
        const { element } = await mount({ sync: null, mappings: null, props: {} });
        expect($(element, 'lightning-accordion')).toBeNull();

        listSyncs.emit([{ syncId: SYNC_ID, name: 'Head office', status: 'Active' }]);
        await flushPromises();
        expect(getMappings.getLastConfig()).toEqual({ syncId: SYNC_ID });
        expect(getSync.getLastConfig()).toEqual({ syncId: SYNC_ID });
    });

    it('says why the mappings or the sync could not be loaded', async () => {
        const { element } = await mount({ sync: null, mappings: null });
        getMappings.error({ message: 'Sync not found' });
        await flushPromises();
        expect($(element, '.load-error').textContent).toContain('Sync not found');

        getSync.error({ message: 'No access to Switchboard Sync' });
        await flushPromises();
        expect($(element, '.load-error').textContent).toContain('No access to Switchboard Sync');
    });
});
