/** Preview-only lightning-modal-footer (see ../modal/modal.js): the SLDS modal footer. */
import { LightningElement } from 'lwc';

export default class ModalFooter extends LightningElement {}
