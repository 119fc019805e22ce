/** Preview-only lightning-modal-header (see ../modal/modal.js): the SLDS modal header. */
import { LightningElement, api } from 'lwc';

export default class ModalHeader extends LightningElement {
    @api label;
}
