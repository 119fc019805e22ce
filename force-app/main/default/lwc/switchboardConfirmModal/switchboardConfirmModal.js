import { api } from 'lwc';
import LightningModal from 'lightning/modal';

/**
 * Confirms a destructive command, listing what it will and will not remove. With
 * `confirmationText` set, the confirm button stays disabled until that text is typed exactly.
 * Closes with `{ confirmation }` (the typed text, or null) when confirmed, and with null otherwise.
 */
export default class SwitchboardConfirmModal extends LightningModal {
    /** What the command will do, one sentence per item. */
    @api willDo = [];
    /** What the command will leave alone, one sentence per item. */
    @api willNotDo = [];
    /** Label of the confirm button. */
    @api confirmLabel = 'Confirm';
    /** Text the user must type to confirm (for example the sync name); none when blank. */
    @api confirmationText;

    typed = '';

    get needsTyping() {
        return Boolean(this.confirmationText);
    }

    get typingLabel() {
        return `Type ${this.confirmationText} to confirm`;
    }

    get confirmDisabled() {
        return this.needsTyping && this.typed !== this.confirmationText;
    }

    handleTyped(event) {
        this.typed = event.detail.value;
    }

    handleCancel() {
        this.close(null);
    }

    handleConfirm() {
        this.close({ confirmation: this.needsTyping ? this.typed : null });
    }
}
