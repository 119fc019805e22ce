/** Preview-only lightning-modal-body (see ../modal/modal.js): the SLDS modal content area. */
import { LightningElement } from 'lwc';

export default class ModalBody extends LightningElement {}
