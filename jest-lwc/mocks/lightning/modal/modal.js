import { LightningElement, api } from 'lwc';

/**
 * Stands in for LightningModal, which @salesforce/sfdx-lwc-jest does not stub. `open` is a jest mock
 * shared by every subclass (a test decides what the user chose with `open.mockResolvedValue(...)`);
 * `close(result)` fires a `close` event carrying the result, so a modal's own test can read it.
 */
export default class LightningModal extends LightningElement {
    @api label;
    @api size;
    @api description;
    @api disableClose;

    close(result) {
        this.dispatchEvent(new CustomEvent('close', { detail: result }));
    }
}

LightningModal.open = jest.fn();
